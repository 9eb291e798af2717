"""Store articles in write batches, and keep one crawl-run row per source up to date.

Items wait at most ``AKHBAR_STORE_BATCH_DELAY`` seconds or until ``AKHBAR_STORE_BATCH_SIZE`` are
pending, then one transaction writes the batch (``crawler.writing.writer``, in a writer thread or
process): for each article, the authoritative duplicate check (``crawler.dedup.verdict``), the link
to the original it copies, the row, its aliases and its LSH buckets.  The transaction is all or
nothing, so a crash loses nothing that was reported as stored, and an item is reported
(``item_scraped``) only once its batch has committed.  A unique key makes a re-insert by a
concurrent crawl harmless (``store/raced``).
"""

from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, cast

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from sqlalchemy import Engine
from twisted.internet import defer, reactor, task, threads
from twisted.python.threadpool import ThreadPool

from crawler.dedup.verdict import Duplicate
from crawler.items import ArticleItem
from crawler.writing.batch import Outcome, Stored
from crawler.writing.writer import (
    PROFILES_KEPT,
    BatchContext,
    LRUCache,
    WriterProcess,
    WrittenBatch,
    attempt_batch,
    writer_mode,
)
from storage.db import TRANSIENT_ERRORS, ensure_schema, make_engine, storage_failure, with_retries
from storage.models import RUN_COUNTERS
from storage.repository import SourceRecord, ensure_sources, finish_run, start_runs

logger = logging.getLogger(__name__)
# Seconds the store waits, when its writer process dies, to tell a crash from a stop of the crawl.
WRITER_DEATH_GRACE = 0.5


def database_lost(crawler: Any, stats: Any, item: ArticleItem, exc: BaseException) -> None:
    """An item could not be written after retries: count it, say so loudly, stop the crawl
    (every further item would fail the same way)."""
    stats.inc_value("store/failed")
    cause = storage_failure(exc)
    stats.set_value("store/failure_cause", cause)
    logger.error("NOT STORED after retries (%s): %s: %s", cause, item.url, str(exc).splitlines()[0])
    if stats.get_value("finish_reason_hint") is None:
        stats.set_value("finish_reason_hint", "database_unavailable")
        spider = getattr(crawler, "spider", None)
        if spider is not None and crawler.engine is not None:
            crawler.engine.close_spider(spider, "database_unavailable")


def run_status(reason: str | None, counts: dict[str, int]) -> str:
    """ok / partial / failed / interrupted, from the finish reason and the counts."""
    if reason not in (None, "finished"):
        return "interrupted" if reason in ("shutdown", "cancelled") else "failed"
    if counts.get("feeds_fetched", 0) == 0 and counts.get("feeds_failed", 0) > 0:
        return "failed"
    if counts.get("feeds_failed", 0) or counts.get("pages_failed", 0):
        return "partial"
    return "ok"


class NotStored(DropItem):
    """The item could not be written (the database away after retries): a cluster worker leaves
    its request unacknowledged, so that it is done again."""

    not_stored = True


@dataclass(slots=True)
class Pending:
    item: ArticleItem
    done: defer.Deferred[Any]


