"""Drop articles already stored, remember the new URLs that led to them (aliases), and link
syndicated copies to their original.

* An article is already stored when any of its URL keys (fetched URL, redirects, the feed's
  link, a same-site canonical URL) is recorded (``dedupe/url``), or when the same source already
  has a body with the same Arabic-normalised hash (``dedupe/content``): the item is dropped and
  its URLs become aliases.
* Otherwise it is new, but may be a copy of another outlet's article: the same normalised body
  (``dedupe/near`` with similarity 1.0), or a near duplicate found through the LSH index and
  confirmed on the texts (``dedupe/near``).  It is stored as its own row with ``duplicate_of``
  pointing at the first-seen original and ``similarity``.
"""

from __future__ import annotations

import logging
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from crawler import neardup
from pipelines.store import alias_urls, database_lost
from storage.db import TRANSIENT_ERRORS, make_engine, with_retries
from storage.repository import (
    add_aliases,
    article_for_content,
    article_for_content_anywhere,
    article_for_url_keys,
    article_texts,
    near_duplicate_candidates,
    source_id_by_name,
)

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

    def _source_id(self, session: Session, name: str) -> int | None:
        if self.source_ids.get(name) is None:
            self.source_ids[name] = source_id_by_name(session, name)
        return self.source_ids[name]

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        try:
            duplicate = with_retries(lambda: self._check(adapter), self.retries, self.retry_delay, logger)
        except TRANSIENT_ERRORS as exc:
            database_lost(self.crawler, self.stats, adapter, exc)
            raise DropItem(f"NOT STORED (database unavailable): {adapter.get('url')}") from exc
        if duplicate is None:
            return item
        kind, article_id, added = duplicate
        self.stats.inc_value(f"dedupe/{kind}")
        self.stats.inc_value(f"source/{adapter['source']}/duplicates")
        if added:
            self.stats.inc_value("dedupe/aliases_added", added)
        raise DropItem(f"duplicate ({kind}) of article {article_id}: {adapter.get('url')}")

    def _check(self, adapter: ItemAdapter) -> tuple[str, int, int] | None:
        """``(kind, article id, aliases added)`` when already stored; None for a new article
        (with its near-duplicate link set on the item)."""
        assert self.engine is not None
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
                self._link_copy(session, adapter)
                return None
            return kind, article_id, add_aliases(session, article_id, urls, kind)

    def _link_copy(self, session: Session, adapter: ItemAdapter) -> None:
        """Set ``duplicate_of``/``similarity`` when the article copies a stored one, and the LSH keys
        under which it will be indexed."""
        text = adapter.get("text") or ""
        shingle_set, keys = neardup.lsh_keys(text)
        adapter["lsh_keys"] = keys
        same_body = article_for_content_anywhere(session, adapter["content_hash"]) if adapter.get("content_hash") else None
        if same_body is not None:
            original = article_texts(session, [same_body]).get(same_body)
            root = original[1] if original and original[1] else same_body
            self._mark(adapter, root, 1.0)
            return
        best: tuple[float, int] | None = None
        candidates = article_texts(session, near_duplicate_candidates(session, keys, neardup.MAX_CANDIDATES))
        for candidate_id, (candidate_text, candidate_original) in sorted(candidates.items()):
            similarity = neardup.similarity(shingle_set, neardup.shingles(candidate_text))
            if similarity.is_near_duplicate and (best is None or similarity.score > best[0]):
                best = (similarity.score, candidate_original or candidate_id)
        self.stats.inc_value("dedupe/near_candidates", len(candidates))
        if best is not None:
            self._mark(adapter, best[1], round(best[0], 4))

    def _mark(self, adapter: ItemAdapter, original_id: int, similarity: float) -> None:
        adapter["duplicate_of"] = original_id
        adapter["similarity"] = similarity
        self.stats.inc_value("dedupe/near")
        self.stats.inc_value(f"source/{adapter['source']}/near_duplicates")
