"""One write batch's look-ups and inserts: a few queries and bulk statements per batch, not per article.

:class:`BatchIndex` reads, in one query each, every stored row the batch's articles could collide
with (URL keys, content hashes, LSH buckets, text fingerprints) and answers the de-duplication's
questions from memory; articles of the batch are added to it as they are decided (under
provisional negative ids), so they see each other exactly as if each had been stored before the
next was checked.  :func:`insert_articles` writes the rows with one compiled statement per round
(executemany, with ``RETURNING`` through SQLAlchemy's insertmanyvalues), resolving references to
articles of the same batch as their ids come back; the aliases, buckets and fingerprints follow
as three more executemany statements.  The caller computes every key (storage knows rows, not
text rules).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from storage.copies import (
    CANDIDATES_LOOKED_AT,
    CONTAINMENT_FLOOR,
    ArticleLink,
    ArticleText,
    article_links,
    article_texts_and_times,
    fingerprint_totals,
    select_contained,
)
from storage.models import Article, ArticleUrl, LshBucket, TextFingerprint, table_of, utcnow
from storage.repository import _insert

CHUNK = 500  # values per IN list (SQLite's variable limit, PostgreSQL's plan size)


class BatchConflict(Exception):
    """A row of the batch was written meanwhile by another process: write the batch one by one."""


def _order(article_id: int) -> tuple[int, int]:
    """Stored articles (positive ids) before the batch's own (negative, in batch order)."""
    return (0, article_id) if article_id > 0 else (1, -article_id)


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


class BatchIndex:
    def __init__(
        self,
        session: Session,
        url_keys: Iterable[str],
        content_hashes: Iterable[str],
        lsh_keys: Iterable[tuple[int, int]],
        fingerprints: Iterable[int],
    ) -> None:
        self.session = session
        self.url_owner: dict[str, int] = {}
        self.by_hash: dict[str, list[tuple[int, int]]] = defaultdict(list)  # hash -> [(id, source_id)]
        self.by_bucket: dict[tuple[int, int], list[int]] = defaultdict(list)
        self.by_print: dict[int, list[int]] = defaultdict(list)
        self.print_totals: dict[int, int] = {}  # fingerprints per article (stored ones looked up when needed)
        self.links_known: dict[int, ArticleLink] = {}
        self.texts_known: dict[int, ArticleText] = {}
        keys, hashes = sorted(set(url_keys)), sorted(set(content_hashes))
        pairs, prints = sorted(set(lsh_keys)), sorted(set(fingerprints))
        for chunk in _chunks(keys):
            self.url_owner.update(
                (key, article_id)
                for key, article_id in session.execute(
                    select(ArticleUrl.url_key, ArticleUrl.article_id).where(ArticleUrl.url_key.in_(chunk))
                )
            )
        for chunk in _chunks(hashes):
            for article_id, source_id, content_hash in session.execute(
                select(Article.id, Article.source_id, Article.content_hash).where(Article.content_hash.in_(chunk))
            ):
                if content_hash is not None:  # (selected by it)
                    self.by_hash[content_hash].append((article_id, source_id))
        for chunk in _chunks(pairs):
            # One OR term per band, each "band = ? AND bucket IN (...)": both SQLite (MULTI-INDEX
            # OR) and PostgreSQL (BitmapOr) look each term up in the (band, bucket) index, where a
            # row-value IN list would scan the table.
            by_band: dict[int, list[int]] = defaultdict(list)
            for band, bucket in chunk:
                by_band[band].append(bucket)
            condition = or_(
                *(
                    and_(LshBucket.band == band, LshBucket.bucket.in_(buckets))
                    for band, buckets in sorted(by_band.items())
                )
            )
            for band, bucket, article_id in session.execute(
                select(LshBucket.band, LshBucket.bucket, LshBucket.article_id).where(condition)
            ):
                self.by_bucket[(band, bucket)].append(article_id)
        for chunk in _chunks(prints):
            for fingerprint, article_id in session.execute(
                select(TextFingerprint.fingerprint, TextFingerprint.article_id).where(
                    TextFingerprint.fingerprint.in_(chunk)
                )
            ):
                self.by_print[fingerprint].append(article_id)

    # --- the questions of de-duplication ------------------------------------------------------------
    def owner_of_urls(self, keys: Iterable[str]) -> int | None:
        owners = [self.url_owner[key] for key in keys if key in self.url_owner]
        return min(owners, key=_order) if owners else None

    def same_source_body(self, source_id: int, content_hash: str) -> int | None:
        ids = [article_id for article_id, source in self.by_hash.get(content_hash, ()) if source == source_id]
        return min(ids, key=_order) if ids else None

    def same_body(self, content_hash: str) -> int | None:
        ids = [article_id for article_id, _ in self.by_hash.get(content_hash, ())]
        return min(ids, key=_order) if ids else None

    def near_candidates(self, keys: Iterable[tuple[int, int]], limit: int) -> list[int]:
        return _most_shared(self.by_bucket, keys, 1, limit)

    def containment_candidates(
        self, fingerprints: Iterable[int], min_shared: int, limit: int, stored_share: float = 0.0
    ) -> list[int]:
        if stored_share <= 0:
            return _most_shared(self.by_print, fingerprints, min_shared, limit)
        floor = min(min_shared, CONTAINMENT_FLOOR)
        shared = _shared_counts(self.by_print, fingerprints, floor, limit * CANDIDATES_LOOKED_AT)
        unknown = [a for a, count in shared if count < min_shared and a > 0 and a not in self.print_totals]
        self.print_totals.update(fingerprint_totals(self.session, unknown))
        return select_contained(shared, self.print_totals, min_shared, stored_share)[:limit]

    def links(self, ids: Sequence[int]) -> dict[int, ArticleLink]:
        """The links of stored and batch articles, by id."""
        self.links_known.update(article_links(self.session, [i for i in ids if i not in self.links_known and i > 0]))
        return {i: self.links_known[i] for i in ids if i in self.links_known}

    def texts(self, ids: Sequence[int]) -> dict[int, ArticleText]:
        """The texts and links of stored and batch articles, by id."""
        self.texts_known.update(
            article_texts_and_times(self.session, [i for i in ids if i not in self.texts_known and i > 0])
        )
        return {i: self.texts_known[i] for i in ids if i in self.texts_known}

    # --- what the batch adds ----------------------------------------------------------------------
    def claim_urls(self, article_id: int, keys: Iterable[str]) -> list[str]:
        """Record URL keys for an article; returns the keys that were new."""
        new = [key for key in keys if key not in self.url_owner]
        for key in new:
            self.url_owner[key] = article_id
        return new

    def add(
        self,
        article_id: int,
        source_id: int,
        values: dict[str, Any],
        lsh_keys: Iterable[tuple[int, int]],
        fingerprints: Iterable[int],
    ) -> None:
        """An article of the batch, decided: later articles of the batch can find it."""
        if values.get("content_hash"):
            self.by_hash[values["content_hash"]].append((article_id, source_id))
        for key in lsh_keys:
            self.by_bucket[tuple(key)].append(article_id)  # type: ignore[index]
        prints = list(fingerprints)
        for value in prints:
            self.by_print[value].append(article_id)
        self.print_totals[article_id] = len(set(prints))
        link = ArticleLink(values.get("duplicate_of"), values.get("published_at"), values.get("series_of"))
        self.links_known[article_id] = link
        self.texts_known[article_id] = ArticleText(values["text"], *link)


