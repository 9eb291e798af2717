"""SQLAlchemy 2 models: the shape of the database.

Alembic migrations under ``storage/migrations`` are the schema authority; these models must agree
with them (``tests/unit/storage/test_storage.py`` checks it).  Timestamps are stored in UTC and always come back
timezone-aware.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime stored as UTC on every backend (SQLite keeps no offsets)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: akhbar stores only timezone-aware times")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def table_of(model: type[Base]) -> Table:
    """A model's Core table (for executemany inserts of plain rows)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON(), list[str]: JSON()}


class Source(Base):
    """An outlet from the sources file, recorded on first crawl."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    homepage: Mapped[str | None] = mapped_column(String(2048))
    language: Mapped[str | None] = mapped_column(String(16))
    timezone: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Feed(Base):
    """One feed or sitemap URL of a source, with what its last fetch said."""

    __tablename__ = "feeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    kind: Mapped[str] = mapped_column(String(16), default="feed")
    status: Mapped[str | None] = mapped_column(String(64))
    last_fetched_at: Mapped[datetime | None]
    last_ok_at: Mapped[datetime | None]
    entries_seen: Mapped[int | None] = mapped_column(Integer)
    # Conditional GET and change detection.
    etag: Mapped[str | None] = mapped_column(String(512))
    last_modified: Mapped[str | None] = mapped_column(String(128))
    body_hash: Mapped[str | None] = mapped_column(String(64))
    # Polling: crawler.sources.polling decides these after every fetch.
    next_fetch_at: Mapped[datetime | None] = mapped_column(index=True)
    interval_seconds: Mapped[int | None] = mapped_column(Integer)
    failure_weight: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None]
    last_new_at: Mapped[datetime | None]
    # Fetches ever made, by outcome: monotonic counters for monitoring (Prometheus).
    fetches_ok: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    fetches_not_modified: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    fetches_failed: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class FeedEvent(Base):
    """A bounded history of fetches per feed (the newest ``FEED_EVENTS_KEPT``)."""

    __tablename__ = "feed_events"
    __table_args__ = (Index("ix_feed_events_feed_id_id", "feed_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feeds.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(64))
    entries: Mapped[int | None] = mapped_column(Integer)
    new_entries: Mapped[int | None] = mapped_column(Integer)
    bytes: Mapped[int | None] = mapped_column(Integer)
    next_fetch_at: Mapped[datetime | None]


class SourceLock(Base):
    """Who is crawling a source right now (cron, the scheduler, a manual crawl): one at a time."""

    __tablename__ = "source_locks"

    source_name: Mapped[str] = mapped_column(String(100), primary_key=True)
    holder: Mapped[str] = mapped_column(String(255))
    acquired_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]


# The counters a crawl run records per source (columns of crawl_runs), in the order shown.
RUN_COUNTERS = (
    "feeds_fetched",
    "feeds_not_modified",
    "feeds_failed",
    "entries_seen",
    "articles_new",
    "duplicates",
    "pages_failed",
    "bytes_downloaded",
)


class CrawlRun(Base):
    """One crawl of one source: when, how it ended, and what it found."""

    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16), default="running")
    finish_reason: Mapped[str | None] = mapped_column(String(64))
    feeds_fetched: Mapped[int] = mapped_column(Integer, default=0)
    feeds_failed: Mapped[int] = mapped_column(Integer, default=0)
    feeds_not_modified: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    entries_seen: Mapped[int] = mapped_column(Integer, default=0)
    articles_new: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    pages_failed: Mapped[int] = mapped_column(Integer, default=0)
    # pages_failed by reason: {"HTTP 404": 2, "timeout": 1, "not html": 1, "extraction": 1}
    failure_reasons: Mapped[dict[str, Any] | None]
    bytes_downloaded: Mapped[int] = mapped_column(BigInteger, default=0)
    # The process that ran it, so that the next run can tell a crawl that died (SIGKILL, power
    # loss) from one still running, and mark it "interrupted".
    host: Mapped[str | None] = mapped_column(String(255))
    pid: Mapped[int | None] = mapped_column(Integer)
    # The cluster worker (`akhbar worker --name`, default HOST:PID); NULL for a single-process crawl.
    worker: Mapped[str | None] = mapped_column(String(255))


class Article(Base):
    """A stored article.  ``url`` is the URL it was first fetched from; every URL known to lead
    to it is in ``article_urls``."""

    __tablename__ = "articles"
    __table_args__ = (
        Index("ix_articles_source_id_published_at", "source_id", "published_at"),
        Index("ix_articles_source_id_fetched_at", "source_id", "fetched_at"),
        Index("ix_articles_source_id_published_date", "source_id", "published_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    crawl_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id", ondelete="SET NULL"), index=True)
    url: Mapped[str] = mapped_column(Text)
    url_key: Mapped[str] = mapped_column(String(2048), unique=True)
    canonical_url: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    # Where the headline came from: h1 (h2, h3) printed on the page, jsonld, og, twitter, title, trafilatura, feed.
    title_from: Mapped[str | None] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    authors: Mapped[list[str] | None]
    # Where the byline came from: visible (printed on the page), jsonld, meta, itemprop, card, feed.
    author_from: Mapped[str | None] = mapped_column(String(16))
    published_at: Mapped[datetime | None]
    # False: the page gave only the day (published_at is then local midnight, in UTC).
    published_has_time: Mapped[bool | None]
    # Where published_at came from: "jsonld:datePublished", "meta:article:published_time",
    # "feed", "visible" (Arabic text next to the headline), "htmldate"...
    published_from: Mapped[str | None] = mapped_column(String(64))
    # The calendar day of publication in the source's zone: what to group by day (a date-only
    # publication keeps its printed day, whatever its UTC published_at).
    published_date: Mapped[date | None] = mapped_column(Date)
    # Where the zone of published_at came from: page, configured, inferred, assumed-utc.
    published_tz_from: Mapped[str | None] = mapped_column(String(16))
    # The cluster worker that stored it; NULL when a single-process crawl did.
    worker: Mapped[str | None] = mapped_column(String(255))
    # An organisation credited as author (JSON-LD author of type Organization): never in `author`.
    author_organization: Mapped[str | None] = mapped_column(Text)
    modified_at: Mapped[datetime | None]
    fetched_at: Mapped[datetime]
    language: Mapped[str | None] = mapped_column(String(16))
    image_url: Mapped[str | None] = mapped_column(Text)
    categories: Mapped[list[str] | None]
    tags: Mapped[list[str] | None]
    feed_guid: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    duplicate_of: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"), index=True)
    similarity: Mapped[float | None] = mapped_column(Float)
    # How this article copies duplicate_of: "exact" (same normalised body), "near" (Jaccard),
    # "partial" (most of one text contained in the other).  NULL for originals.
    copy_kind: Mapped[str | None] = mapped_column(String(16))
    # Template news (daily prices, prayer times, weather): the first article of the series this one
    # repeats with other numbers, dates or days.  Not a copy: it stays in articles_unique.
    series_of: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"), index=True)
    # Arabic-normalised title and body (crawler.text.arabic.search_key): what full-text search indexes
    # (SQLite: the FTS5 table articles_fts; PostgreSQL: the generated tsvector search_vector).
    search_text: Mapped[str | None] = mapped_column(Text)
    # PostgreSQL: the id of the inserting transaction, for export cursors that never skip a row
    # committed late (sequence ids can commit out of order); NULL on SQLite (ids commit in order).
    commit_txid: Mapped[int | None] = mapped_column(BigInteger, index=True)
    # The story (stories.id): articles reporting the same event share it; a copy shares its
    # original's.  NULL only for rows stored before stories existed (`akhbar stories rebuild`).
    story_id: Mapped[int | None] = mapped_column(Integer, index=True)


class ArticleUrl(Base):
    """Every URL (by its canonical key) known to lead to an article: the alias table."""

    __tablename__ = "article_urls"
    __table_args__ = (UniqueConstraint("url_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url_key: Mapped[str] = mapped_column(String(2048))
    url: Mapped[str] = mapped_column(Text)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LshBucket(Base):
    """The near-duplicate index: one row per LSH band of each article's MinHash signature.
    Articles sharing a ``(band, bucket)`` are candidates, confirmed on their texts."""

    __tablename__ = "lsh_buckets"
    __table_args__ = (Index("ix_lsh_buckets_band_bucket", "band", "bucket"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    band: Mapped[int] = mapped_column(Integer)
    bucket: Mapped[int] = mapped_column(BigInteger)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)


class BackfillDone(Base):
    """Sitemaps a backfill has finished (every article stored or failed for good): a restarted
    backfill of the same range skips them."""

    __tablename__ = "backfill_done"
    __table_args__ = (UniqueConstraint("backfill", "url"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    backfill: Mapped[str] = mapped_column(String(100))
    url: Mapped[str] = mapped_column(String(2048))
    done_at: Mapped[datetime] = mapped_column(default=utcnow)


class TextFingerprint(Base):
    """The containment index: the sampled shingle hashes of each article's body
    (crawler.dedup.neardup.fingerprints).  A text mostly contained in a stored one shares most of
    its fingerprints with it."""

    __tablename__ = "text_fingerprints"
    __table_args__ = (Index("ix_text_fingerprints_fingerprint", "fingerprint"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    fingerprint: Mapped[int] = mapped_column(BigInteger)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)


class Story(Base):
    """One event as the outlets reported it (articles.story_id).  Its id is the id of the article
    that started it; the rest is recomputed from its articles whenever one joins."""

    __tablename__ = "stories"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    first_article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"))
    first_source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"))
    first_reported_at: Mapped[datetime | None]  # the earliest publication (or fetch) time of its articles
    last_reported_at: Mapped[datetime | None] = mapped_column(index=True)
    articles: Mapped[int] = mapped_column(Integer)
    sources: Mapped[int] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(Text)  # the first article's
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class StoryTerm(Base):
    """The story index: the event terms of each article that started or joined a story
    (crawler.stories.terms), with its time, so that a new article finds the reports of the
    same event within the story window."""

    __tablename__ = "story_terms"
    __table_args__ = (Index("ix_story_terms_term_at", "term", "at"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    term: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[int] = mapped_column(SmallInteger)  # 0 word, 1 place, 2 number
    at: Mapped[datetime]
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
