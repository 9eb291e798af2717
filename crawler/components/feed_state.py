"""What a crawl remembers of its feeds and sitemaps, in the database: the saved states (validators,
next poll time), which entries are stored already, the record of each fetch with its next poll
time, the validators saved once every entry of a feed's body went through, and backfill progress.

The spider asks; this extension owns the database engine for it.  On only where
``AKHBAR_FEED_STATE_ENABLED`` is (the feeds spider's ``custom_settings``).  In a cluster worker
(``AKHBAR_CLUSTER_ENABLED``, set by the cluster add-on) a feed's validators wait in Redis for the workers of its articles
(:mod:`crawler.cluster.feedbook`) instead of the end of the crawl.
"""

from __future__ import annotations

import hashlib
import logging
from collections import OrderedDict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request
from scrapy.statscollectors import StatsCollector
from sqlalchemy import Engine

from crawler.cluster.connection import RedisDown, link_of
from crawler.cluster.feedbook import FeedBook
from crawler.components.counters import count
from crawler.sources import polling
from crawler.sources.config import Source
from crawler.sources.plan import FetchPlan, feed_urls, plan_fetches
from storage.db import ensure_schema, make_engine
from storage.feed_state import (
    FeedFetch,
    FeedState,
    backfill_done_urls,
    feed_states,
    mark_backfill_done,
    record_feed_fetch,
    save_feed_validators,
)
from storage.repository import known_url_keys

logger = logging.getLogger(__name__)
Validators = dict[str, str | None]


def load_plan(engine: Engine, sources: Sequence[Source], now: datetime, due_only: bool) -> FetchPlan:
    """What to fetch now, from the states the last fetches saved: the crawl and ``akhbar enqueue``."""
    return plan_fetches(sources, feed_states(engine, feed_urls(sources)), now, due_only)