def _most_shared(index: dict[Any, list[int]], values: Iterable[Any], minimum: int, limit: int) -> list[int]:
    """Articles sharing at least ``minimum`` of ``values``, most shared first (then stored before
    the batch's own, in id order): the in-memory form of storage.copies' candidate queries."""
    return [article_id for article_id, _ in _shared_counts(index, values, minimum, limit)]


def _shared_counts(
    index: dict[Any, list[int]], values: Iterable[Any], minimum: int, limit: int
) -> list[tuple[int, int]]:
    """``(id, shared)`` of the articles sharing at least ``minimum`` of ``values``, in that order."""
    shared: dict[int, int] = defaultdict(int)
    for value in set(values):
        for article_id in set(index.get(value, ())):
            shared[article_id] += 1
    found = [a for a, count in shared.items() if count >= minimum]
    return [(a, shared[a]) for a in sorted(found, key=lambda a: (-shared[a], _order(a)))[:limit]]


REFERENCES = ("duplicate_of", "series_of")


def insert_articles(session: Session, rows: dict[int, dict[str, Any]]) -> dict[int, int]:
    """Insert ``{provisional id: values}`` (``duplicate_of``/``series_of`` may name provisional
    ids); returns ``{provisional id: id}``.  :class:`BatchConflict` when a URL key was stored meanwhile."""
    table = Article.__table__
    statement = (
        _insert(session)(table)
        .on_conflict_do_nothing(index_elements=["url_key"])
        .returning(table.c.id, table.c.url_key)
    )
    ids: dict[int, int] = {}
    remaining = dict(rows)
    while remaining:
        ready = {
            p: v for p, v in remaining.items() if all((v.get(ref) or 0) >= 0 or v[ref] in ids for ref in REFERENCES)
        }
        if not ready:
            raise BatchConflict("circular references in a batch")
        params = []
        for values in ready.values():
            resolved = dict(values)
            for ref in REFERENCES:
                if (resolved.get(ref) or 0) < 0:
                    resolved[ref] = ids[resolved[ref]]
            params.append(resolved)
        returned = {url_key: article_id for article_id, url_key in session.execute(statement, params)}
        for provisional, values in ready.items():
            if values["url_key"] not in returned:
                raise BatchConflict(f"{values['url_key']} stored meanwhile")
            ids[provisional] = returned[values["url_key"]]
            del remaining[provisional]
    return ids


def insert_children(
    session: Session, aliases: list[dict[str, Any]], buckets: list[dict[str, int]], fingerprints: list[dict[str, int]]
) -> None:
    """Aliases (``url_key``, ``url``, ``article_id``, ``kind``), LSH buckets and fingerprints, in bulk."""
    if aliases:
        now = utcnow()
        session.execute(
            _insert(session)(ArticleUrl.__table__).on_conflict_do_nothing(index_elements=["url_key"]),
            [{**alias, "created_at": now} for alias in aliases],
        )
    if buckets:
        session.execute(table_of(LshBucket).insert(), buckets)
    if fingerprints:
        session.execute(table_of(TextFingerprint).insert(), fingerprints)
