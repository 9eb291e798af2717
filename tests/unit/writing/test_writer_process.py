"""The store's writer process: a batch written there is what the crawl process would have
written; it outlives a Ctrl-C to the process group; one that dies loses nothing."""

from __future__ import annotations

import os
import signal
from concurrent.futures.process import BrokenProcessPool

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crawler.writing.writer import BatchContext, StoreUnavailable, WriterProcess, WrittenBatch
from pipelines.store import Pending, StorePipeline
from storage.db import make_engine, upgrade
from storage.models import Article
from storage.repository import SourceRecord, ensure_sources, start_runs
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
    outcomes = written.apply(items, stats)
    assert isinstance(outcomes[0], int) and isinstance(outcomes[2], int)
    assert outcomes[1].kind == "url" and outcomes[1].article_id == outcomes[0]  # the batch saw its own article
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


def test_a_writer_that_dies_loses_nothing(database, stats):
    """The batch it held is written in the crawl process, and a new writer process takes over."""
    db_url, engine, context = database
    store = StorePipeline(stats, db_url)
    store.engine, store.source_ids, store.run_ids = engine, context.source_ids, context.run_ids
    store.writer_process = WriterProcess(db_url)
    store.writer_process.start()
    try:
        os.kill(the_process(store.writer_process), signal.SIGKILL)
        batch = [Pending(item("https://e.com/held-by-the-dead-writer"), None)]  # type: ignore[arg-type]
        outcomes = store._written(batch, BrokenProcessPool("A child process terminated abruptly"))
        assert isinstance(outcomes[0], int) and stored(engine) == 1
        assert store.writer_process.started == 2 and stats.get_value("store/writer_restarted") == 1
        next_item = item("https://e.com/next", text=base_articles()[2])
        written = store.writer_process.submit([next_item], store.context()).result(timeout=60)
        assert written.error is None and stored(engine) == 2
    finally:
        store.writer_process.close()


def test_a_database_error_after_the_retries_comes_back_as_the_error(stats):
    writer = WriterProcess("postgresql+psycopg://postgres@127.0.0.1:1/none", retries=0)
    try:
        written = writer.submit([item("https://e.com/a")], BatchContext({"s": 1})).result(timeout=60)
    finally:
        writer.close()
    assert written.outcomes is None and "127.0.0.1" in (written.error or "")
    assert isinstance(written.apply([item("https://e.com/a")], stats), StoreUnavailable)
