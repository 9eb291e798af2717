"""One plan of what to fetch: the sources' feeds and sitemaps that are due, each with the
conditional-GET headers that the last fetch saved.  Used by the crawl, ``akhbar enqueue`` and
``akhbar schedule --redis`` alike.  Pure: the saved states are passed in."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from crawler.sources.config import Source


class SavedState(Protocol):
    """What the last fetch of a feed left (``storage.feed_state.FeedState`` has these)."""

    @property
    def etag(self) -> str | None: ...
    @property
    def last_modified(self) -> str | None: ...
    @property
    def next_fetch_at(self) -> Any: ...


@dataclass(frozen=True, slots=True)
class PlannedFetch:
    source: Source
    url: str
    kind: str  # "feed" or "sitemap"
    state: Any = None  # the SavedState of the last fetch, None for a feed never fetched
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class FetchPlan:
    fetches: list[PlannedFetch] = field(default_factory=list)
    not_due: list[PlannedFetch] = field(default_factory=list)


def feed_urls(sources: Iterable[Source]) -> list[str]:
    return [url for source in sources for url in (*source.feeds, *source.sitemaps)]


def conditional_headers(state: SavedState | None) -> dict[str, str]:
    headers = {}
    if state is not None and state.etag:
        headers["If-None-Match"] = state.etag
    if state is not None and state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    return headers


def plan_fetches(
    sources: Iterable[Source], states: Mapping[str, SavedState], now: datetime, due_only: bool
) -> FetchPlan:
    """Every feed and sitemap of ``sources`` in order; with ``due_only``, those whose next poll
    time is still ahead go to ``not_due`` instead (a feed never fetched is always due)."""
    plan = FetchPlan()
    for source in sources:
        for url in (*source.feeds, *source.sitemaps):
            state = states.get(url)
            fetch = PlannedFetch(
                source, url, "sitemap" if url in source.sitemaps else "feed", state, conditional_headers(state)
            )
            if due_only and state is not None and state.next_fetch_at is not None and state.next_fetch_at > now:
                plan.not_due.append(fetch)
            else:
                plan.fetches.append(fetch)
    return plan
