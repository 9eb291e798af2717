"""Is this article already stored, or a copy of one?  Shared by the dedupe pipeline (an early
filter, before an item waits for a write batch) and the store pipeline (the authoritative check,
inside the write transaction, so that articles of one batch see each other)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from itemadapter import ItemAdapter
from sqlalchemy.orm import Session

from crawler.keys import neardup
from crawler.keys.urls import url_key
from storage.copies import (
    article_for_content_anywhere,
    article_links,
    article_texts_and_times,
    containment_candidates,
    near_duplicate_candidates,
)
from storage.repository import add_aliases, article_for_content, article_for_url_keys, source_id_by_name


def alias_urls(adapter: ItemAdapter) -> dict[str, str]:
    """``{url_key: url}`` of every URL known to lead to this article."""
    urls: dict[str, str] = {}
    candidates = [adapter.get("url"), adapter.get("canonical_url"), adapter.get("entry_url"),
                  *(adapter.get("redirect_urls") or [])]
    for url in candidates:
        if url:
            urls.setdefault(url_key(url), url)
    return urls


@dataclass(frozen=True, slots=True)
class Duplicate:
    kind: str  # "url" (a URL key is known) or "content" (same source, same normalised body)
    article_id: int
    aliases_added: int


def find_duplicate(session: Session, adapter: ItemAdapter, source_id: int | None) -> Duplicate | None:
    """The stored article this item is, with its new URLs recorded as aliases; None when new."""
    urls = alias_urls(adapter)
    article_id, kind = article_for_url_keys(session, list(urls)), "url"
    if article_id is None and adapter.get("content_hash") and source_id is not None:
        article_id, kind = article_for_content(session, source_id, adapter["content_hash"]), "content"
    if article_id is None:
        return None
    return Duplicate(kind, article_id, add_aliases(session, article_id, urls, kind))


COPY_CLOCK_SKEW = timedelta(minutes=15)  # a copy is published after its original, give or take this


@dataclass(frozen=True, slots=True)
class CopyLink:
    """What the new article is to a stored one."""

    kind: str  # "exact", "near", "partial" (a copy: duplicate_of) or "template" (a series: series_of)
    stored_id: int  # the original (for a copy) or the first article of the series
    similarity: float
    reverse: bool = False  # the new article was published before the stored original: it becomes the original


def _published_earlier(adapter: ItemAdapter, original_published: datetime | None) -> bool:
    published = adapter.get("published_at")
    return bool(published and original_published and published < original_published - COPY_CLOCK_SKEW)


def link_copy(session: Session, adapter: ItemAdapter) -> CopyLink | None:
    """How the new article relates to the stored ones: the same normalised body anywhere
    (``exact``), a near or partial copy found through the LSH and fingerprint indexes and
    confirmed on the texts, or the next article of a template series (the same text with other
    numbers, dates or days).  Uses the item's ``lsh_keys`` and ``fingerprints`` (computed by the
    extraction worker)."""
    text = adapter.get("text") or ""
    keys, prints = adapter.get("lsh_keys"), adapter.get("fingerprints")
    if not keys and not prints:  # items built elsewhere than the extraction (or a body too short to index)
        shingle_set, keys = neardup.lsh_keys(text)
        prints = neardup.fingerprints(shingle_set) if keys else []
        adapter["lsh_keys"], adapter["fingerprints"] = keys, prints
    same_body = article_for_content_anywhere(session, adapter["content_hash"]) if adapter.get("content_hash") else None
    if same_body is not None:
        duplicate_of, published, _ = article_links(session, [same_body])[same_body]
        original = duplicate_of or same_body
        original_published = published if original == same_body else _published(session, original)
        return CopyLink("exact", original, 1.0, _published_earlier(adapter, original_published))
    candidate_ids = near_duplicate_candidates(session, keys, neardup.MAX_CANDIDATES)
    min_shared = max(2, math.ceil(len(prints) * neardup.MIN_FINGERPRINT_MATCH))
    candidate_ids += [c for c in containment_candidates(session, prints, min_shared, neardup.MAX_CANDIDATES)
                      if c not in candidate_ids]
    candidates = article_texts_and_times(session, candidate_ids)
    new = neardup.profile(text) if candidates else None  # normalised once, whatever the candidates
    best: tuple[int, float, int, str] | None = None  # (rank, score, id, kind)
    for candidate_id, (candidate_text, candidate_original, _, candidate_series) in sorted(candidates.items()):
        comparison = neardup.compare(new, candidate_text)
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
    reverse = kind != "template" and _published_earlier(
        adapter, known[2] if known else _published(session, target))
    return CopyLink(kind, target, score, reverse)


def _published(session: Session, article_id: int) -> datetime | None:
    link = article_links(session, [article_id]).get(article_id)
    return link[1] if link else None


def source_id_for(session: Session, cache: dict[str, int | None], name: str) -> int | None:
    """A source's id, cached per pipeline (sources are few and never change id)."""
    if cache.get(name) is None:
        cache[name] = source_id_by_name(session, name)
    return cache[name]


