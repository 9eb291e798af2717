"""Is this article already stored, or a copy of one?  Shared by the dedupe pipeline (an early
filter, before an item waits for a write batch) and the store pipeline (the authoritative check,
inside the write transaction, so that articles of one batch see each other)."""

from __future__ import annotations

from dataclasses import dataclass


from itemadapter import ItemAdapter
from sqlalchemy.orm import Session

from crawler.keys import neardup
from crawler.keys.urls import url_key
from storage.repository import (
    add_aliases,
    article_for_content,
    article_for_content_anywhere,
    article_for_url_keys,
    article_texts,
    near_duplicate_candidates,
    source_id_by_name,
)


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


def link_copy(session: Session, adapter: ItemAdapter) -> tuple[int, float] | None:
    """``(original id, similarity)`` when the new article copies a stored one: the same
    normalised body anywhere (1.0), or a near duplicate found through the LSH index and confirmed
    on the texts.  Uses the item's ``lsh_keys`` (computed by the extraction worker)."""
    text = adapter.get("text") or ""
    keys = adapter.get("lsh_keys")
    if not keys:  # items built elsewhere than crawler.extraction.article
        keys = neardup.lsh_keys(text)[1]
        adapter["lsh_keys"] = keys
    same_body = article_for_content_anywhere(session, adapter["content_hash"]) if adapter.get("content_hash") else None
    if same_body is not None:
        original = article_texts(session, [same_body]).get(same_body)
        return (original[1] if original and original[1] else same_body), 1.0
    best: tuple[float, int] | None = None
    candidates = article_texts(session, near_duplicate_candidates(session, keys, neardup.MAX_CANDIDATES))
    shingle_set = neardup.shingles(text) if candidates else frozenset()
    for candidate_id, (candidate_text, candidate_original) in sorted(candidates.items()):
        similarity = neardup.similarity(shingle_set, neardup.shingles(candidate_text))
        if similarity.is_near_duplicate and (best is None or similarity.score > best[0]):
            best = (similarity.score, candidate_original or candidate_id)
    return (best[1], round(best[0], 4)) if best else None


def source_id_for(session: Session, cache: dict[str, int | None], name: str) -> int | None:
    """A source's id, cached per pipeline (sources are few and never change id)."""
    if cache.get(name) is None:
        cache[name] = source_id_by_name(session, name)
    return cache[name]


