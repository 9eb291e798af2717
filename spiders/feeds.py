"""The ``feeds`` spider: fetch each source's feeds, then every article they list that is not
stored yet, and hand the pages to the extraction function.  Sitemaps and backfill are in
:mod:`spiders.sitemaps`, response classification in :mod:`spiders.responses`.

    scrapy crawl feeds -a sources=sources.yaml [-a source=NAME[,NAME...]]
"""

from __future__ import annotations

import hashlib
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Request, Response
from twisted.python.failure import Failure

from crawler.extraction.errors import ExtractionError
from crawler.extraction_pool import ExtractionPool
from crawler.feedparse.feed import parse_feed
from crawler.items import FeedEntry
from crawler.sources import polling
from crawler.sources.config import Source, load_sources, select_sources
from crawler.text.encoding import not_html_reason
from crawler.text.timestamps import zone
from crawler.text.urls import url_key
from spiders.responses import PERMANENT_REFUSALS, failure_reason
from spiders.sitemaps import SitemapHandling, backfill_window
from storage.db import ensure_schema, make_engine
from storage.feed_state import (
    FeedFetch,
    FeedState,
    backfill_done_urls,
    feed_states,
    record_feed_fetch,
    save_feed_validators,
)
from storage.repository import known_url_keys

logger = logging.getLogger(__name__)
# trafilatura and htmldate log an ERROR for every page they cannot parse, and Scrapy logs a
# robots.txt it cannot fetch as an ERROR with a traceback; akhbar counts and logs those itself in
# one line (extract/*, validate/*, "feed ... failed: DNS error"), so theirs are noise in a crawl
# log.  Set when the crawl starts, after Scrapy has configured logging.
NOISY_LOGGERS = ("trafilatura", "htmldate", "courlan", "justext", "scrapy.downloadermiddlewares.robotstxt")


def parse_flag(value: str | None) -> bool:
    """A typed spider argument: ``1/true/yes`` or ``0/false/no`` (absent: false)."""
    if value is None or value == "":
        return False
    lowered = str(value).strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"not a yes/no value: {value!r}")


