"""Drop articles already stored, and remember the new URLs that led to them (aliases).

An article is already stored when any of its URL keys (fetched URL, redirects, the feed's link,
a same-site canonical URL) is recorded, or when the same source already has a body with the same
Arabic-normalised hash (``dedupe/url``, ``dedupe/content``).
"""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from pipelines.store import alias_urls
from storage.db import make_engine
from storage.repository import add_aliases, article_for_content, article_for_url_keys, source_id_by_name


class DedupePipeline:
    def __init__(self, stats: Any, db_url: str) -> None:
        self.stats = stats
        self.db_url = db_url
        self.engine: Engine | None = None
        self.source_ids: dict[str, int | None] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        return cls(crawler.stats, crawler.settings.get("AKHBAR_DB_URL"))

    def open_spider(self) -> None:
        self.engine = make_engine(self.db_url)

    def close_spider(self) -> None:
        if self.engine is not None:
            self.engine.dispose()

    def _source_id(self, session: Session, name: str) -> int | None:
        if self.source_ids.get(name) is None:
            self.source_ids[name] = source_id_by_name(session, name)
        return self.source_ids[name]

    def process_item(self, item: Any) -> Any:
        assert self.engine is not None
        adapter = ItemAdapter(item)
        urls = alias_urls(adapter)
        with Session(self.engine) as session, session.begin():
            article_id = article_for_url_keys(session, list(urls))
            kind = "url"
            if article_id is None and adapter.get("content_hash"):
                source_id = self._source_id(session, adapter["source"])
                if source_id is not None:
                    article_id = article_for_content(session, source_id, adapter["content_hash"])
                    kind = "content"
            if article_id is None:
                self.stats.inc_value("dedupe/new")
                return item
            added = add_aliases(session, article_id, urls, kind)
        self.stats.inc_value(f"dedupe/{kind}")
        self.stats.inc_value(f"source/{adapter['source']}/duplicates")
        if added:
            self.stats.inc_value("dedupe/aliases_added", added)
        raise DropItem(f"duplicate ({kind}) of article {article_id}: {adapter.get('url')}")
