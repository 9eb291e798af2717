"""Writing one batch of articles: the authoritative duplicate check, the copy links, the rows.

:func:`write_batch` answers every article's questions from one :class:`storage.batch_index.BatchIndex`
(a few queries for the whole batch) and writes the rows with bulk statements; articles of the
batch see the ones before them exactly as if each had been stored first.  An article found to
be the original of one already stored (published earlier, found later: the links turn around,
which later articles of the batch must see) is written on its own by :func:`write_each`, one
query per question, in the same transaction; the rest of the batch then goes on in bulk.  A row
that another process stored while the batch was being decided sends the whole batch through
:func:`write_each` (:class:`storage.batch_index.BatchConflict`).  Every path gives the same outcomes.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy.orm import Session

from crawler.dedup.verdict import Duplicate, known_article, link_copy
from crawler.items import ArticleItem, StorageVerdict
from crawler.writing.stories import assign_stories, new_article
from storage.batch_index import BatchIndex, insert_articles, insert_children
from storage.copies import StoredLookup, make_original
from storage.repository import add_aliases, insert_article

Values = Callable[[ArticleItem, StorageVerdict], dict[str, Any]]  # the ``articles`` row of an item


@dataclass(frozen=True, slots=True)
class Stored:
    """The item was stored as a new article, with this verdict."""

    article_id: int
    verdict: StorageVerdict


# What writing did with an item: stored it, found it already stored (a Duplicate), or found that
# another process stored it meanwhile (None).
Outcome = Stored | Duplicate | None


class ProfileCache(dict):  # type: ignore[type-arg]
    """Profiles of one batch: the batch's own articles (provisional negative ids) live only here;
    stored articles' are also kept in the caller's longer-lived mapping."""

    def __init__(self, shared: MutableMapping[int, Any] | None) -> None:
        super().__init__()
        self.shared = shared

    def get(self, key: int, default: Any = None) -> Any:
        if key in self:
            return self[key]
        return self.shared.get(key, default) if self.shared is not None and key > 0 else default

    def __setitem__(self, key: int, value: Any) -> None:
        super().__setitem__(key, value)
        if self.shared is not None and key > 0:
            self.shared[key] = value


def find_duplicate(session: Session, item: ArticleItem, source_id: int | None) -> Duplicate | None:
    """The stored article this item is, with its new URLs recorded as aliases; None when new."""
    urls = item.urls()
    known = known_article(StoredLookup(session), item, urls, source_id)
    if known is None:
        return None
    article_id, kind = known
    return Duplicate(kind, article_id, add_aliases(session, article_id, urls, kind))


def write_each(
    session: Session, items: Sequence[ArticleItem], source_ids: dict[str, int], values: Values, stats: Any
) -> list[Outcome]:
    """One article at a time, one query per question."""
    outcomes: list[Outcome] = []
    for item in items:
        duplicate = find_duplicate(session, item, source_ids.get(item.source))
        if duplicate is not None:
            outcomes.append(duplicate)
            continue
        link = link_copy(StoredLookup(session), item)
        verdict = link.verdict() if link is not None else StorageVerdict()
        article_id = insert_article(
            session, values(item, verdict), item.urls(), item.keys.lsh_keys, item.keys.fingerprints
        )
        if article_id is None:
            outcomes.append(None)
            continue
        if link is not None and link.reverse:
            # Found later, published earlier: this one is the original; the links turn around.
            relinked = make_original(session, article_id, link.stored_id, link.similarity, link.kind)
            stats.inc_value("dedupe/originals_found_later")
            stats.inc_value("dedupe/relinked", relinked)
        stories = assign_stories(session, [new_article(article_id, item, verdict, link)], stats)
        outcomes.append(Stored(article_id, replace(verdict, story_id=stories[article_id])))
    return outcomes


def write_batch(
    session: Session,
    items: Sequence[ArticleItem],
    source_ids: dict[str, int],
    values: Values,
    stats: Any,
    profiles: MutableMapping[int, Any] | None = None,
) -> list[Outcome]:
    """The whole batch with a few queries and bulk inserts per run of articles between originals
    found later (each written by :func:`write_each`); :class:`BatchConflict` when it must go one
    by one (the caller rolls back and calls :func:`write_each`).  ``profiles``: comparison
    profiles of stored articles, kept from batch to batch by the caller."""
    outcomes: list[Outcome] = []
    while len(outcomes) < len(items):
        outcomes += _write_run(session, items[len(outcomes) :], source_ids, values, stats, profiles)
        if len(outcomes) < len(items):  # the next one is the original of a stored article
            stats.inc_value("store/originals_written_alone")
            outcomes += write_each(session, [items[len(outcomes)]], source_ids, values, stats)
    return outcomes


def _write_run(
    session: Session,
    items: Sequence[ArticleItem],
    source_ids: dict[str, int],
    values: Values,
    stats: Any,
    profiles: MutableMapping[int, Any] | None,
) -> list[Outcome]:
    """The batch's articles up to the first that is the original of a stored one (not written:
    the caller writes it on its own); their outcomes."""
    batch_profiles = ProfileCache(profiles)
    urls = [item.urls() for item in items]
    index = BatchIndex(
        session,
        (key for keys in urls for key in keys),
        (item.keys.content_hash for item in items if item.keys.content_hash),
        ((band, bucket) for item in items for band, bucket in item.keys.lsh_keys),
        (v for item in items for v in item.keys.fingerprints),
    )
    outcomes: list[Outcome] = []
    rows: dict[int, dict[str, Any]] = {}
    aliases: list[dict[str, Any]] = []
    buckets: list[tuple[int, int, int]] = []
    prints: list[tuple[int, int]] = []
    for number, (item, url_map) in enumerate(zip(items, urls), start=1):
        source_id = source_ids.get(item.source)
        known = known_article(index, item, url_map, source_id)
        if known is not None:
            article_id, kind = known
            added = index.claim_urls(article_id, url_map)
            aliases += [{"url_key": key, "url": url_map[key], "article_id": article_id, "kind": kind} for key in added]
            outcomes.append(Duplicate(kind, article_id, len(added)))
            continue
        link = link_copy(index, item, batch_profiles)
        if link is not None and link.reverse:
            break  # an original found later: written on its own, once the articles before it are
        verdict = link.verdict() if link is not None else StorageVerdict()
        provisional = -number
        row = values(item, verdict)
        rows[provisional] = row
        index.claim_urls(provisional, url_map)
        index.add(provisional, source_id or 0, row, item.keys.lsh_keys, item.keys.fingerprints)
        aliases += [
            {"url_key": key, "url": url, "article_id": provisional, "kind": "url"} for key, url in url_map.items()
        ]
        buckets += [(band, bucket, provisional) for band, bucket in item.keys.lsh_keys]
        prints += [(value, provisional) for value in item.keys.fingerprints]
        outcomes.append(Stored(provisional, verdict))
    ids = insert_articles(session, rows)

    def real(article_id: int) -> int:
        return ids[article_id] if article_id < 0 else article_id

    def real_or_none(article_id: int | None) -> int | None:
        return None if article_id is None else real(article_id)

    insert_children(
        session,
        [{**alias, "article_id": real(alias["article_id"])} for alias in aliases],
        [{"band": band, "bucket": bucket, "article_id": real(a)} for band, bucket, a in buckets],
        [{"fingerprint": value, "article_id": real(a)} for value, a in prints],
    )
    stored = [
        (
            item,
            Stored(
                real(o.article_id),
                replace(
                    o.verdict,
                    duplicate_of=real_or_none(o.verdict.duplicate_of),
                    series_of=real_or_none(o.verdict.series_of),
                ),
            ),
        )
        for item, o in zip(items, outcomes)
        if isinstance(o, Stored)
    ]
    stories = assign_stories(session, [new_article(o.article_id, item, o.verdict, None) for item, o in stored], stats)
    final = iter(Stored(o.article_id, replace(o.verdict, story_id=stories[o.article_id])) for _, o in stored)
    return [
        Duplicate(o.kind, real(o.article_id), o.aliases_added)
        if isinstance(o, Duplicate)
        else next(final)
        if isinstance(o, Stored)
        else o
        for o in outcomes
    ]
