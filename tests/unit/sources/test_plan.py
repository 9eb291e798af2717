"""The plan of what to fetch: every feed and sitemap in order, the due ones only when asked, each
with the conditional-GET headers its last fetch saved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from crawler.sources.config import Source
from crawler.sources.plan import plan_fetches

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


@dataclass
class Saved:
    etag: str | None = None
    last_modified: str | None = None
    next_fetch_at: datetime | None = None


SOURCES = [
    Source("a", feeds=("https://a.example/rss", "https://a.example/atom"), sitemaps=("https://a.example/news.xml",)),
    Source("b", feeds=("https://b.example/feed",)),
]
STATES = {
    "https://a.example/rss": Saved(
        etag='"v1"', last_modified="Wed, 03 Dec 2026 10:00:00 GMT", next_fetch_at=NOW + timedelta(minutes=5)
    ),
    "https://a.example/news.xml": Saved(next_fetch_at=NOW - timedelta(seconds=1)),
    "https://b.example/feed": Saved(etag='"b"', next_fetch_at=NOW),
}


def test_everything_in_order_when_due_is_not_asked():
    plan = plan_fetches(SOURCES, STATES, NOW, due_only=False)
    assert [(f.source.name, f.url, f.kind) for f in plan.fetches] == [
        ("a", "https://a.example/rss", "feed"),
        ("a", "https://a.example/atom", "feed"),
        ("a", "https://a.example/news.xml", "sitemap"),
        ("b", "https://b.example/feed", "feed"),
    ]
    assert plan.not_due == []


def test_only_due_feeds_and_those_never_fetched():
    plan = plan_fetches(SOURCES, STATES, NOW, due_only=True)
    # the RSS feed is due in 5 minutes; the Atom feed was never fetched; at exactly its time is due
    assert [f.url for f in plan.fetches] == [
        "https://a.example/atom",
        "https://a.example/news.xml",
        "https://b.example/feed",
    ]
    assert [f.url for f in plan.not_due] == ["https://a.example/rss"]


def test_conditional_headers_come_from_the_saved_state():
    fetches = {f.url: f for f in plan_fetches(SOURCES, STATES, NOW, due_only=False).fetches}
    assert fetches["https://a.example/rss"].headers == {
        "If-None-Match": '"v1"',
        "If-Modified-Since": "Wed, 03 Dec 2026 10:00:00 GMT",
    }
    assert fetches["https://b.example/feed"].headers == {"If-None-Match": '"b"'}
    assert fetches["https://a.example/atom"].headers == {} and fetches["https://a.example/atom"].state is None
    assert fetches["https://a.example/rss"].state is STATES["https://a.example/rss"]
