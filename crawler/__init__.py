"""akhbar: the Scrapy project package.  Where each concern lives is in docs/architecture.md;
this package's own module holds only the version (the ground floor: it imports nothing)."""

__version__ = "0.1.0"
