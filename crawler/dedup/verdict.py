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
from crawler.text.urls import url_key

# An item as the write path sees it: ``itemadapter.ItemAdapter`` of an ArticleItem, or a dict.
ItemFields = MutableMapping[str, Any]


def alias_urls(adapter: ItemFields) -> dict[str, str]:
    """``{url_key: url}`` of every URL known to lead to this article."""
    urls: dict[str, str] = {}
    candidates = [
        adapter.get("url"),
        adapter.get("canonical_url"),
        adapter.get("entry_url"),
        *(adapter.get("redirect_urls") or []),
    ]
    for url in candidates:
        if url:
            urls.setdefault(url_key(url), url)
    return urls


@dataclass(frozen=True, slots=True)
class Duplicate:
    kind: str  # "url" (a URL key is known) or "content" (same source, same normalised body)
    article_id: int
    aliases_added: int


def known_article(
    lookup: CopyLookup, adapter: ItemFields, urls: dict[str, str], source_id: int | None
) -> tuple[int, str] | None:
    """(id, "url" or "content") of the stored article this item is, or None when it is new."""
    article_id = lookup.owner_of_urls(list(urls))
    if article_id is not None:
        return article_id, "url"
    if adapter.get("content_hash") and source_id is not None:
        article_id = lookup.same_source_body(source_id, adapter["content_hash"])
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


def _published_earlier(adapter: ItemFields, original_published: datetime | None) -> bool:
    published = adapter.get("published_at")
    return bool(published and original_published and published < original_published - COPY_CLOCK_SKEW)


def ensure_copy_keys(adapter: ItemFields) -> None:
    """LSH keys and fingerprints of items built elsewhere than the extraction (which computes them)."""
    if not adapter.get("lsh_keys") and not adapter.get("fingerprints"):
        shingle_set, keys = neardup.lsh_keys(adapter.get("text") or "")
        adapter["lsh_keys"], adapter["fingerprints"] = keys, (neardup.fingerprints(shingle_set) if keys else [])


def link_copy(
    lookup: CopyLookup, adapter: ItemFields, profiles: MutableMapping[int, Any] | None = None
) -> CopyLink | None:
    """How the new article relates to the stored ones: the same normalised body anywhere
    (``exact``), a near or partial copy found through the LSH and fingerprint indexes and
    confirmed on the texts, or the next article of a template series (the same text with other
    numbers, dates or days).  Uses the item's ``lsh_keys`` and ``fingerprints`` (computed by the
    extraction worker); ``lookup`` is a :class:`storage.copies.StoredLookup` or a
    :class:`storage.batch_index.BatchIndex`; ``profiles`` caches the candidates' comparison profiles
    by article id (a stored text never changes, and one candidate often serves a whole batch)."""
    text = adapter.get("text") or ""
    ensure_copy_keys(adapter)
    keys, prints = adapter.get("lsh_keys") or [], adapter.get("fingerprints") or []
    same_body = lookup.same_body(adapter["content_hash"]) if adapter.get("content_hash") else None
    if same_body is not None:
        duplicate_of, published, _ = lookup.links([same_body])[same_body]
        original = duplicate_of or same_body
        original_published = published if original == same_body else _published(lookup, original)
        return CopyLink("exact", original, 1.0, _published_earlier(adapter, original_published))
    candidate_ids = lookup.near_candidates([tuple(k) for k in keys], neardup.MAX_CANDIDATES)
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
    for candidate_id, (candidate_text, candidate_original, _, candidate_series) in sorted(candidates.items()):
        candidate: neardup.TextProfile | None = profiles.get(candidate_id) if profiles is not None else None
        if candidate is None:
            candidate = neardup.profile(candidate_text)
            if profiles is not None:
                profiles[candidate_id] = candidate
        comparison = neardup.compare(new, candidate)
        kind = comparison.kind
        if kind is None:
            continue
        rank = 0 if kind == "template" else 1  # a copy beats a series
        target = (candidate_series or candidate_id) if kind == "template" else (candidate_original or candidate_id)
        if best is None or (rank, comparison.score) > (best[0], best[1]):
            best = (rank, comparison.score, target, kind)
    if best is None:
        return None
    _, score, target, kind = best
    known = candidates.get(target)
    reverse = kind != "template" and _published_earlier(adapter, known[2] if known else _published(lookup, target))
    return CopyLink(kind, target, score, reverse)


def _published(lookup: CopyLookup, article_id: int) -> datetime | None:
    link = lookup.links([article_id]).get(article_id)
    return link[1] if link else None
