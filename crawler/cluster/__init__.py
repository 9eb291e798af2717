"""Many machines: the ``feeds`` spider's requests shared through Redis (scrapy-redis), every
worker writing to one database.  See docs/architecture.md and
docs/cluster.md."""
