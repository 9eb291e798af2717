"""The story index loads the articles of a window's rare terms and only counts its common ones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import insert
from sqlalchemy.orm import Session

from storage.db import make_engine, upgrade
from storage.models import Article, StoryTerm, table_of
from storage.repository import SourceRecord, ensure_sources
from storage.stories import StoryIndex

T = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)
COMMON, RARE, ELSEWHERE = 1, 2, 3


def test_common_terms_are_counted_not_loaded(db_url):
    engine = make_engine(db_url)
    upgrade(engine)
    source_id = ensure_sources(engine, [SourceRecord("s")])["s"]
    with engine.begin() as connection:
        connection.execute(
            insert(table_of(Article)),
            [
                {
                    "id": i,
                    "source_id": source_id,
                    "url": f"https://e.example/{i}",
                    "url_key": f"e.example/{i}",
                    "text": "-",
                    "fetched_at": T,
                    "published_at": T,
                }
                for i in range(1, 8)
            ],
        )
        rows = [{"term": COMMON, "kind": 0, "at": T, "article_id": i} for i in range(1, 6)]  # in 5 articles
        rows += [{"term": RARE, "kind": 0, "at": T, "article_id": i} for i in (1, 2)]
        rows += [{"term": ELSEWHERE, "kind": 0, "at": T - timedelta(days=9), "article_id": 7}]  # out of the window
        connection.execute(insert(table_of(StoryTerm)), rows)
    with Session(engine) as session:
        index = StoryIndex(session, [COMMON, RARE, ELSEWHERE], T - timedelta(days=1), T + timedelta(days=1), common=3)
        assert index.frequency([COMMON, RARE, ELSEWHERE]) == {COMMON: 5, RARE: 2, ELSEWHERE: 0}
        assert dict(index.sharing([COMMON, RARE], T - timedelta(days=1), T + timedelta(days=1))) == {1: 1, 2: 1}
        assert index.window_size() == 5
        everything = StoryIndex(session, [COMMON, RARE], T - timedelta(days=1), T + timedelta(days=1), common=10)
        assert dict(everything.sharing([COMMON, RARE], T, T)) == {1: 2, 2: 2, 3: 1, 4: 1, 5: 1}
    engine.dispose()
