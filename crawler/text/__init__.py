"""The ground floor: pure text utilities that every rule package uses and that import none of
them.  ``arabic`` (normalisation for keys and search, clean-up of stored text), ``encoding``
(bytes to text, legacy Arabic encodings), ``timestamps`` (machine-readable dates to aware
datetimes), ``urls`` (URL keys, what may be fetched).  No Scrapy, Twisted, SQLAlchemy or storage."""
