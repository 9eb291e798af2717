from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.db import DatabaseUnavailable, check_connection, make_engine, mask_url, table_names, upgrade
from storage.models import Article, Base
from storage.repository import SourceRecord, ensure_sources, insert_article, known_url_keys


@pytest.fixture
def engine(db_url):
    engine = make_engine(db_url)
    upgrade(engine)
    yield engine
    engine.dispose()


def article_values(source_id: int, key: str = "https://e.com/a") -> dict:
    return {
        "source_id": source_id,
        "url": key,
        "url_key": key,
        "title": "عنوان",
        "text": "نص",
        "fetched_at": datetime.now(UTC),
        "published_at": datetime(2024, 11, 5, 12, 30, tzinfo=timezone(timedelta(hours=2))),
    }


def test_migrations_create_the_schema_and_agree_with_models(engine):
    assert {"sources", "feeds", "articles", "article_urls", "crawl_runs"} <= set(table_names(engine))

    def include(obj, name, kind, reflected, compare_to):  # search machinery lives in raw DDL
        return not (name or "").startswith(("articles_fts", "search_vector", "ix_articles_search_vector"))

    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": False, "include_object": include})
        diff = compare_metadata(context, Base.metadata)
    if engine.dialect.name == "sqlite":  # SQLite does not report the name of a constraint added by ALTER TABLE
        fks = [d for d in diff if d[0] in ("add_fk", "remove_fk")]
        signature = {(d[0], tuple(c.name for c in d[1].columns), d[1].referred_table.name) for d in fks}
        if {(kind.replace("remove", "x").replace("add", "x"), cols, table) for kind, cols, table in signature} == {
            ("x_fk", ("series_of",), "articles")
        } and len(fks) == 2:
            diff = [d for d in diff if d not in fks]
    assert diff == []


def test_sqlite_is_tuned(engine):
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 10_000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_reinsert_is_harmless_and_times_come_back_utc(engine):
    ids = ensure_sources(engine, [SourceRecord("s", feeds=("https://e.com/feed",))])
    assert ensure_sources(engine, [SourceRecord("s", feeds=("https://e.com/feed",))]) == ids
    aliases = {"https://e.com/a": "https://e.com/a", "https://e.com/a?x=1": "https://e.com/a?x=1"}
    with Session(engine) as session, session.begin():
        first = insert_article(session, article_values(ids["s"]), aliases)
    with Session(engine) as session, session.begin():
        second = insert_article(session, article_values(ids["s"]), aliases)
    assert first is not None and second is None
    assert known_url_keys(engine, ["https://e.com/a?x=1", "https://e.com/b"]) == {"https://e.com/a?x=1"}
    with Session(engine) as session:
        stored = session.scalars(select(Article)).one()
    assert stored.published_at == datetime(2024, 11, 5, 10, 30, tzinfo=UTC)
    assert stored.published_at.tzinfo is not None


def test_naive_datetimes_are_refused(engine):
    ids = ensure_sources(engine, [SourceRecord("s")])
    values = article_values(ids["s"]) | {"fetched_at": datetime(2024, 1, 1)}
    with pytest.raises(Exception, match="naive"), Session(engine) as session, session.begin():
        insert_article(session, values, {})


def test_unreachable_database_is_one_clear_line():
    engine = make_engine("postgresql+psycopg://akhbar:secret@127.0.0.1:1/nowhere")
    with pytest.raises(DatabaseUnavailable) as info:
        check_connection(engine)
    message = str(info.value)
    assert "secret" not in message and "***" in message and "\n" not in message


def test_mask_url():
    assert mask_url("postgresql://u:p4ss@h/db") == "postgresql://u:***@h/db"


def test_a_new_sqlite_file_opened_while_another_process_creates_its_schema(tmp_path):
    """Switching a new file to WAL needs it to itself, and SQLite says "database is locked" at
    once, without waiting as busy_timeout does: the second of two crawls started together on a
    new database used to exit with "cannot reach database"."""
    import sqlite3
    import threading

    from storage.db import check_connection

    path = tmp_path / "new.db"
    creator = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    creator.execute("BEGIN IMMEDIATE")
    creator.execute("CREATE TABLE being_created (x)")
    threading.Timer(0.5, lambda: creator.execute("COMMIT")).start()
    engine = make_engine(f"sqlite:///{path}")
    try:
        check_connection(engine)
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        engine.dispose()
        creator.close()
