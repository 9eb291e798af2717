"""A write batch decides exactly what one-by-one writes decide: the bulk path (a few queries and
executemany statements per batch) against the one-by-one path, on the labelled copy cases."""

from __future__ import annotations

import copy
import random
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from crawler.writing.batch import write_batch, write_each
from crawler.writing.writer import BatchContext
from storage.db import make_engine, upgrade
from storage.models import Article, ArticleUrl, LshBucket, TextFingerprint
from storage.repository import SourceRecord, ensure_sources
from tests.dedup_cases import base_articles, near_copy, partial_first_half, partial_own_opening, template_series
from tests.item_helpers import from_source, item

T0 = datetime(2025, 5, 5, 9, 0, tzinfo=UTC)


def cases() -> list:
    """Originals, copies of stored and of batch articles, URL and body duplicates, a series."""
    bases = base_articles()
    rng = random.Random(7)
    items = [
        item("https://a.example/1", text=bases[1], published_at=T0),
        item("https://b.example/1-copy", text=near_copy(bases[1], rng), published_at=T0 + timedelta(hours=1)),
        item("https://c.example/1-half", text=partial_first_half(bases[1], rng), published_at=T0 + timedelta(hours=2)),
        item("https://d.example/1-same", text=bases[1], published_at=T0 + timedelta(hours=3)),  # exact copy
        item("https://a.example/1?utm_source=rss", text=bases[1], published_at=T0),  # the same URL again
        item("https://a.example/2", text=bases[2], published_at=T0),
        item("https://a.example/2-again", text=bases[2], published_at=T0),  # the same body, the same source
        item(
            "https://e.example/2-opening", text=partial_own_opening(bases[2], rng), published_at=T0 + timedelta(hours=5)
        ),
        item("https://a.example/7", text=bases[7], published_at=T0),
    ]
    items += [
        item(f"https://gold.example/{n}", text=text, published_at=T0 + timedelta(days=n))
        for n, text in enumerate(template_series("gold"))
    ]
    # other outlets re-post
    return [from_source(copy, "t") if copy.url.split("/")[2][0] in "bcde" else copy for copy in items]


def store(db_url: str, items: list, batched: bool, stats, stored_first: int = 0) -> tuple[dict, list]:
    engine = make_engine(db_url)
    upgrade(engine)
    source_ids = ensure_sources(engine, [SourceRecord("s"), SourceRecord("t")])
    outcomes = []
    groups = [items[:stored_first], items[stored_first:]] if batched else [[a] for a in items]
    for group in groups:
        if not group:
            continue
        with Session(engine) as session, session.begin():
            if batched:
                outcomes += write_batch(session, group, source_ids, BatchContext(source_ids).values, stats)
            else:
                outcomes += write_each(session, group, source_ids, BatchContext(source_ids).values, stats)
    with Session(engine) as session:
        by_id = {a.id: a for a in session.scalars(select(Article))}
        graph = {
            a.url: (
                by_id[a.duplicate_of].url if a.duplicate_of else None,
                a.copy_kind,
                by_id[a.series_of].url if a.series_of else None,
                round(a.similarity, 6) if a.similarity is not None else None,
            )
            for a in by_id.values()
        }
        counts = tuple(session.query(table).count() for table in (ArticleUrl, LshBucket, TextFingerprint))
    engine.dispose()
    kinds = [o.kind if hasattr(o, "kind") else "stored" for o in outcomes]
    return graph, [kinds, counts]


@pytest.mark.parametrize("stored_first", [0, 3])
def test_a_batch_decides_what_one_by_one_writes_decide(db_url, tmp_path, stored_first, stats):
    other = f"sqlite:///{tmp_path / 'one-by-one.db'}"
    one_by_one = store(other, cases(), batched=False, stats=stats)
    batched = store(db_url, cases(), batched=True, stats=stats, stored_first=stored_first)
    assert batched == one_by_one
    graph = batched[0]
    assert graph["https://b.example/1-copy"][:2] == ("https://a.example/1", "near")
    assert graph["https://c.example/1-half"][:2] == ("https://a.example/1", "partial")
    assert graph["https://d.example/1-same"][:2] == ("https://a.example/1", "exact")
    assert "https://a.example/2-again" not in graph  # a duplicate: an alias, not a row
    assert [graph[f"https://gold.example/{n}"][2] for n in range(4)] == [None] + ["https://gold.example/0"] * 3
    assert batched[1][0].count("url") == 1 and batched[1][0].count("content") == 1


def test_an_original_found_later_is_written_alone_and_the_batch_goes_on(db_url, tmp_path, stats):
    """An agency's wire published before the outlet's copy that is stored already (or earlier in
    the same batch): the wire is written on its own, the links turn around, and the articles after
    it are still written in bulk, as one-by-one writes would decide."""
    bases = base_articles()
    rng = random.Random(3)
    stored = [item("https://a.example/story", text=bases[4], published_at=T0)]
    batch = [
        item("https://a.example/other", text=bases[5], published_at=T0),
        item("https://agency.example/wire", text=near_copy(bases[4], rng), published_at=T0 - timedelta(hours=1)),
        item("https://a.example/7", text=bases[7], published_at=T0),
        item("https://agency.example/wire-7", text=near_copy(bases[7], rng), published_at=T0 - timedelta(hours=2)),
        item("https://b.example/7-copy", text=near_copy(bases[7], rng), published_at=T0 + timedelta(hours=2)),
    ]
    batch[1::2] = [from_source(copy, "t") for copy in batch[1::2]]
    given = copy.deepcopy(stored + batch)
    one_by_one = store(f"sqlite:///{tmp_path / 'one-by-one.db'}", stored + batch, batched=False, stats=stats)
    before = stats.get_value("store/originals_written_alone", 0)
    batched = store(db_url, stored + batch, batched=True, stats=stats, stored_first=1)
    assert batched == one_by_one
    assert stored + batch == given  # writing decides verdicts; it never changes the items it is given
    assert stats.get_value("store/originals_written_alone") - before == 2
    graph = batched[0]
    assert graph["https://a.example/story"][:2] == ("https://agency.example/wire", "near")
    assert graph["https://a.example/7"][:2] == ("https://agency.example/wire-7", "near")
    assert graph["https://b.example/7-copy"][0] == "https://agency.example/wire-7"
    assert graph["https://agency.example/wire"][0] is None and graph["https://a.example/other"][0] is None
