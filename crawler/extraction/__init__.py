"""Article extraction: pure functions from a page's bytes (and its URL, headers and feed entry)
to an :class:`crawler.items.ArticleItem`.

Bytes and strings in, values out: nothing here may import Scrapy, Twisted, SQLAlchemy or
:mod:`storage` (``tests/unit/test_layout.py`` checks it), so every rule can be tested and
benchmarked without a crawl.  ``article`` is the entry point; the other modules are its rules:
``pagemeta`` (machine-readable metadata), ``arabic_dates`` (Arabic and Hijri dates), ``bylines``,
``body`` (clean-up of the extracted text) and ``language``.  The text utilities they share (Arabic
normalisation, encodings, timestamps, URL keys) are in :mod:`crawler.text`.
"""
