"""A tiny crawl through the engine shim, run in a process of its own by test_engine_shim.py.

Prints one JSON line: the order of items and finished requests, the idle polls, the close reason.
"""

from __future__ import annotations

import json
import sys

import scrapy
from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.exceptions import DontCloseSpider

from crawler.cluster import engine_shim

EVENTS: list[str] = []
IDLE_POLLS = 3


class ShimSpider(scrapy.Spider):
    name = "shim"
    start_urls = ["data:,one", "data:,two"]

    def parse(self, response):  # type: ignore[no-untyped-def]
        yield {"url": response.url}


class ItemRecorder:
    def process_item(self, item):  # type: ignore[no-untyped-def]
        EVENTS.append("item " + item["url"])
        return item


class ShimUser:
    def __init__(self, crawler):  # type: ignore[no-untyped-def]
        self.crawler = crawler
        self.idles = 0
        crawler.signals.connect(self.engine_started, signal=signals.engine_started)
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):  # type: ignore[no-untyped-def]
        return cls(crawler)

    def engine_started(self) -> None:
        engine_shim.after_download_output(self.crawler.engine, lambda request: EVENTS.append("done " + request.url))
        from twisted.internet import reactor

        # Without poll_again the engine would look again only every 5 s: stop it long before.
        reactor.callLater(3.0, self.crawler.engine.close_spider, self.crawler.spider, "watchdog")

    def spider_idle(self) -> None:
        self.idles += 1
        if self.idles <= IDLE_POLLS:
            engine_shim.poll_again(self.crawler.engine, 0.05)
            raise DontCloseSpider

    def spider_closed(self, spider, reason):  # type: ignore[no-untyped-def]
        print(json.dumps({"events": EVENTS, "idles": self.idles, "reason": reason}))
        sys.stdout.flush()


if __name__ == "__main__":
    process = CrawlerProcess(
        {
            "LOG_LEVEL": "WARNING",
            "EXTENSIONS": {ShimUser: 0},
            "ITEM_PIPELINES": {ItemRecorder: 0},
            "TELNETCONSOLE_ENABLED": False,
        }
    )
    process.crawl(ShimSpider)
    process.start()
