"""Drop what is not an article: no body text, or too little of it."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.items import ArticleItem


class ValidatePipeline:
    def __init__(self, stats: Any, min_chars: int = 200) -> None:
        self.stats = stats
        self.min_chars = min_chars

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        return cls(crawler.stats, crawler.settings.getint("AKHBAR_EXTRACT_MIN_CHARS"))

    def process_item(self, item: ArticleItem) -> ArticleItem:
        text, source = item.article.text, item.source
        if not text:
            self._count(source, "validate/no_text")
            raise DropItem(f"no body text: {item.url}")
        if len(text) < self.min_chars:
            self._count(source, "validate/too_short")
            raise DropItem(f"body text too short ({len(text)} < {self.min_chars} chars): {item.url}")
        if not item.article.title:
            self.stats.inc_value("validate/no_title")
        self.stats.inc_value("validate/ok")
        return item

    def _count(self, source: str | None, key: str) -> None:
        self.stats.inc_value(key)
        self.stats.inc_value(f"source/{source}/pages_failed")
        self.stats.inc_value(f"source/{source}/failure/{key.split('/')[-1].replace('_', ' ')}")
