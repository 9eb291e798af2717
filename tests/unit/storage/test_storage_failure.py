"""A write that fails says why, in an operator's words: a full disk, a read-only database, a
permission, a file that cannot be opened; anything else is "database unavailable"."""

from __future__ import annotations

import sqlite3
import uuid

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.exc import OperationalError

from storage.db import make_engine, storage_failure, upgrade
from storage.repository import SourceRecord, ensure_sources, start_runs
from tests.item_helpers import item, process


def test_sqlite_errors_are_named(tmp_path):
    path = tmp_path / "x.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE t (v TEXT)")
    connection.commit()
    connection.execute("PRAGMA max_page_count = 2")
    with pytest.raises(sqlite3.OperationalError) as full:
        connection.execute("INSERT INTO t VALUES (zeroblob(100000))")
    connection.close()
    assert storage_failure(full.value) == "disk full"
    read_only = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as refused:
        read_only.execute("INSERT INTO t VALUES ('a')")
    read_only.close()
    assert storage_failure(refused.value) == "read-only database"
    with pytest.raises(sqlite3.OperationalError) as cannot_open:
        sqlite3.connect(tmp_path / "no" / "such" / "dir.db")
    assert storage_failure(cannot_open.value) == "cannot open the database file"
    assert storage_failure(OperationalError("SELECT 1", {}, Exception("server closed the connection"))) == (
        "database unavailable"
    )


def test_postgresql_permission_is_named(pg_url):
    role = f"akhbar_ro_{uuid.uuid4().hex[:8]}"
    engine = create_engine(pg_url)
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE perm_probe (v text)"))
            connection.execute(text(f'CREATE ROLE "{role}"'))
            connection.execute(text(f'GRANT USAGE ON SCHEMA {connection.dialect.default_schema_name} TO "{role}"'))
        with pytest.raises(Exception) as denied, engine.begin() as connection:
            connection.execute(text(f'SET ROLE "{role}"'))
            connection.execute(text("INSERT INTO perm_probe VALUES ('a')"))
        assert storage_failure(denied.value) == "permission denied"
    finally:
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS perm_probe"))
            connection.execute(text(f'DROP OWNED BY "{role}"'))
            connection.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        engine.dispose()


def test_an_item_not_stored_on_a_full_disk_says_so(tmp_path, stats):
    from pipelines.store import NotStored, StorePipeline

    db_url = f"sqlite:///{tmp_path / 'akhbar.db'}"
    engine = make_engine(db_url)
    upgrade(engine)
    ids = ensure_sources(engine, [SourceRecord("s")])
    runs = start_runs(engine, ids)
    engine.dispose()
    full = make_engine(db_url)
    event.listen(full, "connect", lambda connection, _: connection.execute("PRAGMA max_page_count = 1"))
    store = StorePipeline(stats, db_url, retries=0, retry_delay=0, batch_delay=0)
    store.engine, store.source_ids, store.run_ids = full, ids, runs
    with pytest.raises(NotStored, match=r"NOT STORED \(disk full\)"):
        process((_Validate(), store, full), item("https://e.com/a", text="نص طويل جدا. " * 20_000))
    assert stats.get_value("store/failure_cause") == "disk full" and stats.get_value("store/failed") == 1
    full.dispose()


class _Validate:
    def process_item(self, it):  # type: ignore[no-untyped-def]
        return it
