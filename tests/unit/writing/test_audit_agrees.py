"""The write path and the audit (`akhbar dedup explain`) are one decision: for each kind of copy,
the link the store makes is the kind that comparing the pair says.  Among them the re-posts
that hold the whole original inside much more text of their own, which the fingerprint look-up
used to miss (it asked for 40 % of the *new* text's fingerprints)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from crawler.dedup import neardup
from crawler.writing.batch import write_batch, write_each
from crawler.writing.writer import BatchContext
from storage.db import make_engine, upgrade
from storage.models import Article
from storage.repository import SourceRecord, ensure_sources
from tests.dedup_cases import base_articles, near_copy, partial_first_half
from tests.item_helpers import item
from tests.world import generated_paragraphs

T0 = datetime(2025, 5, 5, 9, 0, tzinfo=UTC)


def copies() -> list[tuple[str, str, str]]:
    """(name, original, copy) pairs, one per kind of copy."""
    rng = random.Random(11)
    texts = base_articles()
    original = texts[6]
    own = "\n\n".join(generated_paragraphs(4242, 2 * len(original.split("\n\n"))))
    return [
        ("near copy", texts[3], near_copy(texts[3], rng)),
        ("first half", texts[4], partial_first_half(texts[4], rng)),
        ("inside three times the text", original, "\n\n".join([original, own])),
        ("after a long lede of its own", texts[7], "\n\n".join([own, texts[7]])),
    ]


@pytest.mark.parametrize("path", ["one by one", "stored, then a batch", "one batch"])
def test_the_store_links_what_the_audit_calls_a_copy(db_url, stats, path):
    engine = make_engine(db_url)
    upgrade(engine)
    source_ids = ensure_sources(engine, [SourceRecord("s"), SourceRecord("t")])
    values = BatchContext(source_ids).values
    pairs = copies()
    originals = [item(f"https://a.example/{n}", text=o, published_at=T0) for n, (_, o, _) in enumerate(pairs)]
    reposts = []
    for n, (_, _, text) in enumerate(pairs):
        repost = item(f"https://b.example/{n}", text=text, published_at=T0 + timedelta(hours=1), source="t")
        reposts.append(repost)
    groups = {
        "one by one": [[i] for i in originals + reposts],
        "stored, then a batch": [originals, reposts],
        "one batch": [originals + reposts],
    }[path]
    for group in groups:
        with Session(engine) as session, session.begin():
            write = write_each if path == "one by one" else write_batch
            write(session, group, source_ids, values, stats)
    with Session(engine) as session:
        rows = {a.url: a for a in session.scalars(select(Article))}
    engine.dispose()
    for n, (name, original, text) in enumerate(pairs):
        audit = neardup.compare(text, original).kind  # what `akhbar dedup explain` says of the pair
        row = rows[f"https://b.example/{n}"]
        assert audit in ("near", "partial"), (name, audit)
        assert row.duplicate_of == rows[f"https://a.example/{n}"].id, (name, path, audit)
        assert row.copy_kind == audit, (name, path)
