"""The outlets: ``config`` (the sources file, validated), ``polling`` (when to fetch a feed
next) and ``discovery`` (reading a homepage for feeds and sitemaps).  Pure: no Scrapy, Twisted,
SQLAlchemy or storage."""
