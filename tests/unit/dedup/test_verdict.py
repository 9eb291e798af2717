"""The copy verdict (``crawler.dedup.verdict``) against an in-memory look-up: which stored article
a new one is a copy of, when it becomes the original instead, and a copy beating a series."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from crawler.dedup import neardup
from crawler.dedup.keys import content_hash, identity_keys
from crawler.dedup.verdict import CopyLink, known_article, link_copy
from crawler.items import ArticleItem, IdentityKeys
from crawler.text.urls import url_key
from storage.copies import ArticleLink, ArticleText
from tests.dedup_cases import base_articles, near_copy, template_series
from tests.item_helpers import item as make_item

T0 = datetime(2025, 5, 5, 9, 0, tzinfo=UTC)


@dataclass
class Row:
    text: str
    published_at: datetime | None = None
    duplicate_of: int | None = None
    series_of: int | None = None
    source_id: int = 1
    urls: tuple[str, ...] = ()


@dataclass
class MemoryLookup:
    """What is stored, answering the verdict's questions as the database would."""

    rows: dict[int, Row]
    asked: list[tuple[str, Any]] = field(default_factory=list)

    def owner_of_urls(self, keys: Sequence[str]) -> int | None:
        return next((i for i, row in self.rows.items() if {url_key(u) for u in row.urls} & set(keys)), None)

    def same_source_body(self, source_id: int, content: str) -> int | None:
        return next(
            (i for i, r in self.rows.items() if r.source_id == source_id and content_hash(r.text) == content), None
        )

    def same_body(self, content: str) -> int | None:
        return next((i for i, row in sorted(self.rows.items()) if content_hash(row.text) == content), None)

    def near_candidates(self, keys: Sequence[tuple[int, int]], limit: int) -> list[int]:
        self.asked.append(("near", limit))
        wanted = set(keys)
        return [i for i, row in self.rows.items() if wanted & set(neardup.lsh_keys(row.text)[1])][:limit]

    def containment_candidates(
        self, prints: Sequence[int], min_shared: int, limit: int, stored_share: float = 0.0
    ) -> list[int]:
        self.asked.append(("containment", (min_shared, limit, stored_share)))
        wanted = set(prints)
        found = []
        for i, row in self.rows.items():
            shingles, keys = neardup.lsh_keys(row.text)
            own = set(neardup.fingerprints(shingles)) if keys else set()
            shared = len(wanted & own)
            if shared >= min_shared or (stored_share and own and shared >= stored_share * len(own)):
                found.append(i)
        return found[:limit]

    def links(self, ids: Sequence[int]) -> dict[int, ArticleLink]:
        return {
            i: ArticleLink(self.rows[i].duplicate_of, self.rows[i].published_at, self.rows[i].series_of) for i in ids
        }

    def texts(self, ids: Sequence[int]) -> dict[int, ArticleText]:
        return {
            i: ArticleText(
                self.rows[i].text, self.rows[i].duplicate_of, self.rows[i].published_at, self.rows[i].series_of
            )
            for i in ids
            if i in self.rows
        }


def new_item(text: str, published: datetime | None = T0, url: str | None = None, **fields: Any) -> ArticleItem:
    return make_item(url, text, published_at=published, **fields)


TEXTS = base_articles()


def test_the_same_body_is_an_exact_copy_of_the_original():
    lookup = MemoryLookup({7: Row(TEXTS[3], T0 - timedelta(hours=2))})
    assert link_copy(lookup, new_item(TEXTS[3])) == CopyLink("exact", 7, 1.0, False)


def test_the_same_body_as_a_copy_links_to_that_copys_original_and_its_time():
    # Row 8 holds the body and is itself a copy of 7, published later than the new article:
    # the new one links to 7 and, published before 7, becomes the original.
    lookup = MemoryLookup({7: Row(TEXTS[4], T0 + timedelta(hours=3)), 8: Row(TEXTS[3], T0 - timedelta(days=1), 7)})
    link = link_copy(lookup, new_item(TEXTS[3]))
    assert link == CopyLink("exact", 7, 1.0, True)


def test_a_copy_published_earlier_than_the_stored_original_becomes_the_original():
    lookup = MemoryLookup({7: Row(TEXTS[3], T0 + timedelta(hours=1))})
    assert link_copy(lookup, new_item(TEXTS[3])).reverse is True
    within_skew = MemoryLookup({7: Row(TEXTS[3], T0 + timedelta(minutes=10))})
    assert link_copy(within_skew, new_item(TEXTS[3])).reverse is False
    assert link_copy(lookup, new_item(TEXTS[3], published=None)).reverse is False  # unknown: never reversed