class FeedsSpider(SitemapHandling, scrapy.Spider):
    name = "feeds"

    def __init__(
        self,
        sources: str | None = None,
        source: str | None = None,
        due: str | None = None,
        since: str | None = None,
        until: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        # -a since=DATE [-a until=DATE]: backfill from the sources' sitemaps and date archives.
        self.backfill = backfill_window(since, until)
        self.backfill_key = f"{since}..{until}" if self.backfill else ""
        self.backfill_done: set[str] = set()
        self.outstanding: dict[str, int] = {}
        # -a due=1: fetch only feeds whose next poll time has come (cron and the scheduler).
        self.due_only = parse_flag(due)
        self.sources_file = sources
        self.source_names = tuple(n.strip() for n in (source or "").split(",") if n.strip())
        self.sources: list[Source] = []
        self.scheduled_keys: OrderedDict[str, None] = OrderedDict()
        self.pending_validators: dict[str, dict[str, str | None]] = {}
        self.feeds_with_failures: set[str] = set()
        self.scheduled_keys_max = 100_000
        self.feedbook: Any = None  # a cluster worker's shared feed bookkeeping (crawler.cluster.feedbook)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> FeedsSpider:
        spider: FeedsSpider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.sources = select_sources(
            load_sources(spider.sources_file or settings.get("AKHBAR_SOURCES_FILE")), spider.source_names
        )
        spider.db_url = settings.get("AKHBAR_DB_URL")
        spider.max_entries = settings.getint("AKHBAR_MAX_ENTRIES_PER_FEED")
        spider.scheduled_keys_max = settings.getint("AKHBAR_SCHEDULED_KEYS_MAX")
        for name in NOISY_LOGGERS:
            logging.getLogger(name).setLevel(logging.CRITICAL)
        spider.sitemap_window = settings.getint("AKHBAR_SITEMAP_WINDOW")
        spider.sitemap_depth = settings.getint("AKHBAR_SITEMAP_DEPTH")
        spider.engine = make_engine(spider.db_url)
        if settings.get("AKHBAR_REDIS_URL"):  # a cluster worker: work comes from Redis
            from crawler.cluster.connection import link_of
            from crawler.cluster.feedbook import FeedBook

            spider.feedbook = FeedBook(link_of(crawler))
        workers = settings.get("AKHBAR_EXTRACT_WORKERS")
        spider.extraction = ExtractionPool(
            None if workers in (None, "", "auto") else int(workers), settings.getint("AKHBAR_EXTRACT_RECYCLE_AFTER")
        )
        if spider.backfill is not None:
            ensure_schema(spider.engine)
            spider.backfill_done = backfill_done_urls(spider.engine, spider.backfill_key)
            for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
                crawler.signals.connect(spider._article_finished, signal=signal)
        return spider

    def closed(self, reason: str) -> None:
        self.crawler.stats.set_value("extract/pool_starts", self.extraction.starts)  # type: ignore[union-attr]
        self.crawler.stats.set_value("extract/pools_replaced", self.extraction.replaced)  # type: ignore[union-attr]
        self.extraction.close()
        if self.feedbook is None and reason == "finished" and not self.crawler.stats.get_value("store/failed"):  # type: ignore[union-attr]
            for feed_url, validators in self.pending_validators.items():
                if feed_url not in self.feeds_with_failures:
                    save_feed_validators(self.engine, feed_url, **validators)
        self.engine.dispose()

    def _inc(self, source: str, key: str, count: int = 1) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(key, count)
        self.crawler.stats.inc_value(f"source/{source}/{key.split('/')[-1]}", count)

    async def start(self) -> AsyncIterator[Request]:
        self.crawler.stats.set_value("extract/workers", self.extraction.workers)  # type: ignore[union-attr]
        if self.feedbook is not None:
            self.extraction.start_workers()  # a cluster worker is there to extract pages
            return  # a worker: `akhbar enqueue` and the scheduler queue the feeds
        if self.backfill is not None:
            async for request in self._backfill_requests():
                yield request
            return
        for request in self.feed_requests(datetime.now(UTC)):
            yield request

    def feed_requests(self, now: datetime) -> Iterator[Request]:
        """The requests for the sources' feeds and sitemaps (only the due ones with ``due``),
        conditional on what the last fetch saved.  ``akhbar enqueue`` queues the same requests."""
        states = feed_states(self.engine, [url for source in self.sources for url in (*source.feeds, *source.sitemaps)])
        for source in self.sources:
            for feed_url in (*source.feeds, *source.sitemaps):
                state = states.get(feed_url)
                if (
                    self.due_only
                    and state is not None
                    and state.next_fetch_at is not None
                    and state.next_fetch_at > now
                ):
                    if getattr(self, "crawler", None) is not None:
                        self._inc(source.name, "feeds/not_due")
                    continue
                headers = {}
                if state is not None and state.etag:
                    headers["If-None-Match"] = state.etag
                if state is not None and state.last_modified:
                    headers["If-Modified-Since"] = state.last_modified
                kind = "sitemap" if feed_url in source.sitemaps else "feed"
                yield Request(
                    feed_url,
                    headers=headers,
                    callback=self.parse_sitemap if kind == "sitemap" else self.parse_feed,
                    errback=self.feed_failed,
                    cb_kwargs={"source": source, "feed_url": feed_url, "state": state}
                    | ({"depth": 0} if kind == "sitemap" else {}),
                    meta={
                        "akhbar_kind": kind,
                        "akhbar_source": source.name,
                        "akhbar_key": f"feed:{feed_url}",
                        "handle_httpstatus_list": [304],
                    },
                    dont_filter=True,
                )

    def _record(
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
            plan = polling.after_failure(
                now, source.interval_seconds, current, state.failure_weight if state else 0.0, status, retry_after
            )
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

    def _unchanged(self, response: Response, source: Source, feed_url: str, state: FeedState | None) -> bool:
        """Count the fetch; True (and recorded) when the feed or sitemap did not change."""
        if response.status == 304:
            self._inc(source.name, "feeds/feeds_not_modified")
            self._record(source, feed_url, state, "not modified", ok=True)
            return True
        self._inc(source.name, "feeds/feeds_fetched")
        self._inc(source.name, "feeds/bytes_downloaded", len(response.body))
        body_hash = hashlib.sha256(response.body).hexdigest()
        if state is not None and state.body_hash == body_hash:  # a server that ignores conditional GET
            self._inc(source.name, "feeds/feeds_not_modified")
            self._record(source, feed_url, state, "not modified", ok=True, bytes=len(response.body))
            return True
        # The validators are saved only when this crawl has finished every entry of this body
        # (see closed()): a crawl killed half-way, or an article that failed, must not make the
        # next crawl believe the feed was fully handled.
        self.pending_validators[feed_url] = {
            "etag": response.headers.get("ETag", b"").decode("latin-1") or None,
            "last_modified": response.headers.get("Last-Modified", b"").decode("latin-1") or None,
            "body_hash": body_hash,
        }
        return False

    def parse_feed(self, response: Response, source: Source, feed_url: str, state: FeedState | None) -> Any:
        if self._unchanged(response, source, feed_url, state):
            return
        parsed = parse_feed(
            response.body,
            response.url,
            content_type=response.headers.get("Content-Type", b"").decode("latin-1") or None,
            default_tz=zone(source.timezone),
            max_entries=self.max_entries,
        )
        if parsed.problem:
            logger.warning("feed %s (%s): %s", response.url, source.name, parsed.problem)
            self._inc(source.name, "feeds/problems")
        if parsed.skipped_entries:  # no http(s) link, a repeated link, or past the per-feed cap
            self._inc(source.name, "feeds/skipped_entries", parsed.skipped_entries)
        if not parsed.is_feed:
            self._inc(source.name, "feeds/feeds_failed")
            self._record(source, feed_url, state, "parse error", ok=False, error=parsed.problem)
            return
        self._inc(source.name, "feeds/entries_seen", len(parsed.entries))
        keys = [url_key(e.link) for e in parsed.entries]
        known = known_url_keys(self.engine, keys)
        status = "ill-formed" if parsed.problem else "ok"  # recovered by feedparser's lenient mode
        hint = polling.hint_seconds(parsed.ttl_minutes, parsed.update_period, parsed.update_frequency)
        self._record(
            source,
            feed_url,
            state,
            status,
            ok=True,
            entries=len(parsed.entries),
            new_entries=sum(key not in known for key in keys),
            hint=hint,
            bytes=len(response.body),
        )
        yield from self._article_requests(source, feed_url, parsed.entries, keys, known)

    def _article_requests(
        self, source: Source, feed_url: str, entries: list[FeedEntry], keys: list[str], known: set[str]
    ) -> Iterator[Request]:
        """Requests for the entries not stored yet and not already on their way."""
        if self.feedbook is not None and feed_url in self.pending_validators:
            self._listed_in_cluster(feed_url, sorted({key for key in keys if key not in known}))
        for entry, key in zip(entries, keys):
            if key in known:
                self._inc(source.name, "feeds/entries_known")
                continue
            if not self._schedule(key):
                self._inc(source.name, "feeds/entries_scheduled")
                continue
            # Pages are coming: the extraction workers start in the background while they download
            # (not when the first one comes back); a crawl that finds nothing new starts none.
            self.extraction.start_workers()
            # dont_filter: identity is the URL key (checked above), and a redirect from a feed
            # proxy to an already fetched page must still arrive, so that the proxy URL is
            # recorded as an alias and never fetched again.
            yield Request(
                entry.link,
                callback=self.parse_article,
                errback=self.article_failed,
                cb_kwargs={"source": source, "entry": entry, "feed_url": feed_url},
                meta={"akhbar_kind": "article", "akhbar_source": source.name, "akhbar_key": key},
                dont_filter=True,
            )

    def _listed_in_cluster(self, feed_url: str, new_keys: list[str]) -> None:
        """A worker read a feed: its validators wait in Redis for the listed articles' workers."""
        from crawler.cluster.connection import RedisDown

        validators = self.pending_validators.pop(feed_url)
        try:
            if self.feedbook.listed(feed_url, validators, new_keys):
                save_feed_validators(self.engine, feed_url, **validators)  # nothing to wait for
        except RedisDown:
            pass  # not saved: the next poll downloads the feed in full

    def article_handled(self, request: Request) -> None:
        """A cluster worker finished a listed article (stored, a duplicate, or failed)."""
        feed_url, key = request.cb_kwargs.get("feed_url"), request.meta.get("akhbar_key")
        if not feed_url or not key:
            return
        validators = self.feedbook.article_done(feed_url, key, failed=bool(request.meta.get("akhbar_failed")))
        if validators is not None:
            save_feed_validators(self.engine, feed_url, **validators)

    def _schedule(self, key: str) -> bool:
        """Remember an article key for this crawl; False when it is already on its way.  A
        cluster worker keeps no such memory: the cluster's fingerprints in Redis decide, and they
        vanish with the queue when Redis restarts empty, so lost requests are queued again."""
        if self.feedbook is not None:
            return True
        if key in self.scheduled_keys:
            self.scheduled_keys.move_to_end(key)
            return False
        self.scheduled_keys[key] = None
        if len(self.scheduled_keys) > self.scheduled_keys_max:
            self.scheduled_keys.popitem(last=False)
        return True

    async def parse_article(self, response: Response, source: Source, entry: FeedEntry, feed_url: str) -> Any:
        self._inc(source.name, "article/bytes_downloaded", len(response.body))
        content_type = response.headers.get("Content-Type", b"").decode("latin-1") or None
        problem = not_html_reason(response.body, content_type)
        if problem:
            logger.warning("skipped %s (%s): %s", response.url, source.name, problem)
            self.crawler.stats.inc_value(f"article/not_html/{problem}")  # type: ignore[union-attr]
            self._page_failed(source.name, "article/pages_failed", f"not html: {problem}")
            self._page_without_item(feed_url)
            return  # permanent: not worth listing the feed again for
        try:
            item = await self.extraction.extract(
                url=response.url,
                body=response.body,
                source=source.name,
                fetched_at=datetime.now(UTC),
                content_type=content_type,
                entry=entry,
                default_tz=zone(source.timezone),
            )
        except ExtractionError as exc:
            logger.warning("cannot extract %s: %s", response.url, exc)
            self._page_failed(source.name, "extract/pages_failed", "unparseable")
            self._page_without_item(feed_url)
            return  # permanent
        redirects = [str(u) for u in response.request.meta.get("redirect_urls", [])] if response.request else []
        item.redirect_urls = redirects
        item.feed_url = feed_url
        item.url_keys = sorted(set(item.url_keys) | {url_key(u) for u in redirects})
        self._inc(source.name, "extract/ok")
        if item.published_at is None:
            self._inc(source.name, "extract/no_date")
        else:
            self.crawler.stats.inc_value(f"extract/date_from/{item.published_from}")  # type: ignore[union-attr]
        if item.author is None:
            self._inc(source.name, "extract/no_author")
        yield item

    def feed_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        source: Source = request.cb_kwargs["source"]
        reason = failure_reason(failure)
        logger.warning("feed %s (%s) failed: %s", request.url, source.name, reason)
        self._count_refusal(reason)
        self._inc(source.name, "feeds/feeds_failed")
        response = getattr(failure.value, "response", None)
        retry_after = None
        if response is not None:
            retry_after = polling.retry_after_seconds(
                response.headers.get("Retry-After", b"").decode("latin-1") or None, datetime.now(UTC)
            )
        self._record(
            source,
            request.cb_kwargs["feed_url"],
            request.cb_kwargs["state"],
            reason,
            ok=False,
            retry_after=retry_after,
            error=str(failure.value)[:500],
        )

    def article_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        source: Source = request.cb_kwargs["source"]
        reason = failure_reason(failure)
        if reason not in PERMANENT_REFUSALS:  # retry it when the feed is read again
            self.feeds_with_failures.add(request.cb_kwargs["feed_url"])
            request.meta["akhbar_failed"] = True
        self._page_without_item(request.cb_kwargs["feed_url"])
        logger.warning("article %s (%s) failed: %s", request.url, source.name, reason)
        self._count_refusal(reason)
        self.crawler.stats.inc_value(f"article/failed/{reason}")  # type: ignore[union-attr]
        self._page_failed(source.name, "article/pages_failed", reason)

    def _page_failed(self, source: str, key: str, reason: str) -> None:
        """Count a page that gave no article, in total and by reason (``crawl_runs.failure_reasons``)."""
        self._inc(source, key)
        self.crawler.stats.inc_value(f"source/{source}/failure/{reason}")  # type: ignore[union-attr]

    def _count_refusal(self, reason: str) -> None:
        if reason == "forbidden address":
            self.crawler.stats.inc_value("guard/private_address")  # type: ignore[union-attr]
        elif reason == "refused scheme":
            self.crawler.stats.inc_value("guard/scheme")  # type: ignore[union-attr]
