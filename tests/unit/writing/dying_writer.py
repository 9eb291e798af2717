"""A store whose writer process dies with a batch inside it (run by test_writer_process.py).

The database is locked so that the batch waits in the writer; the writer is killed; the lock
is released.  ``crash``: SIGKILL while the crawl goes on.  ``shutdown``: SIGTERM, as a signal to
the process group delivers it, with the crawl noting its own stop a moment after the writer's
death is seen (Scrapy's handler runs through the reactor).  Prints one JSON line: what became
of the batch's item, and the errors logged.  Usage: DB_PATH MODE.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sqlite3
import sys
import time
from types import SimpleNamespace

from twisted.internet import asyncioreactor

asyncioreactor.install()

from scrapy.statscollectors import MemoryStatsCollector  # noqa: E402
from scrapy.utils.test import get_crawler  # noqa: E402
from twisted.internet import reactor  # noqa: E402

from crawler.writing.writer import BatchContext, WriterProcess  # noqa: E402
from pipelines.store import StorePipeline  # noqa: E402
from storage.db import make_engine, upgrade  # noqa: E402
from storage.repository import SourceRecord, ensure_sources, start_runs  # noqa: E402
from tests.item_helpers import item  # noqa: E402

WATCHDOG_SECONDS = 60


class ErrorCount(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def main(db_path: str, mode: str) -> None:
    errors = ErrorCount()
    logging.getLogger().addHandler(errors)
    db_url = f"sqlite:///{db_path}"
    engine = make_engine(db_url)
    upgrade(engine)
    ids = ensure_sources(engine, [SourceRecord("s")])
    context = BatchContext(ids, start_runs(engine, ids))
    stats = MemoryStatsCollector(get_crawler())
    store = StorePipeline(stats, db_url, batch_size=1)
    store.engine, store.source_ids, store.run_ids = engine, context.source_ids, context.run_ids
    store.writer_process = WriterProcess(db_url)
    writer = store.writer_process
    crawl = SimpleNamespace(crawling=True)
    store.crawler = crawl
    futures = []
    submit = store.writer_process.submit

    def submit_and_keep(items, batch_context):  # type: ignore[no-untyped-def]
        futures.append(submit(items, batch_context))
        return futures[-1]

    store.writer_process.submit = submit_and_keep  # type: ignore[method-assign]
    report: dict[str, object] = {}

    lock = sqlite3.connect(db_path, isolation_level=None)
    lock.execute("BEGIN EXCLUSIVE")  # the writer's batch waits on it (busy_timeout)
    done = store.enqueue(item("https://e.com/held-by-the-dead-writer"))
    done.addBoth(lambda outcome: report.setdefault("outcome", type(outcome).__name__))
    done.addBoth(lambda _: reactor.stop())

    def kill_when_inside() -> None:
        executor = store.writer_process.executor
        processes = list((executor._processes or {}).values()) if executor is not None else []  # type: ignore[union-attr]
        if not futures or not futures[0].running() or not processes:
            reactor.callLater(0.05, kill_when_inside)
            return
        time.sleep(0.5)  # the batch is taken from the call queue and waits on the lock
        report["killed"] = processes[0].pid
        os.kill(processes[0].pid, signal.SIGKILL if mode == "crash" else signal.SIGTERM)
        if mode == "shutdown":
            reactor.callLater(0.1, setattr, crawl, "crawling", False)
        lock.execute("ROLLBACK")
        lock.close()

    reactor.callLater(0.05, kill_when_inside)
    reactor.callLater(WATCHDOG_SECONDS, lambda: (report.setdefault("outcome", "never reported"), reactor.stop()))
    reactor.run()
    report["restarted"] = stats.get_value("store/writer_restarted", 0)
    report["errors"] = errors.messages
    report["writer_started"] = writer.started  # the store drops its writer when the crawl stops
    writer.close()
    print(json.dumps(report))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