def test_a_near_copy_links_to_the_candidates_original():
    copy = near_copy(TEXTS[5], random.Random(1))
    # Row 9 (the candidate found) is a copy of 4; 4 is not among the candidates, so its time is looked up.
    lookup = MemoryLookup({4: Row(TEXTS[6], T0 + timedelta(hours=2)), 9: Row(TEXTS[5], T0 - timedelta(hours=5), 4)})
    link = link_copy(lookup, new_item(copy))
    assert link is not None and link.kind in ("near", "partial") and link.stored_id == 4
    assert neardup.JACCARD_THRESHOLD <= link.similarity < 1.0 and link.reverse is True
    own = MemoryLookup({9: Row(TEXTS[5], T0 + timedelta(hours=2))})
    assert link_copy(own, new_item(copy)) == CopyLink(link.kind, 9, link.similarity, True)
    assert link_copy(own, new_item(copy, published=T0 + timedelta(hours=3))).reverse is False


def test_a_copy_beats_a_series_and_a_series_is_never_reversed():
    days = template_series("gold")
    series = MemoryLookup({3: Row(days[0], T0 + timedelta(days=1), series_of=None)})
    link = link_copy(series, new_item(days[1]))
    assert link is not None and link.kind == "template" and link.stored_id == 3 and link.reverse is False
    in_series = MemoryLookup({3: Row(days[0], T0), 5: Row(days[2], T0, series_of=3)})
    assert link_copy(in_series, new_item(days[1], published=T0 + timedelta(days=1))).stored_id == 3
    copied = near_copy(days[1], random.Random(5))
    both = MemoryLookup({3: Row(days[0], T0), 6: Row(copied, T0 - timedelta(hours=1))})
    link = link_copy(both, new_item(days[1], published=T0 + timedelta(hours=1)))
    assert link is not None and link.kind in ("near", "partial") and link.stored_id == 6


def test_candidates_come_from_the_items_keys_within_the_limits():
    lookup = MemoryLookup({1: Row(TEXTS[8], T0)})
    item = new_item(near_copy(TEXTS[8], random.Random(2)))
    prints = item.keys.fingerprints
    assert link_copy(lookup, item) is not None
    assert ("near", neardup.MAX_CANDIDATES) in lookup.asked
    min_shared = max(2, -(-len(prints) * 4 // 10))
    assert ("containment", (min_shared, neardup.MAX_CANDIDATES, neardup.MIN_FINGERPRINT_MATCH)) in lookup.asked
    no_keys = MemoryLookup({1: Row(TEXTS[8], T0)})
    assert link_copy(no_keys, replace(item, keys=IdentityKeys(lsh_keys=[(0, 1)], fingerprints=[1]))) is None


def test_comparison_profiles_are_cached_and_used():
    lookup = MemoryLookup({1: Row(TEXTS[9], T0)})
    copy = new_item(near_copy(TEXTS[9], random.Random(4)))
    profiles: dict[int, Any] = {}
    assert link_copy(lookup, copy, profiles) is not None
    assert set(profiles) == {1} and profiles[1] == neardup.profile(TEXTS[9])
    profiles[1] = neardup.profile(TEXTS[2])  # a cached profile stands for the stored text
    assert link_copy(lookup, replace(copy), profiles) is None


def test_identity_keys_are_the_bodys_from_one_normalisation():
    keys = identity_keys("عنوان", TEXTS[1])
    shingles, lsh = neardup.lsh_keys(TEXTS[1])
    assert keys.lsh_keys == lsh and keys.fingerprints == neardup.fingerprints(shingles) != []
    assert keys.content_hash == content_hash(TEXTS[1])
    short = identity_keys(None, "نص قصير")
    assert short.content_hash == content_hash("نص قصير") and short.lsh_keys == [] and short.fingerprints == []
    assert identity_keys("عنوان", "") == IdentityKeys()  # no body: nothing to compare


def test_known_article_by_url_then_by_body_of_the_same_source():
    lookup = MemoryLookup({2: Row(TEXTS[0], T0, urls=("https://a.com/x",)), 3: Row(TEXTS[1], T0, source_id=5)})
    item = new_item(TEXTS[1], url="https://a.com/y", canonical_url="https://www.a.com/x/")
    assert known_article(lookup, item, item.urls(), 5) == (2, "url")
    other = new_item(TEXTS[1], url="https://b.com/z")
    assert known_article(lookup, other, other.urls(), 5) == (3, "content")
    assert known_article(lookup, other, other.urls(), 6) is None  # the body of another source
    assert known_article(lookup, other, other.urls(), None) is None
    assert known_article(lookup, replace(other, keys=IdentityKeys()), other.urls(), 5) is None


def test_alias_urls_are_every_url_of_the_article_once():
    item = make_item(
        "https://a.com/x?utm_source=y",
        canonical_url="https://a.com/x",
        entry_url="https://feeds.a.com/x",
        redirect_urls=["https://t.co/abc", ""],
    )
    assert item.urls() == {
        url_key("https://a.com/x"): "https://a.com/x?utm_source=y",
        url_key("https://feeds.a.com/x"): "https://feeds.a.com/x",
        url_key("https://t.co/abc"): "https://t.co/abc",
    }
