"""The sitemap side of the ``feeds`` spider: news sitemaps, sitemap indexes (depth-limited) and
robots.txt ``Sitemap:`` lines when polling; date windows, date-archive sitemaps and resumable
progress when backfilling (``-a since=DATE [-a until=DATE]``).

:class:`SitemapHandling` is a mixin of :class:`spiders.feeds.FeedsSpider`: it uses the spider's
counters (``_inc``), its components (``feed_state``: fetch records, backfill progress), the
unchanged-feed check (``_unchanged``) and article requests.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from scrapy.http import Request, Response

from crawler.components.feed_state import FeedStateKeeper
from crawler.feedparse.sitemap import parse_sitemap, robots_sitemaps
from crawler.sources.config import Source
from crawler.text.timestamps import parse_machine_datetime, zone
from crawler.text.urls import url_key


def backfill_window(since: str | None, until: str | None) -> tuple[datetime, datetime] | None:
    """``since``..``until`` (dates or ISO times, ``until`` inclusive; default now) as UTC datetimes."""
    if not since:
        return None
    start = parse_machine_datetime(since)
    end = parse_machine_datetime(until) if until else None
    if start is None or (until and end is None):
        raise ValueError(f"backfill dates must be YYYY-MM-DD or ISO times: {since!r}, {until!r}")
    end_at = (end.utc() + timedelta(days=0 if end.has_time else 1)) if end else datetime.now(UTC)
    return start.utc(), end_at


class SitemapHandling:
    """Sitemap parsing and backfill requests for the ``feeds`` spider, which provides what is
    declared here."""

    backfill: tuple[datetime, datetime] | None
    sitemap_window: int
    sitemap_depth: int
    sources: list[Source]

    @property
    def feed_state(self) -> FeedStateKeeper:
        raise NotImplementedError  # the spider's

    feed_failed: Any
    _inc: Any
    _unchanged: Any
    _article_requests: Any

    def _sitemap_request(self, url: str, source: Source, depth: int) -> Request:
        return Request(
            url,
            callback=self.parse_sitemap,
            errback=self.feed_failed,
            cb_kwargs={"source": source, "feed_url": url, "state": None, "depth": depth},
            meta={"akhbar_kind": "sitemap", "akhbar_source": source.name},
            dont_filter=True,
        )

    def _in_window(self, when: datetime | None) -> bool:
        start, end = self.window()
        return when is None or (start <= when < end)

    def window(self) -> tuple[datetime, datetime]:
        """Entries outside it are skipped without a download: the last AKHBAR_SITEMAP_WINDOW
        seconds when polling, the requested dates when backfilling."""
        if self.backfill is not None:
            return self.backfill
        now = datetime.now(UTC)
        return now - timedelta(seconds=self.sitemap_window), now + timedelta(hours=2)

    def parse_sitemap(self, response: Response, source: Source, feed_url: str, state: Any, depth: int) -> Any:
        """A news sitemap, a plain sitemap, a sitemap index (followed, depth-limited), gzip, or a
        robots.txt whose ``Sitemap:`` lines are followed."""
        if self._unchanged(response, source, feed_url, state):
            return
        if urlsplit(response.url).path.endswith("/robots.txt"):
            children = robots_sitemaps(response.body, response.url)
            self.feed_state.record(
                source,
                feed_url,
                state,
                "ok" if children else "parse error",
                ok=bool(children),
                entries=len(children),
                error=None if children else "no Sitemap: lines",
            )
            for child in children:
                if depth < self.sitemap_depth:
                    yield self._sitemap_request(child, source, depth + 1)
            return
        parsed = parse_sitemap(response.body, response.url, zone(source.timezone))
        if not parsed.is_sitemap:
            self._inc(source.name, "feeds/feeds_failed")
            self.feed_state.record(source, feed_url, state, "parse error", ok=False, error=parsed.problem)
            return
        if parsed.kind == "sitemapindex":
            self.feed_state.record(source, feed_url, state, "ok", ok=True, entries=len(parsed.children))
            for child, lastmod in parsed.children:
                if depth >= self.sitemap_depth:
                    self._inc(source.name, "sitemaps/too_deep")
                elif lastmod is not None and lastmod.utc() < self.window()[0]:
                    self._inc(source.name, "sitemaps/children_too_old")
                elif child in self.feed_state.backfill_done:
                    self._inc(source.name, "sitemaps/children_done")
                else:
                    yield self._sitemap_request(child, source, depth + 1)
            return
        entries = [e for e in parsed.entries if self._in_window(e.published_at or e.modified_at)]
        self._inc(source.name, "sitemaps/entries_out_of_window", len(parsed.entries) - len(entries))
        self._inc(source.name, "feeds/entries_seen", len(entries))
        keys = [url_key(e.link) for e in entries]
        known = self.feed_state.known(keys)
        self.feed_state.record(
            source,
            feed_url,
            state,
            "ok",
            ok=True,
            entries=len(entries),
            new_entries=sum(k not in known for k in keys),
            bytes=len(response.body),
        )
        requests = list(self._article_requests(source, feed_url, entries, keys, known))
        if self.backfill is not None:  # track when every article of this sitemap is through
            self.feed_state.expect(feed_url, len(requests))
        yield from requests

    async def _backfill_requests(self) -> AsyncIterator[Request]:
        start, end = self.window()
        for source in self.sources:
            urls = list(source.sitemaps)
            if source.archive:
                day = start.date()
                while datetime(day.year, day.month, day.day, tzinfo=UTC) < end:
                    urls.append(
                        source.archive.format(yyyy=f"{day.year:04d}", mm=f"{day.month:02d}", dd=f"{day.day:02d}")
                    )
                    day += timedelta(days=1)
            for url in urls:
                if url in self.feed_state.backfill_done:
                    self._inc(source.name, "sitemaps/children_done")
                    continue
                yield self._sitemap_request(url, source, 0)

    def _page_without_item(self, feed_url: str) -> None:
        self.feed_state.page_done(feed_url)
