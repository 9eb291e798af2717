"""Scrapy components that own what the spider used to: ``feed_state`` (what is remembered of
feeds between crawls: validators, the fetch record and next poll time, stored URL keys, backfill
progress) and ``extraction`` (the extraction worker processes' life).  Each is an extension wired
in ``EXTENSIONS``, reads its settings in ``from_crawler`` and is asked for by the spider through
``crawler.get_extension``."""
