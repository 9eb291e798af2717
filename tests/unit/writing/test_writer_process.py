"""The store's writer process: a batch written there is what the crawl process would have
written; it outlives a Ctrl-C to the process group; one that dies loses nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crawler.writing.batch import Stored
from crawler.writing.writer import BatchContext, StoreUnavailable, WriterProcess, WrittenBatch
from storage.db import make_engine, upgrade
from storage.models import Article
from storage.repository import SourceRecord, ensure_sources, start_runs
from tests.conftest import REPO
from tests.dedup_cases import base_articles
from tests.item_helpers import item


@pytest.fixture
def database(db_url: str):
    engine = make_engine(db_url)
    upgrade(engine)
    ids = ensure_sources(engine, [SourceRecord("s")])
    yield db_url, engine, BatchContext(ids, start_runs(engine, ids))
    engine.dispose()


def stored(engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(Article))


def the_process(writer: WriterProcess) -> int:
    """The writer's pid, once it has started (its initializer has run)."""
    assert writer.executor is not None
    return writer.executor.submit(os.getpid).result(timeout=60)


def test_a_batch_written_in_the_process_comes_back_whole(database, stats):
    db_url, engine, context = database
    texts = base_articles()
    items = [
        item("https://e.com/1", text=texts[1]),
        item("https://e.com/1?utm_source=x", text=texts[1]),
        item("https://e.com/2", text=texts[2]),
    ]
    writer = WriterProcess(db_url)
    try:
        written = writer.submit(items, context).result(timeout=60)
    finally:
        writer.close()
    assert isinstance(written, WrittenBatch) and written.error is None
    outcomes = written.apply(stats)
    assert isinstance(outcomes, list) and isinstance(outcomes[0], Stored) and isinstance(outcomes[2], Stored)
    assert (
        outcomes[1].kind == "url" and outcomes[1].article_id == outcomes[0].article_id
    )  # the batch saw its own article
    assert stored(engine) == 2


def test_the_writer_outlives_a_ctrl_c_to_the_process_group(database):
    """Ctrl-C reaches every process of the group: the crawl process decides when the writer
    stops, once the batches in flight are written."""
    db_url, engine, context = database
    writer = WriterProcess(db_url)
    writer.start()
    try:
        pid = the_process(writer)
        os.kill(pid, signal.SIGINT)
        written = writer.submit([item("https://e.com/after-ctrl-c")], context).result(timeout=60)
    finally:
        writer.close()
    assert written.error is None and stored(engine) == 1


def dying_writer(db_path, mode: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "tests.unit.writing.dying_writer", str(db_path), mode],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report.get("killed"), report  # the writer was killed with the batch inside
    assert report["outcome"] == "ArticleItem", report  # stored: the item came back, not a Failure
    engine = make_engine(f"sqlite:///{db_path}")
    try:
        assert stored(engine) == 1
    finally:
        engine.dispose()
    return report


def test_a_writer_that_dies_with_a_batch_inside_loses_nothing(tmp_path):
    """The batch the writer held when it was killed is written in the crawl process, its item is
    reported stored, and a new writer process takes over."""
    report = dying_writer(tmp_path / "akhbar.db", "crash")
    assert report["restarted"] == 1 and report["writer_started"] == 2, report
    assert len(report["errors"]) == 1 and "writer process failed" in report["errors"][0], report


def test_a_writer_gone_with_a_signal_to_the_group_is_a_stop_not_a_crash(tmp_path):
    """The writer's death can be seen before the crawl process has noted the same signal: the
    store looks again a moment later, and neither logs an error nor starts a new writer."""
    report = dying_writer(tmp_path / "akhbar.db", "shutdown")
    assert report["restarted"] == 0 and report["writer_started"] == 1, report
    assert report["errors"] == [], report


def test_a_database_error_after_the_retries_comes_back_as_the_error(stats):
    writer = WriterProcess("postgresql+psycopg://postgres@127.0.0.1:1/none", retries=0)
    try:
        written = writer.submit([item("https://e.com/a")], BatchContext({"s": 1})).result(timeout=60)
    finally:
        writer.close()
    assert written.outcomes is None and "127.0.0.1" in (written.error or "")
    assert isinstance(written.apply(stats), StoreUnavailable)