class StorePipeline:
    def __init__(
        self,
        stats: Any,
        db_url: str,
        retries: int = 3,
        retry_delay: float = 0.5,
        batch_size: int = 50,
        batch_delay: float = 0.5,
        worker: str | None = None,
        run_rollover: float = 0.0,
    ) -> None:
        self.stats = stats
        self.worker = worker  # a cluster worker's id, recorded on its runs and articles
        self.run_rollover = run_rollover  # seconds; a worker's runs are closed and started anew this often
        self.run_started = 0.0
        self.run_base: dict[str, int] = {}
        self.db_url = db_url
        self.retries = retries
        self.retry_delay = retry_delay
        self.batch_size = batch_size
        self.batch_delay = batch_delay
        self.engine: Engine | None = None
        self.source_ids: dict[str, int] = {}
        self.run_ids: dict[str, int] = {}
        self.pending: list[Pending] = []
        self.timer: Any = None
        self.crawler: Any = None
        # Writes run in a thread of their own (or a process: AKHBAR_STORE_WRITER), so that
        # downloads and the extraction pool's results never wait for the database; one thread
        # (one process) keeps batches in order.
        self.writer: ThreadPool | None = None
        self.writer_process: WriterProcess | None = None
        self.writing: list[defer.Deferred[Any]] = []
        # Comparison profiles of recently compared stored articles (their texts never change):
        # a story syndicated all day is compared against the same original again and again.
        self.profiles: LRUCache = LRUCache(PROFILES_KEPT)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        settings = crawler.settings
        pipeline = cls(
            crawler.stats,
            settings.get("AKHBAR_DB_URL"),
            settings.getint("AKHBAR_DB_RETRIES"),
            settings.getfloat("AKHBAR_DB_RETRY_DELAY"),
            settings.getint("AKHBAR_STORE_BATCH_SIZE"),
            settings.getfloat("AKHBAR_STORE_BATCH_DELAY"),
        )
        if settings.getbool("AKHBAR_CLUSTER_ENABLED"):
            pipeline.worker = settings.get("AKHBAR_WORKER_NAME") or None
            pipeline.run_rollover = settings.getfloat("AKHBAR_RUN_ROLLOVER")
        pipeline.crawler = crawler
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        mode = writer_mode(settings)
        if mode != "none":
            pipeline.start_writer(mode)
        return pipeline

    def start_writer(self, mode: str = "thread") -> None:
        if mode == "process":
            self.writer_process = WriterProcess(self.db_url, self.retries, self.retry_delay)
        else:
            self.writer = ThreadPool(minthreads=1, maxthreads=1, name="akhbar-store-writer")
            self.writer.start()
        cast(Any, reactor).addSystemEventTrigger("during", "shutdown", self._stop_writer)  # (zope interfaces)

    def open_spider(self) -> None:
        self.engine = make_engine(self.db_url)
        ensure_schema(self.engine)
        sources = getattr(self.crawler.spider, "sources", [])
        records = [SourceRecord(s.name, s.homepage, s.language, s.timezone, s.feeds, s.sitemaps) for s in sources]
        self.source_ids = ensure_sources(self.engine, records)
        self.run_ids = start_runs(self.engine, self.source_ids, worker=self.worker)
        self.run_started = time.monotonic()

    async def process_item(self, item: ArticleItem) -> ArticleItem:
        """The item, once its batch has committed (or DropItem when it was not stored)."""
        from scrapy.utils.defer import maybe_deferred_to_future

        return await maybe_deferred_to_future(self.enqueue(item))

    def enqueue(self, item: ArticleItem) -> defer.Deferred[ArticleItem]:
        """Queue the item; the Deferred fires (or fails with DropItem) when its batch is written."""
        pending = Pending(item, defer.Deferred())
        self.pending.append(pending)
        if len(self.pending) >= self.batch_size or self.batch_delay <= 0:
            self.flush()
        elif self.timer is None:
            self.timer = cast(Any, reactor).callLater(self.batch_delay, self.flush)
        return pending.done

    def context(self) -> BatchContext:
        return BatchContext(self.source_ids, dict(self.run_ids), self.worker)

    def flush(self, here: bool = False) -> None:
        """Write what is pending: in the writer thread or process (a crawl), or in this thread
        (``here``, and when there is neither: tests, tools)."""
        if self.timer is not None and self.timer.active():
            self.timer.cancel()
        self.timer = None
        batch, self.pending = self.pending, []
        if not batch:
            return
        if here or (self.writer is None and self.writer_process is None):
            self.stats.inc_value("store/written_by/crawl")
            self._report(batch, self._attempt(batch))
            return
        written: defer.Deferred[Any]
        if self.writer_process is not None:
            try:
                future = self.writer_process.submit([pending.item for pending in batch], self.context())
            except (BrokenProcessPool, RuntimeError) as exc:  # died, or shut down: written here
                written = defer.succeed(exc)
            else:
                written = defer.Deferred.fromFuture(asyncio.wrap_future(future))
            written.addBoth(lambda result: self._written(batch, result))
            written.addCallback(lambda outcomes: self._report(batch, outcomes))
        else:
            self.stats.inc_value("store/written_by/thread")
            assert self.writer is not None
            written = threads.deferToThreadPool(reactor, self.writer, self._attempt, batch)
            written.addCallback(lambda result: self._report(batch, result))
        self.writing.append(written)
        written.addBoth(self._no_longer_writing, written)

    def _no_longer_writing(self, result: Any, written: defer.Deferred[Any]) -> Any:
        self.writing.remove(written)
        return result

    def _attempt(self, batch: list[Pending]) -> list[Outcome] | BaseException:
        """The batch's outcomes, or the error that remained after the retries (never raises)."""
        assert self.engine is not None
        return attempt_batch(
            self.engine,
            [pending.item for pending in batch],
            self.context(),
            self.stats,
            self.profiles,
            self.retries,
            self.retry_delay,
        )

    def _written(self, batch: list[Pending], result: Any) -> Any:
        """What the writer process sent back, applied here; a process that died (its transaction
        never committed) is replaced and the batch written here instead (a Deferred of the
        outcomes: the death is judged a moment later, see :meth:`_writer_lost`)."""
        if isinstance(result, WrittenBatch):
            self.stats.inc_value("store/written_by/process")
            return result.apply(self.stats)
        error = result.value if hasattr(result, "value") else result
        self.stats.inc_value("store/written_by/crawl")  # the fall-back: the batch is written here
        if not self._stopping():
            # A signal to the process group kills the writer at the instant it reaches this
            # process, and Scrapy notes its stop only through the reactor: the writer's death can
            # be seen first.  Look again a moment later before calling it a crash.
            return task.deferLater(reactor, WRITER_DEATH_GRACE, self._writer_lost, batch, error)
        return self._writer_lost(batch, error)

    def _stopping(self) -> bool:
        return not getattr(self.crawler, "crawling", True)

    def _writer_lost(self, batch: list[Pending], error: BaseException) -> list[Outcome] | BaseException:
        if self._stopping():  # a signal to the group ended it
            logger.info(
                "the store's writer process has gone with the crawl's stop (%s); the batches left are "
                "written in the crawl process",
                type(error).__name__,
            )
            if self.writer_process is not None:
                self.writer_process.close(wait=False)
                self.writer_process = None
            return self._attempt(batch)
        logger.error(
            "the store's writer process failed (%s: %s); its batch of %d is written in the crawl process, "
            "and a new writer process started",
            type(error).__name__,
            error,
            len(batch),
        )
        self.stats.inc_value("store/writer_restarted")
        if isinstance(error, BrokenProcessPool) and self.writer_process is not None:
            self.writer_process.restart()
        return self._attempt(batch)

    def _report(self, batch: list[Pending], outcomes: list[Outcome] | BaseException) -> None:
        """Back on the reactor thread: count, set each stored item's verdict, and fire each item's
        Deferred."""
        if isinstance(outcomes, BaseException):
            for pending in batch:
                database_lost(self.crawler, self.stats, pending.item, outcomes)
                cause = storage_failure(outcomes)
                pending.done.errback(NotStored(f"NOT STORED ({cause}): {pending.item.url}"))
            return
        self.stats.inc_value("store/batches")
        if self.run_rollover and time.monotonic() - self.run_started >= self.run_rollover:
            self.roll_runs()
        for pending, outcome in zip(batch, outcomes):
            item = pending.item
            source = item.source
            if isinstance(outcome, Stored):
                item.verdict = outcome.verdict
                self.stats.inc_value("store/inserted")
                self.stats.inc_value(f"source/{source}/articles_new")
                if outcome.verdict.duplicate_of:
                    self.stats.inc_value(f"dedupe/{outcome.verdict.copy_kind or 'near'}")
                    self.stats.inc_value(f"source/{source}/near_duplicates")
                if outcome.verdict.series_of:
                    self.stats.inc_value("dedupe/template_series")
                pending.done.callback(item)
            elif isinstance(outcome, Duplicate):
                self.stats.inc_value(f"dedupe/{outcome.kind}")
                self.stats.inc_value(f"source/{source}/duplicates")
                if outcome.aliases_added:
                    self.stats.inc_value("dedupe/aliases_added", outcome.aliases_added)
                pending.done.errback(
                    DropItem(f"duplicate ({outcome.kind}) of article {outcome.article_id}: {item.url}")
                )
            else:
                self.stats.inc_value("store/raced")
                self.stats.inc_value(f"source/{source}/duplicates")
                pending.done.errback(DropItem(f"stored meanwhile by another crawl: {item.url}"))

    async def close_spider(self) -> None:
        """Write what is pending and wait for every write in flight."""
        from scrapy.utils.defer import maybe_deferred_to_future

        self.flush()
        while self.writing:
            await maybe_deferred_to_future(defer.DeferredList(list(self.writing), consumeErrors=True))

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.engine is None:
            return
        if not self.writing:  # (close_spider has waited for them; a forced stop may not have)
            self.flush(here=True)
        self.finish_runs(reason)
        self.engine.dispose()
        self._stop_writer()

    def _stop_writer(self) -> None:
        if self.writer is not None and self.writer.started:
            self.writer.stop()
        if self.writer_process is not None:
            self.writer_process.close()

    def roll_runs(self) -> None:
        """A long-running worker: close its runs with what they counted, and start new ones."""
        self.finish_runs("finished")
        self.run_base = {
            key: int(value)
            for key, value in self.stats.get_stats().items()
            if key.startswith("source/") and isinstance(value, int)
        }
        self.run_ids = start_runs(self.engine, self.source_ids, worker=self.worker)  # type: ignore[arg-type]
        self.run_started = time.monotonic()

    def _count(self, key: str) -> int:
        return int(self.stats.get_value(key, 0)) - self.run_base.get(key, 0)

    def finish_runs(self, reason: str) -> None:
        engine = self.engine
        assert engine is not None
        for source, run_id in self.run_ids.items():
            counts = {key: self._count(f"source/{source}/{key}") for key in RUN_COUNTERS}
            prefix = f"source/{source}/failure/"
            reasons = {key[len(prefix) :]: self._count(key) for key in self.stats.get_stats() if key.startswith(prefix)}
            reasons = {key: value for key, value in reasons.items() if value}
            status = run_status("finished" if self.worker and reason == "shutdown" else reason, counts)
            try:
                with_retries(
                    lambda: finish_run(engine, run_id, status, reason, counts, reasons),  # noqa: B023
                    self.retries,
                    self.retry_delay,
                    logger,
                )
            except TRANSIENT_ERRORS:
                logger.error(
                    "could not record the end of crawl run %s of %s (%s %s): database unavailable",
                    run_id,
                    source,
                    status,
                    counts,
                )
                continue
            logger.info("crawl run %s of %s: %s %s", run_id, source, status, counts)
