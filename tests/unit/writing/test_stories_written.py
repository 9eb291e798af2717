"""Stories decided online in the write batches, on a real database: the labelled set
(tests/story_cases.py) written in time order, ten articles a batch."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from crawler.writing.batch import Stored, write_batch, write_each
from crawler.writing.writer import BatchContext
from storage.db import make_engine, upgrade
from storage.models import Article, Story
from storage.repository import SourceRecord, ensure_sources
from tests.story_cases import HELD_OUT, as_items, host, in_time_order, score

BATCH = 10


def write_reports(db_url: str, stats, batched: bool = True, reports: list | None = None) -> list:
    """A labelled set (the tuning one by default), written in time order; the outcomes."""
    engine = make_engine(db_url)
    upgrade(engine)
    reports = in_time_order(reports)
    source_ids = ensure_sources(engine, [SourceRecord(h) for h in sorted({host(r.url) for r in reports})])
    values = BatchContext(source_ids).values
    items = as_items(reports)
    outcomes = []
    for start in range(0, len(items), BATCH):
        with Session(engine) as session, session.begin():
            write = write_batch if batched else write_each
            outcomes += write(session, items[start : start + BATCH], source_ids, values, stats)
    engine.dispose()
    return outcomes


@pytest.mark.parametrize("path", ["batches", "one by one"])
def test_reports_of_one_event_share_a_story_and_the_hard_negatives_do_not(db_url, stats, path):
    outcomes = write_reports(db_url, stats, batched=path == "batches")
    reports = in_time_order()
    engine = make_engine(db_url)
    with Session(engine) as session:
        rows = {a.url: a for a in session.scalars(select(Article))}
        stories = {s.id: s for s in session.scalars(select(Story))}
    engine.dispose()
    assert all(isinstance(o, Stored) and o.verdict.story_id == rows[r.url].story_id for o, r in zip(outcomes, reports))
    story = {r.url: rows[r.url].story_id for r in reports}
    assert None not in story.values()
    result = score(reports, story)
    assert result.precision >= 0.95 and result.recall >= 0.85, result
    assert result.hard_negatives_together == []
    copy = rows["https://sawt.example.jo/world/2025/03/10/turkey-earthquake"]
    assert copy.duplicate_of == rows["https://masry.example.eg/news/2025/3/10/1201"].id
    assert copy.story_id == rows["https://masry.example.eg/news/2025/3/10/1201"].story_id
    quake = stories[story["https://masry.example.eg/news/2025/3/10/1201"]]
    members = [r for r in reports if story[r.url] == quake.id]
    assert (quake.articles, quake.sources) == (len(members), len({host(r.url) for r in members}))
    assert quake.first_article_id == rows[members[0].url].id and quake.first_reported_at == members[0].published_at
    opinion = rows["https://ammon.example.jo/articles/opinion/15502"]
    assert stories[opinion.story_id].articles == 1


def test_the_held_out_set(db_url, stats):
    """Written after the rules and the threshold were fixed: other events, outlets and styles."""
    write_reports(db_url, stats, reports=HELD_OUT)
    engine = make_engine(db_url)
    with Session(engine) as session:
        story = dict(session.execute(select(Article.url, Article.story_id)).all())
    engine.dispose()
    result = score(in_time_order(HELD_OUT), story)
    assert result.precision >= 0.95 and result.recall >= 0.85 and result.hard_negatives_together == [], result
