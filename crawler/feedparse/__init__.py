"""Feed and sitemap parsing: pure functions from a response's bytes to
:class:`crawler.items.FeedEntry` lists (``feed``: RSS/Atom through feedparser; ``sitemap``: news
and plain sitemaps, indexes, gzip, robots.txt).  No Scrapy, Twisted, SQLAlchemy or storage."""