class FeedStateKeeper:
    def __init__(
        self, engine: Engine, stats: StatsCollector, feedbook: FeedBook | None = None, scheduled_max: int = 100_000
    ) -> None:
        self.engine = engine
        self.stats = stats
        self.feedbook = feedbook
        self.pending_validators: dict[str, Validators] = {}
        self.feeds_with_failures: set[str] = set()
        self.scheduled: OrderedDict[str, None] = OrderedDict()
        self.scheduled_max = scheduled_max
        self.backfill_key: str | None = None
        self.backfill_done: set[str] = set()
        self.outstanding: dict[str, int] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FeedStateKeeper:
        settings = crawler.settings
        if not settings.getbool("AKHBAR_FEED_STATE_ENABLED"):
            raise NotConfigured  # (no message: Scrapy would log it for every probe crawl)
        feedbook = FeedBook(link_of(crawler)) if settings.getbool("AKHBAR_CLUSTER_ENABLED") else None
        assert crawler.stats is not None
        keeper = cls(
            make_engine(settings.get("AKHBAR_DB_URL")),
            crawler.stats,
            feedbook,
            settings.getint("AKHBAR_SCHEDULED_KEYS_MAX"),
        )
        crawler.signals.connect(keeper.spider_closed, signal=signals.spider_closed)
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(keeper.item_finished, signal=signal)
        return keeper

    @property
    def in_cluster(self) -> bool:
        return self.feedbook is not None

    # --- what to fetch ---------------------------------------------------------------------------
    def plan(self, sources: Sequence[Source], now: datetime, due_only: bool) -> FetchPlan:
        plan = load_plan(self.engine, sources, now, due_only)
        for fetch in plan.not_due:
            count(self.stats, fetch.source.name, "feeds/not_due")
        return plan

    def known(self, keys: Sequence[str]) -> set[str]:
        """The URL keys among ``keys`` that are stored already."""
        return known_url_keys(self.engine, keys)

    def first_time(self, key: str) -> bool:
        """Remember an article key for this crawl; False when it is already on its way.  A
        cluster worker keeps no such memory: the cluster's fingerprints in Redis decide, and they
        vanish with the queue when Redis restarts empty, so lost requests are queued again."""
        if self.in_cluster:
            return True
        if key in self.scheduled:
            self.scheduled.move_to_end(key)
            return False
        self.scheduled[key] = None
        if len(self.scheduled) > self.scheduled_max:
            self.scheduled.popitem(last=False)
        return True

    # --- what a fetch found ------------------------------------------------------------------------
    def record(
        self,
        source: Source,
        feed_url: str,
        state: FeedState | None,
        status: str,
        ok: bool,
        entries: int = 0,
        new_entries: int = 0,
        hint: int | None = None,
        retry_after: int | None = None,
        **values: Any,
    ) -> None:
        """Remember a fetch with the next poll time that :mod:`crawler.sources.polling` decides."""
        now = datetime.now(UTC)
        current = state.interval_seconds if state else None
        if ok:
            plan = polling.after_success(now, source.interval_seconds, current, entries, new_entries, hint)
        else:
            weight = state.failure_weight if state else 0.0
            plan = polling.after_failure(now, source.interval_seconds, current, weight, status, retry_after)
        record_feed_fetch(
            self.engine,
            FeedFetch(
                url=feed_url,
                status=status,
                ok=ok,
                next_fetch_at=plan.next_fetch_at,
                interval_seconds=plan.interval_seconds,
                failure_weight=plan.failure_weight,
                entries=entries if ok else None,
                new_entries=new_entries if ok else None,
                **values,
            ),
        )

    def unchanged(
        self,
        source: Source,
        feed_url: str,
        state: FeedState | None,
        status: int,
        body: bytes,
        etag: str | None,
        last_modified: str | None,
    ) -> bool:
        """Count the fetch; True (and recorded) when the feed or sitemap did not change."""
        if status == 304:
            count(self.stats, source.name, "feeds/feeds_not_modified")
            self.record(source, feed_url, state, "not modified", ok=True)
            return True
        count(self.stats, source.name, "feeds/feeds_fetched")
        count(self.stats, source.name, "feeds/bytes_downloaded", len(body))
        body_hash = hashlib.sha256(body).hexdigest()
        if state is not None and state.body_hash == body_hash:  # a server that ignores conditional GET
            count(self.stats, source.name, "feeds/feeds_not_modified")
            self.record(source, feed_url, state, "not modified", ok=True, bytes=len(body))
            return True
        # The validators are saved only when this crawl has finished every entry of this body
        # (see spider_closed): a crawl killed half-way, or an article that failed, must not make
        # the next crawl believe the feed was fully handled.
        self.pending_validators[feed_url] = {"etag": etag, "last_modified": last_modified, "body_hash": body_hash}
        return False

    def listed(self, feed_url: str, new_keys: list[str]) -> None:
        """A cluster worker read a feed: its validators wait in Redis for the listed articles' workers."""
        if self.feedbook is None or feed_url not in self.pending_validators:
            return
        validators = self.pending_validators.pop(feed_url)
        try:
            if self.feedbook.listed(feed_url, validators, new_keys):
                save_feed_validators(self.engine, feed_url, **validators)  # nothing to wait for
        except RedisDown:
            pass  # not saved: the next poll downloads the feed in full

    def article_failed(self, feed_url: str) -> None:
        """An article of this feed failed for a reason worth another try: keep the feed's validators unsaved."""
        self.feeds_with_failures.add(feed_url)

    def article_handled(self, request: Request) -> None:
        """A cluster worker finished a listed article (stored, a duplicate, or failed)."""
        feed_url, key = request.cb_kwargs.get("feed_url"), request.meta.get("akhbar_key")
        if self.feedbook is None or not feed_url or not key:
            return
        validators = self.feedbook.article_done(feed_url, key, failed=bool(request.meta.get("akhbar_failed")))
        if validators is not None:
            save_feed_validators(self.engine, feed_url, **validators)

    # --- backfill progress -------------------------------------------------------------------------
    def open_backfill(self, key: str) -> None:
        """Start (or resume) the backfill ``key``: ``backfill_done`` holds the sitemaps it already finished."""
        ensure_schema(self.engine)
        self.backfill_key = key
        self.backfill_done = backfill_done_urls(self.engine, key)

    def expect(self, sitemap_url: str, articles: int) -> None:
        """A backfilled urlset led to ``articles`` requests: it is done when they are through."""
        if self.backfill_key is None:
            return
        self.outstanding[sitemap_url] = self.outstanding.get(sitemap_url, 0) + articles
        self._maybe_done(sitemap_url)

    def page_done(self, feed_url: str) -> None:
        """An article of this feed or sitemap is through without an item (failed, not HTML)."""
        if feed_url in self.outstanding:
            self.outstanding[feed_url] -= 1
            self._maybe_done(feed_url)

    def item_finished(self, item: Any, **_: Any) -> None:
        feed_url = getattr(item, "feed_url", None)
        if feed_url is not None:
            self.page_done(feed_url)

    def _maybe_done(self, sitemap_url: str) -> None:
        """A backfilled urlset whose every article has gone through the pipelines (or failed for
        good) is remembered, so a restarted backfill skips it."""
        if self.backfill_key is None or self.outstanding.get(sitemap_url, 0) > 0:
            return
        if sitemap_url in self.feeds_with_failures:
            return
        mark_backfill_done(self.engine, self.backfill_key, sitemap_url)
        self.backfill_done.add(sitemap_url)
        self.stats.inc_value("backfill/sitemaps_done")

    def spider_closed(self, reason: str) -> None:
        if self.feedbook is None and reason == "finished" and not self.stats.get_value("store/failed"):
            for feed_url, validators in self.pending_validators.items():
                if feed_url not in self.feeds_with_failures:
                    save_feed_validators(self.engine, feed_url, **validators)
        self.engine.dispose()
