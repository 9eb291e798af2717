"""Stories benchmark: how well the reports of one event are grouped, and what it costs.

    .venv/bin/python bench/stories.py [--stored 100000 1000000] [--per-day 3000]

1. Quality, on the labelled set written for it (tests/story_cases.py: 47 articles, 13 events
   reported 2-5 times by outlets of several regions, two syndicated copies, an opinion column,
   singletons, and the hard negatives): the set is written in time order through the real write
   path (``crawler.writing.batch.write_batch``, ten a batch, a SQLite file), and the stories it
   stored are scored: pairwise precision and recall, B-cubed F1, hard-negative pairs joined.
2. Cost per article of deciding its story (``assign_stories``: the index query, the candidates'
   terms and rows, the verdict, the writes) with 100 k and 1 M articles stored: a history at
   ``--per-day`` articles a day (the table grows with time, the window does not), each with 24
   event terms drawn from a Zipf vocabulary; the labelled set is then written at its end.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, text
from sqlalchemy.orm import Session

import crawler.writing.batch as batch_module
from crawler.writing.batch import write_batch
from crawler.writing.writer import BatchContext
from storage.db import make_engine, upgrade
from storage.models import Article, Story, StoryTerm, table_of
from storage.repository import SourceRecord, ensure_sources
from tests.story_cases import HELD_OUT, REPORTS, Report, as_items, host, in_time_order, score

BATCH = 10
TERMS_PER_ARTICLE = 24
REAL_TERMS = 4  # of them drawn from the labelled set's terms: the new articles find candidates in the history
VOCABULARY = 200_000


def write_labelled(
    db_url: str, reports: list[Report] | None = None, shift: timedelta = timedelta(0)
) -> tuple[dict[str, int | None], list[float]]:
    """A labelled set (the tuning one by default) written through the write path; its stories and
    the seconds each batch spent deciding stories, per article."""
    from dataclasses import replace

    engine = make_engine(db_url)
    upgrade(engine)
    reports = in_time_order(reports)
    source_ids = ensure_sources(engine, [SourceRecord(h) for h in sorted({host(r.url) for r in reports})])
    items = as_items(reports)
    items = [replace(i, article=replace(i.article, published_at=i.article.published_at + shift)) for i in items]
    spent: list[float] = []
    assign = batch_module.assign_stories

    def timed(session, articles, stats):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        result = assign(session, articles, stats)
        spent.append((time.perf_counter() - start) / max(1, len(articles)))
        return result

    batch_module.assign_stories = timed
    try:
        stats = _Stats()
        for start in range(0, len(items), BATCH):
            with Session(engine) as session, session.begin():
                write_batch(session, items[start : start + BATCH], source_ids, BatchContext(source_ids).values, stats)
    finally:
        batch_module.assign_stories = assign
    with Session(engine) as session:
        stories = dict(session.execute(text("SELECT url, story_id FROM articles")).all())
    engine.dispose()
    return stories, spent


class _Stats:
    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        pass


def fill_history(db_url: str, stored: int, per_day: int, end: datetime) -> None:
    """``stored`` synthetic articles, ``per_day`` a day up to ``end``, each its own story, with
    TERMS_PER_ARTICLE Zipf-drawn terms in the index."""
    import numpy as np

    from crawler.stories.terms import event_terms

    engine = make_engine(db_url)
    upgrade(engine)
    ensure_sources(engine, [SourceRecord("history")])
    rng = np.random.default_rng(7)
    pool = np.array(sorted({t for r in REPORTS for t in event_terms(r.title, r.text).all()}), dtype=np.int64)
    step = timedelta(days=1) / per_day
    first = end - step * stored
    chunk = 20_000
    with engine.begin() as connection:
        source_id = connection.execute(text("SELECT id FROM sources WHERE name = 'history'")).scalar_one()
        for offset in range(0, stored, chunk):
            ids = range(offset + 1, min(stored, offset + chunk) + 1)
            times = [first + step * i for i in ids]
            connection.execute(
                insert(table_of(Article)),
                [
                    {
                        "id": i,
                        "source_id": source_id,
                        "url": f"https://h.example/{i}",
                        "url_key": f"h.example/{i}",
                        "text": "-",
                        "fetched_at": t,
                        "published_at": t,
                        "story_id": i,
                    }
                    for i, t in zip(ids, times)
                ],
            )
            connection.execute(
                insert(table_of(Story)),
                [
                    {
                        "id": i,
                        "first_article_id": i,
                        "first_reported_at": t,
                        "last_reported_at": t,
                        "articles": 1,
                        "sources": 1,
                        "updated_at": t,
                    }
                    for i, t in zip(ids, times)
                ],
            )
            terms = (rng.zipf(1.3, size=(len(ids), TERMS_PER_ARTICLE)) % VOCABULARY) * 7919 + 1
            terms[:, :REAL_TERMS] = rng.choice(pool, size=(len(ids), REAL_TERMS))
            connection.execute(
                insert(table_of(StoryTerm)),
                [
                    {"term": int(term), "kind": 0, "at": t, "article_id": i}
                    for i, t, row in zip(ids, times, terms)
                    for term in row
                ],
            )
    engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stored", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--per-day", type=int, default=3000)
    args = parser.parse_args()
    for name, labelled in (("tuning set", REPORTS), ("held-out set", HELD_OUT)):
        reports = in_time_order(labelled)
        with tempfile.TemporaryDirectory() as folder:
            stories, _ = write_labelled(f"sqlite:///{Path(folder) / 'labelled.db'}", labelled)
        result = score(reports, stories)
        events = {r.event for r in reports}
        once = sum(1 for e in events if sum(r.event == e for r in reports) == 1)
        print(
            f"{name} (tests/story_cases.py): {len(reports)} articles, {len(events)} events ({once} reported once), "
            "through write_batch:"
        )
        print(
            f"  pairwise precision {result.precision:.3f}, recall {result.recall:.3f}; B-cubed F1 "
            f"{result.b_cubed_f1:.3f}; hard-negative pairs joined: {len(result.hard_negatives_together)}; "
            f"stories {len(set(stories.values()))} (truth {len(events)})"
        )
    reports = in_time_order()
    print(f"cost of deciding a story, per article ({args.per_day} stored a day; SQLite file):")
    print(f"  {'stored':>9} {'fill s':>7} {'ms/article':>10}")
    for stored in args.stored:
        with tempfile.TemporaryDirectory() as folder:
            db_url = f"sqlite:///{Path(folder) / 'history.db'}"
            start = time.perf_counter()
            end = reports[0].published_at
            fill_history(db_url, stored, args.per_day, end)
            filled = time.perf_counter() - start
            _, spent = write_labelled(db_url)
            print(f"  {stored:>9,} {filled:>7.0f} {statistics.median(spent) * 1000:>10.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
