"""Drop articles already stored and remember the new URLs that led to them (aliases).

An article is already stored when any of its URL keys (fetched URL, redirects, the feed's link,
a same-site canonical URL) is recorded (``dedupe/url``), or when the same source already has a
body with the same Arabic-normalised hash (``dedupe/content``).  This is the early filter; the
store pipeline repeats the check inside its write transaction (and links syndicated copies),
so that articles waiting in the same write batch see each other.
"""

from __future__ import annotations

import logging
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from pipelines.identity import Duplicate, find_duplicate, source_id_for
from pipelines.store import database_lost
from storage.db import TRANSIENT_ERRORS, make_engine, with_retries

logger = logging.getLogger(__name__)


class DedupePipeline:
    def __init__(self, stats: Any, db_url: str, retries: int = 3, retry_delay: float = 0.5) -> None:
        self.stats = stats
        self.db_url = db_url
        self.retries = retries
        self.retry_delay = retry_delay
        self.crawler: Crawler | None = None
        self.engine: Engine | None = None
        self.source_ids: dict[str, int | None] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        settings = crawler.settings
        pipeline = cls(crawler.stats, settings.get("AKHBAR_DB_URL"), settings.getint("AKHBAR_DB_RETRIES"),
                       settings.getfloat("AKHBAR_DB_RETRY_DELAY"))
        pipeline.crawler = crawler
        return pipeline

    def open_spider(self) -> None:
        self.engine = make_engine(self.db_url)

    def close_spider(self) -> None:
        if self.engine is not None:
            self.engine.dispose()

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        try:
            duplicate = with_retries(lambda: self._check(adapter), self.retries, self.retry_delay, logger)
        except TRANSIENT_ERRORS as exc:
            database_lost(self.crawler, self.stats, adapter, exc)
            raise DropItem(f"NOT STORED (database unavailable): {adapter.get('url')}") from exc
        if duplicate is None:
            self.stats.inc_value("dedupe/new")
            return item
        count_duplicate(self.stats, adapter["source"], duplicate)
        raise DropItem(f"duplicate ({duplicate.kind}) of article {duplicate.article_id}: {adapter.get('url')}")

    def _check(self, adapter: ItemAdapter) -> Duplicate | None:
        assert self.engine is not None
        with Session(self.engine) as session, session.begin():
            return find_duplicate(session, adapter, source_id_for(session, self.source_ids, adapter["source"]))


def count_duplicate(stats: Any, source: str, duplicate: Duplicate) -> None:
    stats.inc_value(f"dedupe/{duplicate.kind}")
    stats.inc_value(f"source/{source}/duplicates")
    if duplicate.aliases_added:
        stats.inc_value("dedupe/aliases_added", duplicate.aliases_added)
