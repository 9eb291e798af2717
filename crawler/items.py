"""Typed items.  Unknown is ``None``, never a made-up value.

An article travels as an :class:`ArticleItem` made of four parts, each written by one hand:

- :class:`ExtractedArticle`: what the extraction read from the page and its feed entry
  (``crawler.extraction.article.extract_article``, in an extraction worker); frozen.
- :class:`IdentityKeys`: what de-duplication compares, computed from the body in the same worker
  (``crawler.dedup.keys.identity_keys``); frozen.
- :class:`Provenance`: how the page was fetched (the spider); frozen.
- :class:`StorageVerdict`: what writing decided (``crawler.writing.batch``), set on the item by
  the store pipeline once its batch has committed; None until then.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from crawler.text.urls import url_key


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


@dataclass(frozen=True, slots=True)
class ExtractedArticle:
    """An article as the extraction read it (timestamps timezone-aware, in UTC)."""

    url: str | None  # the page's address, tracking parameters dropped; None only from `akhbar extract` without --url
    text: str
    title: str | None = None
    title_from: str | None = None  # h1 (h2, h3): the printed headline; jsonld, og, twitter, title, trafilatura, feed
    canonical_url: str | None = None
    author: str | None = None
    authors: list[str] = field(default_factory=list)
    author_from: str | None = None  # where the byline came from: visible, jsonld, meta, itemprop, card, feed
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


@dataclass(frozen=True, slots=True)
class IdentityKeys:
    """What de-duplication compares.  Empty for a page without body text."""

    content_hash: str | None = None  # SHA-256 of the Arabic-normalised body
    search_text: str | None = None  # normalised title + body for full-text search
    lsh_keys: list[tuple[int, int]] = field(default_factory=list)  # (band, bucket); none for short bodies
    fingerprints: list[int] = field(default_factory=list)  # containment index (crawler.dedup.neardup)
    story_terms: list[tuple[int, int]] = field(default_factory=list)  # (term, kind): crawler.stories.terms


@dataclass(frozen=True, slots=True)
class Provenance:
    """How the page was fetched, and from which feed entry."""

    source: str
    fetched_at: datetime
    feed_url: str | None = None
    feed_guid: str | None = None
    entry_url: str | None = None  # the link as the feed gave it
    redirect_urls: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class StorageVerdict:
    """What the stored article is to the others: a copy (``duplicate_of`` with its similarity and
    kind: exact / near / partial), the next article of a template series (``series_of``), or,
    with these None, an original; and the story it joined or started."""

    duplicate_of: int | None = None
    similarity: float | None = None
    copy_kind: str | None = None
    series_of: int | None = None
    story_id: int | None = None  # the story it reports (stories.id), a copy its original's


@dataclass(frozen=True, slots=True)
class Extraction:
    """What an extraction worker sends back for one page."""

    article: ExtractedArticle
    keys: IdentityKeys


@dataclass(slots=True)
class ArticleItem:
    """The item of one article: its parts are replaced, never changed in place."""

    article: ExtractedArticle
    fetch: Provenance
    keys: IdentityKeys = field(default_factory=IdentityKeys)
    verdict: StorageVerdict | None = None

    @property
    def url(self) -> str | None:
        return self.article.url

    @property
    def source(self) -> str:
        return self.fetch.source

    def urls(self) -> dict[str, str]:
        """``{url_key: url}`` of every address known to lead to this article."""
        found: dict[str, str] = {}
        for url in (self.article.url, self.article.canonical_url, self.fetch.entry_url, *self.fetch.redirect_urls):
            if url:
                found.setdefault(url_key(url), url)
        return found

    def record(self) -> dict[str, Any]:
        """Every part's fields in one flat mapping (``akhbar extract``'s output), with the URL keys."""
        return {
            **asdict(self.article),
            **asdict(self.fetch),
            "url_keys": sorted(self.urls()),
            **asdict(self.keys),
            **asdict(self.verdict or StorageVerdict()),
        }
