"""Identity keys: ``urls`` (the normalised URL key that folds an article's URL variants) and
``neardup`` (MinHash LSH keys and similarity measures of normalised bodies).  Pure: no Scrapy,
Twisted, SQLAlchemy or storage; the database stores the keys the callers compute here."""
