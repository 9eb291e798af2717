"""The extraction workers' life in a crawl: the pool is made when the crawl opens, started with
the first article request (a crawl that finds nothing new starts no process), and closed, with its
counts in the stats, when the crawl closes.  On only where ``AKHBAR_EXTRACTION_ENABLED`` is (the
feeds spider's ``custom_settings``)."""

from __future__ import annotations

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector

from crawler.extraction_pool import ExtractionPool


class ExtractionService:
    def __init__(self, pool: ExtractionPool, stats: StatsCollector) -> None:
        self.pool = pool
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractionService:
        settings = crawler.settings
        if not settings.getbool("AKHBAR_EXTRACTION_ENABLED"):
            raise NotConfigured  # (no message: Scrapy would log it for every probe crawl)
        workers = settings.get("AKHBAR_EXTRACT_WORKERS")
        pool = ExtractionPool(
            None if workers in (None, "", "auto") else int(workers), settings.getint("AKHBAR_EXTRACT_RECYCLE_AFTER")
        )
        assert crawler.stats is not None
        service = cls(pool, crawler.stats)
        crawler.signals.connect(service.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(service.spider_closed, signal=signals.spider_closed)
        return service

    def spider_opened(self) -> None:
        self.stats.set_value("extract/workers", self.pool.workers)

    def spider_closed(self) -> None:
        self.stats.set_value("extract/pool_starts", self.pool.starts)
        self.stats.set_value("extract/pools_replaced", self.pool.replaced)
        self.pool.close()
