"""The write path, without Scrapy: ``batch`` (a write batch's decisions, its copy links and bulk
inserts, in one transaction) and ``writer`` (that transaction retried, in the crawl's writer
thread or a process of its own).  :mod:`pipelines.store` is the Scrapy side that feeds it."""
