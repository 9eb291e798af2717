"""Syndicated copies and template series: the candidate look-ups of de-duplication (LSH buckets
for near-equal texts, fingerprints for contained ones) and the re-linking when an original is
found later.  Indexed queries only; the caller computes keys and fingerprints."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from storage.models import Article, LshBucket, TextFingerprint
from storage.repository import article_for_content, article_for_url_keys


def article_for_content_anywhere(session: Session, content_hash: str) -> int | None:
    return session.scalar(select(Article.id).where(Article.content_hash == content_hash).order_by(Article.id).limit(1))


def near_duplicate_candidates(session: Session, keys: Sequence[tuple[int, int]], limit: int = 20) -> list[int]:
    """Articles sharing at least one LSH bucket, most shared buckets first (index look-ups only)."""
    if not keys:
        return []
    from sqlalchemy import and_, or_

    condition = or_(*(and_(LshBucket.band == band, LshBucket.bucket == bucket) for band, bucket in keys))
    statement = (
        select(LshBucket.article_id, func.count().label("shared"))
        .where(condition)
        .group_by(LshBucket.article_id)
        .order_by(func.count().desc(), LshBucket.article_id)
        .limit(limit)
    )
    return [row[0] for row in session.execute(statement)]


# Built once: SQLAlchemy caches its compiled form, so a look-up costs the query, not its compilation.
_CONTAINMENT_QUERY = (
    select(TextFingerprint.article_id, func.count().label("shared"))
    .where(TextFingerprint.fingerprint.in_(bindparam("fingerprints", expanding=True)))
    .group_by(TextFingerprint.article_id)
    .having(func.count() >= bindparam("min_shared"))
    .order_by(func.count().desc(), TextFingerprint.article_id)
    .limit(bindparam("limit"))
)


# Looking for stored texts inside a longer new one: articles sharing at least this many
# fingerprints are looked at, this many per wanted candidate.
CONTAINMENT_FLOOR = 2
CANDIDATES_LOOKED_AT = 4
_TOTALS_QUERY = (
    select(TextFingerprint.article_id, func.count())
    .where(TextFingerprint.article_id.in_(bindparam("ids", expanding=True)))
    .group_by(TextFingerprint.article_id)
)


def fingerprint_totals(session: Session, ids: Sequence[int]) -> dict[int, int]:
    """``{article id: number of its fingerprints}`` (index look-ups by article)."""
    return {row[0]: row[1] for row in session.execute(_TOTALS_QUERY, {"ids": list(ids)})} if ids else {}


def containment_candidates(
    session: Session, fingerprints: Sequence[int], min_shared: int, limit: int = 8, stored_share: float = 0.0
) -> list[int]:
    """Articles sharing at least ``min_shared`` of these fingerprints, or (``stored_share``) at least
    that share of their own: a stored original inside a much longer re-post; most shared first."""
    if not fingerprints:
        return []
    floor = min(min_shared, CONTAINMENT_FLOOR) if stored_share > 0 else min_shared
    looked_at = limit * CANDIDATES_LOOKED_AT if stored_share > 0 else limit
    rows = session.execute(
        _CONTAINMENT_QUERY, {"fingerprints": list(fingerprints), "min_shared": floor, "limit": looked_at}
    ).all()
    totals = fingerprint_totals(session, [row[0] for row in rows if row[1] < min_shared])
    return select_contained(rows, totals, min_shared, stored_share)[:limit]


def select_contained(shared: Sequence[Any], totals: dict[int, int], min_shared: int, stored_share: float) -> list[int]:
    """The ids of ``(id, shared)`` rows (most shared first) that share ``min_shared`` of the new
    text's fingerprints, or ``stored_share`` of their own (``totals``; none known: never by its own)."""
    return [
        article_id
        for article_id, count in shared
        if count >= min_shared
        or (stored_share > 0 and article_id in totals and count >= stored_share * totals[article_id])
    ]


def make_original(session: Session, article_id: int, former_original: int, similarity: float, kind: str) -> int:
    """``article_id`` (found later, published earlier) becomes the original: the former original
    and its copies now point at it.  Returns the number of rows re-linked."""
    result = session.execute(
        update(Article).where(Article.duplicate_of == former_original).values(duplicate_of=article_id)
    )
    session.execute(
        update(Article)
        .where(Article.id == former_original)
        .values(duplicate_of=article_id, similarity=similarity, copy_kind=kind)
    )
    return int(getattr(result, "rowcount", 0) or 0) + 1  # (a CursorResult: UPDATE)


class ArticleLink(NamedTuple):
    """How a stored article is linked (``crawler.dedup.lookup.StoredLink``)."""

    duplicate_of: int | None
    published_at: datetime | None
    series_of: int | None


class ArticleText(NamedTuple):
    """A stored article's text and links (``crawler.dedup.lookup.StoredText``)."""

    text: str
    duplicate_of: int | None
    published_at: datetime | None
    series_of: int | None


def article_texts_and_times(session: Session, ids: Sequence[int]) -> dict[int, ArticleText]:
    """The texts and links of articles, by id."""
    if not ids:
        return {}
    rows = session.execute(
        select(Article.id, Article.text, Article.duplicate_of, Article.published_at, Article.series_of).where(
            Article.id.in_(list(ids))
        )
    )
    return {row[0]: ArticleText(row[1], row[2], row[3], row[4]) for row in rows}


def article_links(session: Session, ids: Sequence[int]) -> dict[int, ArticleLink]:
    """The links of articles, without their texts, by id."""
    if not ids:
        return {}
    rows = session.execute(
        select(Article.id, Article.duplicate_of, Article.published_at, Article.series_of).where(
            Article.id.in_(list(ids))
        )
    )
    return {row[0]: ArticleLink(row[1], row[2], row[3]) for row in rows}


class StoredLookup:
    """The de-duplication's questions (``crawler.dedup.lookup.CopyLookup``) answered by one query each (a write batch that must go one
    article at a time, and the tools).  :class:`storage.batch_index.BatchIndex`
    answers the same questions for a whole batch from a few queries."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def owner_of_urls(self, keys: Sequence[str]) -> int | None:
        return article_for_url_keys(self.session, list(keys))

    def same_source_body(self, source_id: int, content_hash: str) -> int | None:
        return article_for_content(self.session, source_id, content_hash)

    def same_body(self, content_hash: str) -> int | None:
        return article_for_content_anywhere(self.session, content_hash)

    def near_candidates(self, keys: Sequence[tuple[int, int]], limit: int) -> list[int]:
        return near_duplicate_candidates(self.session, keys, limit)

    def containment_candidates(
        self, fingerprints: Sequence[int], min_shared: int, limit: int, stored_share: float = 0.0
    ) -> list[int]:
        return containment_candidates(self.session, fingerprints, min_shared, limit, stored_share)

    def links(self, ids: Sequence[int]) -> dict[int, ArticleLink]:
        return article_links(self.session, ids)

    def texts(self, ids: Sequence[int]) -> dict[int, ArticleText]:
        return article_texts_and_times(self.session, ids)
