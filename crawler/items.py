"""Typed items.  Unknown is ``None``, never a made-up value."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(slots=True)
class FeedEntry:
    """One entry of a feed or news sitemap, as the feed states it."""

    link: str
    title: str | None = None
    published_at: datetime | None = None
    published_text: str | None = None
    modified_at: datetime | None = None
    author: str | None = None
    guid: str | None = None
    summary: str | None = None
    tags: list[str] = field(default_factory=list)
    language: str | None = None


@dataclass(slots=True)
class ArticleItem:
    """An extracted article, as it will be stored (timestamps timezone-aware, in UTC)."""

    url: str | None  # None only from `akhbar extract` without --url; every crawled article has one
    source: str
    text: str
    fetched_at: datetime
    title: str | None = None
    canonical_url: str | None = None
    author: str | None = None
    authors: list[str] = field(default_factory=list)
    author_organization: str | None = None  # an organisation credited as author (JSON-LD), never in `author`
    published_at: datetime | None = None
    published_from: str | None = None
    published_has_time: bool | None = None
    published_date: date | None = None  # the calendar day of publication in the source's zone
    published_tz_from: str | None = None  # page / configured / inferred / assumed-utc
    published_tz: str | None = None  # the zone local times were read in, when the timestamp had none
    modified_at: datetime | None = None
    description: str | None = None
    image_url: str | None = None
    language: str | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    feed_url: str | None = None
    feed_guid: str | None = None
    entry_url: str | None = None
    redirect_urls: list[str] = field(default_factory=list)
    url_keys: list[str] = field(default_factory=list)
    content_hash: str | None = None
    duplicate_of: int | None = None
    similarity: float | None = None
    copy_kind: str | None = None  # exact / near / partial, with duplicate_of
    series_of: int | None = None  # template news: the first article of the series
    lsh_keys: list[tuple[int, int]] = field(default_factory=list)
    fingerprints: list[int] = field(default_factory=list)  # containment index (crawler.dedup.neardup)
    search_text: str | None = None  # normalised title + body for full-text search
