"""Followers are woken by the commit of new articles (PostgreSQL NOTIFY), else by their poll."""

from __future__ import annotations

import time

from sqlalchemy.orm import Session

from storage.db import make_engine
from storage.notify import NewArticles, announce_new_articles


def test_a_commit_that_stored_articles_wakes_the_follower(pg_url):
    engine = make_engine(pg_url)
    waiter = NewArticles(engine)
    try:
        assert waiter.wait(0.2) is False  # nothing committed
        with Session(engine) as session, session.begin():
            announce_new_articles(session)
            assert waiter.wait(0.2) is False  # not before the commit
        start = time.monotonic()
        assert waiter.wait(5) is True
        assert time.monotonic() - start < 1
    finally:
        waiter.close()
        engine.dispose()


def test_on_sqlite_the_follower_polls(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'a.db'}")
    waiter = NewArticles(engine)
    with Session(engine) as session, session.begin():
        announce_new_articles(session)  # nothing to tell on SQLite
    start = time.monotonic()
    assert waiter.wait(0.1) is False and time.monotonic() - start >= 0.09
    waiter.close()
    engine.dispose()
