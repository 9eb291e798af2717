"""The ``feeds`` spider: fetch each source's feeds, then every article they list that is not
stored yet, and hand the pages to the extraction function.  Sitemaps and backfill are in
:mod:`spiders.sitemaps`, response classification in :mod:`spiders.responses`.

    scrapy crawl feeds -a sources=sources.yaml [-a source=NAME[,NAME...]]
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any, cast

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Request, Response
from twisted.python.failure import Failure

from crawler.components.counters import count
from crawler.components.extraction import ExtractionService
from crawler.components.feed_state import FeedStateKeeper
from crawler.extraction.errors import ExtractionError
from crawler.extraction_pool import ExtractionPool
from crawler.feedparse.feed import parse_feed
from crawler.items import ArticleItem, FeedEntry, Provenance
from crawler.sources import polling
from crawler.sources.config import Source, load_sources, select_sources
from crawler.sources.plan import PlannedFetch
from crawler.text.encoding import not_html_reason
from crawler.text.timestamps import zone
from crawler.text.urls import url_key
from spiders.responses import PERMANENT_REFUSALS, failure_reason
from spiders.sitemaps import SitemapHandling, backfill_window

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
    # Its components (crawler/components): the spider asks them for feed state and extraction.
    custom_settings = {"AKHBAR_FEED_STATE_ENABLED": True, "AKHBAR_EXTRACTION_ENABLED": True}
    max_entries: int
    sitemap_window: int
    sitemap_depth: int

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
        # -a due=1: fetch only feeds whose next poll time has come (cron and the scheduler).
        self.due_only = parse_flag(due)
        self.sources_file = sources
        self.source_names = tuple(n.strip() for n in (source or "").split(",") if n.strip())
        self.sources: list[Source] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> FeedsSpider:
        spider: FeedsSpider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.sources = select_sources(
            load_sources(spider.sources_file or settings.get("AKHBAR_SOURCES_FILE")), spider.source_names
        )
        spider.max_entries = settings.getint("AKHBAR_MAX_ENTRIES_PER_FEED")
        for name in NOISY_LOGGERS:
            logging.getLogger(name).setLevel(logging.CRITICAL)
        spider.sitemap_window = settings.getint("AKHBAR_SITEMAP_WINDOW")
        spider.sitemap_depth = settings.getint("AKHBAR_SITEMAP_DEPTH")
        return spider

    @property
    def feed_state(self) -> FeedStateKeeper:
        return cast(FeedStateKeeper, self._component(FeedStateKeeper))

    @property
    def extraction(self) -> ExtractionPool:
        return cast(ExtractionService, self._component(ExtractionService)).pool

    def _component(self, cls: type[Any]) -> Any:
        component = self.crawler.get_extension(cls)
        if component is None:
            raise RuntimeError(f"the feeds spider needs {cls.__module__}.{cls.__name__} in EXTENSIONS")
        return component

    def _inc(self, source: str, key: str, n: int = 1) -> None:
        assert self.crawler.stats is not None
        count(self.crawler.stats, source, key, n)

    async def start(self) -> AsyncIterator[Request]:
        if self.feed_state.in_cluster:
            self.extraction.start_workers()  # a cluster worker is there to extract pages
            return  # a worker: `akhbar enqueue` and the scheduler queue the feeds
        if self.backfill is not None:
            self.feed_state.open_backfill(self.backfill_key)
            async for request in self._backfill_requests():
                yield request
            return
        for fetch in self.feed_state.plan(self.sources, datetime.now(UTC), self.due_only).fetches:
            yield self.fetch_request(fetch)

    def fetch_request(self, fetch: PlannedFetch) -> Request:
        """The request of one planned feed or sitemap fetch, conditional on what the last fetch
        saved.  ``akhbar enqueue`` queues the same requests."""
        sitemap = fetch.kind == "sitemap"
        return Request(
            fetch.url,
            headers=fetch.headers,
            callback=self.parse_sitemap if sitemap else self.parse_feed,
            errback=self.feed_failed,
            cb_kwargs={"source": fetch.source, "feed_url": fetch.url, "state": fetch.state}
            | ({"depth": 0} if sitemap else {}),
            meta={
                "akhbar_kind": fetch.kind,
                "akhbar_source": fetch.source.name,
                "akhbar_key": f"feed:{fetch.url}",
                "handle_httpstatus_list": [304],
            },
            dont_filter=True,
        )

    def _unchanged(self, response: Response, source: Source, feed_url: str, state: Any) -> bool:
        header = response.headers.get
        return self.feed_state.unchanged(
            source,
            feed_url,
            state,
            response.status,
            response.body,
            (header("ETag") or b"").decode("latin-1") or None,
            (header("Last-Modified") or b"").decode("latin-1") or None,
        )

    def parse_feed(self, response: Response, source: Source, feed_url: str, state: Any) -> Any:
        if self._unchanged(response, source, feed_url, state):
            return
        parsed = parse_feed(
            response.body,
            response.url,
            content_type=(response.headers.get("Content-Type") or b"").decode("latin-1") or None,
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
            self.feed_state.record(source, feed_url, state, "parse error", ok=False, error=parsed.problem)
            return
        self._inc(source.name, "feeds/entries_seen", len(parsed.entries))
        keys = [url_key(e.link) for e in parsed.entries]
        known = self.feed_state.known(keys)
        status = "ill-formed" if parsed.problem else "ok"  # recovered by feedparser's lenient mode
        hint = polling.hint_seconds(parsed.ttl_minutes, parsed.update_period, parsed.update_frequency)
        self.feed_state.record(
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
        if self.feed_state.in_cluster:
            self.feed_state.listed(feed_url, sorted({key for key in keys if key not in known}))
        for entry, key in zip(entries, keys):
            if key in known:
                self._inc(source.name, "feeds/entries_known")
                continue
            if not self.feed_state.first_time(key):
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

    async def parse_article(self, response: Response, source: Source, entry: FeedEntry, feed_url: str) -> Any:
        self._inc(source.name, "article/bytes_downloaded", len(response.body))
        content_type = (response.headers.get("Content-Type") or b"").decode("latin-1") or None
        problem = not_html_reason(response.body, content_type)
        if problem:
            logger.warning("skipped %s (%s): %s", response.url, source.name, problem)
            self.crawler.stats.inc_value(f"article/not_html/{problem}")
            self._page_failed(source.name, "article/pages_failed", f"not html: {problem}")
            self._page_without_item(feed_url)
            return  # permanent: not worth listing the feed again for
        fetched_at = datetime.now(UTC)
        try:
            extraction = await self.extraction.extract(
                url=response.url,
                body=response.body,
                fetched_at=fetched_at,
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
        article = extraction.article
        self._inc(source.name, "extract/ok")
        if article.published_at is None:
            self._inc(source.name, "extract/no_date")
        else:
            self.crawler.stats.inc_value(f"extract/date_from/{article.published_from}")
        if article.author is None:
            self._inc(source.name, "extract/no_author")
        yield ArticleItem(
            article=article,
            fetch=Provenance(
                source=source.name,
                fetched_at=fetched_at,
                feed_url=feed_url,
                feed_guid=entry.guid,
                entry_url=entry.link,
                redirect_urls=redirects,
            ),
            keys=extraction.keys,
        )

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
                (response.headers.get("Retry-After") or b"").decode("latin-1") or None, datetime.now(UTC)
            )
        self.feed_state.record(
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
            self.feed_state.article_failed(request.cb_kwargs["feed_url"])
            request.meta["akhbar_failed"] = True
        self._page_without_item(request.cb_kwargs["feed_url"])
        logger.warning("article %s (%s) failed: %s", request.url, source.name, reason)
        self._count_refusal(reason)
        self.crawler.stats.inc_value(f"article/failed/{reason}")
        self._page_failed(source.name, "article/pages_failed", reason)

    def _page_failed(self, source: str, key: str, reason: str) -> None:
        """Count a page that gave no article, in total and by reason (``crawl_runs.failure_reasons``)."""
        self._inc(source, key)
        self.crawler.stats.inc_value(f"source/{source}/failure/{reason}")

    def _count_refusal(self, reason: str) -> None:
        if reason == "forbidden address":
            self.crawler.stats.inc_value("guard/private_address")
        elif reason == "refused scheme":
            self.crawler.stats.inc_value("guard/scheme")
