"""Is this article already stored, or a copy of one?  The verdict of de-duplication, asked of a
:class:`crawler.dedup.lookup.CopyLookup` (the database's rows one query at a time, or a write
batch's index), so that articles of one batch see each other.  Pure: the look-ups are passed in."""

from __future__ import annotations

import math
from collections.abc import MutableMapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from crawler.dedup import neardup
from crawler.dedup.lookup import CopyLookup
from crawler.items import ArticleItem, StorageVerdict


@dataclass(frozen=True, slots=True)
class Duplicate:
    kind: str  # "url" (a URL key is known) or "content" (same source, same normalised body)
    article_id: int
    aliases_added: int


def known_article(
    lookup: CopyLookup, item: ArticleItem, urls: dict[str, str], source_id: int | None
) -> tuple[int, str] | None:
    """(id, "url" or "content") of the stored article this item is, or None when it is new."""
    article_id = lookup.owner_of_urls(list(urls))
    if article_id is not None:
        return article_id, "url"
    content_hash = item.keys.content_hash
    if content_hash and source_id is not None:
        article_id = lookup.same_source_body(source_id, content_hash)
        if article_id is not None:
            return article_id, "content"
    return None


COPY_CLOCK_SKEW = timedelta(minutes=15)  # a copy is published after its original, give or take this


@dataclass(frozen=True, slots=True)
class CopyLink:
    """What the new article is to a stored one."""

    kind: str  # "exact", "near", "partial" (a copy: duplicate_of) or "template" (a series: series_of)
    stored_id: int  # the original (for a copy) or the first article of the series
    similarity: float
    reverse: bool = False  # the new article was published before the stored original: it becomes the original

    def verdict(self) -> StorageVerdict:
        """What the new article is stored as (a reversed link makes it an original)."""
        if self.kind == "template":
            return StorageVerdict(series_of=self.stored_id)
        if self.reverse:
            return StorageVerdict()
        return StorageVerdict(duplicate_of=self.stored_id, similarity=self.similarity, copy_kind=self.kind)


def _published_earlier(item: ArticleItem, original_published: datetime | None) -> bool:
    published = item.article.published_at
    return bool(published and original_published and published < original_published - COPY_CLOCK_SKEW)


def link_copy(
    lookup: CopyLookup, item: ArticleItem, profiles: MutableMapping[int, Any] | None = None
) -> CopyLink | None:
    """How the new article relates to the stored ones: the same normalised body anywhere
    (``exact``), a near or partial copy found through the LSH and fingerprint indexes and
    confirmed on the texts, or the next article of a template series (the same text with other
    numbers, dates or days).  Uses the item's identity keys (computed by the extraction worker); ``lookup`` is a :class:`storage.copies.StoredLookup` or a
    :class:`storage.batch_index.BatchIndex`; ``profiles`` caches the candidates' comparison profiles
    by article id (a stored text never changes, and one candidate often serves a whole batch)."""
    text, keys, prints = item.article.text, item.keys.lsh_keys, item.keys.fingerprints
    same_body = lookup.same_body(item.keys.content_hash) if item.keys.content_hash else None
    if same_body is not None:
        link = lookup.links([same_body])[same_body]
        original = link.duplicate_of or same_body
        original_published = link.published_at if original == same_body else _published(lookup, original)
        return CopyLink("exact", original, 1.0, _published_earlier(item, original_published))
    candidate_ids = lookup.near_candidates([(band, bucket) for band, bucket in keys], neardup.MAX_CANDIDATES)
    min_shared = max(2, math.ceil(len(prints) * neardup.MIN_FINGERPRINT_MATCH))
    candidate_ids += [
        c
        for c in lookup.containment_candidates(
            prints, min_shared, neardup.MAX_CANDIDATES, stored_share=neardup.MIN_FINGERPRINT_MATCH
        )
        if c not in candidate_ids
    ]
    candidates = lookup.texts(candidate_ids)
    if not candidates:
        return None
    new = neardup.profile(text)  # normalised once, whatever the candidates
    best: tuple[int, float, int, str] | None = None  # (rank, score, id, kind)
    for candidate_id, stored in sorted(candidates.items()):
        candidate: neardup.TextProfile | None = profiles.get(candidate_id) if profiles is not None else None
        if candidate is None:
            candidate = neardup.profile(stored.text)
            if profiles is not None:
                profiles[candidate_id] = candidate
        comparison = neardup.compare(new, candidate)
        kind = comparison.kind
        if kind is None:
            continue
        rank = 0 if kind == "template" else 1  # a copy beats a series
        target = (stored.series_of or candidate_id) if kind == "template" else (stored.duplicate_of or candidate_id)
        if best is None or (rank, comparison.score) > (best[0], best[1]):
            best = (rank, comparison.score, target, kind)
    if best is None:
        return None
    _, score, target, kind = best
    known = candidates.get(target)
    reverse = kind != "template" and _published_earlier(
        item, known.published_at if known else _published(lookup, target)
    )
    return CopyLink(kind, target, score, reverse)


def _published(lookup: CopyLookup, article_id: int) -> datetime | None:
    link = lookup.links([article_id]).get(article_id)
    return link.published_at if link else None
