"""What akhbar remembers of each feed and sitemap between crawls: validators (ETag,
Last-Modified, body hash), the next poll time and back-off, the fetch history kept per feed,
which sources are due, and which backfill sitemaps are finished."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session

from storage.models import BackfillDone, Feed, FeedEvent, Source, utcnow
from storage.repository import _insert

FEED_EVENTS_KEPT = 100


@dataclass(frozen=True, slots=True)
class FeedState:
    url: str
    etag: str | None
    last_modified: str | None
    body_hash: str | None
    next_fetch_at: Any
    interval_seconds: int | None
    failure_weight: float


def feed_states(engine: Engine, urls: Sequence[str]) -> dict[str, FeedState]:
    """What the last fetches of these feeds left behind, by URL."""
    if not urls:
        return {}
    with Session(engine) as session:
        rows = session.execute(
            select(
                Feed.url,
                Feed.etag,
                Feed.last_modified,
                Feed.body_hash,
                Feed.next_fetch_at,
                Feed.interval_seconds,
                Feed.failure_weight,
            ).where(Feed.url.in_(list(urls)))
        ).all()
    return {row[0]: FeedState(row[0], row[1], row[2], row[3], row[4], row[5], float(row[6] or 0)) for row in rows}


@dataclass(slots=True)
class FeedFetch:
    """The outcome of one fetch of a feed, as the spider saw it."""

    url: str
    status: str
    ok: bool
    next_fetch_at: Any = None
    interval_seconds: int | None = None
    failure_weight: float = 0.0
    entries: int | None = None
    new_entries: int | None = None
    bytes: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    error: str | None = None


def record_feed_fetch(engine: Engine, fetch: FeedFetch) -> None:
    """Remember a fetch: the feed's state and one event in its bounded history."""
    now = utcnow()
    values: dict[str, Any] = {
        "status": fetch.status,
        "last_fetched_at": now,
        "next_fetch_at": fetch.next_fetch_at,
        "interval_seconds": fetch.interval_seconds,
        "failure_weight": fetch.failure_weight,
    }
    if fetch.ok:
        values["last_ok_at"] = now
        if fetch.entries is not None:
            values["entries_seen"] = fetch.entries
        if fetch.new_entries:
            values["last_new_at"] = now
        for key in ("etag", "last_modified", "body_hash"):
            if getattr(fetch, key) is not None:
                values[key] = getattr(fetch, key)
    else:
        values["last_error"] = fetch.error or fetch.status
        values["last_error_at"] = now
    with Session(engine) as session, session.begin():
        feed_id = session.scalar(select(Feed.id).where(Feed.url == fetch.url))
        if feed_id is None:
            return
        counter = (
            Feed.fetches_not_modified
            if fetch.status == "not modified"
            else Feed.fetches_ok
            if fetch.ok
            else Feed.fetches_failed
        )
        values[counter.key] = counter + 1
        session.execute(update(Feed).where(Feed.id == feed_id).values(**values))
        session.add(
            FeedEvent(
                feed_id=feed_id,
                at=now,
                status=fetch.status,
                entries=fetch.entries,
                new_entries=fetch.new_entries,
                bytes=fetch.bytes,
                next_fetch_at=fetch.next_fetch_at,
            )
        )
        session.flush()
        oldest_kept = session.scalar(
            select(FeedEvent.id)
            .where(FeedEvent.feed_id == feed_id)
            .order_by(FeedEvent.id.desc())
            .offset(FEED_EVENTS_KEPT - 1)
            .limit(1)
        )
        if oldest_kept is not None:
            session.execute(delete(FeedEvent).where(FeedEvent.feed_id == feed_id, FeedEvent.id < oldest_kept))


def save_feed_validators(
    engine: Engine, url: str, etag: str | None, last_modified: str | None, body_hash: str | None
) -> None:
    """ETag, Last-Modified and body hash of a feed body whose every entry has been handled."""
    with Session(engine) as session, session.begin():
        session.execute(
            update(Feed).where(Feed.url == url).values(etag=etag, last_modified=last_modified, body_hash=body_hash)
        )


def due_source_names(engine: Engine, names: Sequence[str], now: Any) -> list[str]:
    """The sources with a feed never fetched or due (``next_fetch_at`` passed), in order."""
    with Session(engine) as session:
        rows = session.execute(
            select(Source.name, Feed.next_fetch_at)
            .join(Feed, Feed.source_id == Source.id)
            .where(Source.name.in_(list(names)))
        ).all()
    known: dict[str, bool] = {}
    for name, next_at in rows:
        known[name] = known.get(name, False) or next_at is None or next_at <= now
    return [n for n in names if known.get(n, True)]


def backfill_done_urls(engine: Engine, backfill: str) -> set[str]:
    with Session(engine) as session:
        return set(session.scalars(select(BackfillDone.url).where(BackfillDone.backfill == backfill)))


def mark_backfill_done(engine: Engine, backfill: str, url: str) -> None:
    with Session(engine) as session, session.begin():
        session.execute(
            _insert(session)(BackfillDone)
            .values(backfill=backfill, url=url, done_at=utcnow())
            .on_conflict_do_nothing(index_elements=["backfill", "url"])
        )
