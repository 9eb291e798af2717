"""Two writers (two crawls, two cluster workers) storing one story at the same moment: whichever
commits second sees the first and links its article as a copy.  Without the writers taking
turns, both read "nothing like it is stored", and both articles stay unlinked originals."""

from __future__ import annotations

import random
import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from crawler.writing.writer import PROFILES_KEPT, BatchContext, LRUCache, StatsDelta, write_items
from storage.db import make_engine, upgrade
from storage.models import Article
from storage.repository import SourceRecord, ensure_sources, start_runs
from tests.dedup_cases import base_articles, near_copy
from tests.item_helpers import item

T0 = datetime(2025, 5, 5, 9, 0, tzinfo=UTC)
STORIES = 8


def test_two_writers_storing_one_story_at_once_link_it(db_url):
    engine = make_engine(db_url)
    upgrade(engine)
    source_ids = ensure_sources(engine, [SourceRecord("s"), SourceRecord("t")])
    context = BatchContext(source_ids, start_runs(engine, source_ids))
    rng = random.Random(3)
    texts = base_articles()[:STORIES]
    pairs = []
    for n, text in enumerate(texts):
        original = item(f"https://a.example/{n}", text=text, published_at=T0)
        copy = item(
            f"https://b.example/{n}", text=near_copy(text, rng), published_at=T0 + timedelta(minutes=5), source="t"
        )
        pairs.append((original, copy))
    errors: list[BaseException] = []

    def write(barrier: threading.Barrier, article) -> None:  # type: ignore[no-untyped-def]
        try:
            barrier.wait()
            write_items(engine, [article], context, StatsDelta(), LRUCache(PROFILES_KEPT))
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    for pair in pairs:  # the two articles of a story written at the same instant
        barrier = threading.Barrier(2, timeout=30)
        threads = [threading.Thread(target=write, args=(barrier, article)) for article in pair]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert errors == []
    with Session(engine) as session:
        rows = {row.url: row for row in session.scalars(select(Article))}
    engine.dispose()
    assert len(rows) == 2 * STORIES
    unlinked = []
    for original, copy in pairs:
        a, b = rows[original.url], rows[copy.url]
        linked = (a.duplicate_of == b.id and b.duplicate_of is None) or (
            b.duplicate_of == a.id and a.duplicate_of is None
        )
        if not linked:
            unlinked.append(original.url)
    assert unlinked == [], f"{len(unlinked)} of {STORIES} stories written at once were left unlinked"
