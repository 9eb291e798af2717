"""Item pipelines: validate → dedupe → store.  One Scrapy stat per branch."""
