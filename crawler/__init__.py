"""akhbar: the Scrapy project package (settings, items, middlewares, CLI) and the pure parsing
modules (feeds, article extraction, Arabic dates, bylines, text and URL normalisation)."""

__version__ = "0.1.0"
