"""Writing a batch of articles: one transaction, retried on connection-level errors, in the
crawl's writer thread or in a process of its own.

The crawl process's threads share one GIL, and the writer thread (the default) holds a share of
it: SQLAlchemy's statements, the batch's look-ups, comparing candidate texts.  On a machine with
cores to spare that share caps the crawl, and :class:`WriterProcess`
(``AKHBAR_STORE_WRITER = "process"``) runs the same work, :func:`attempt_batch`, in one process
of its own (batches stay in order) with its own engine and its own cache of comparison
profiles.  What a batch decided comes back as a :class:`WrittenBatch`: the outcomes (each stored
item's verdict among them), the stats it counted and what it logged.  Why the thread is the default
(what the process gains and costs, measured): docs/performance.md.

No Scrapy or Twisted here: the process imports only what writing needs.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
from collections import Counter, OrderedDict
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from crawler.extraction_pool import FORKSERVER_PRELOAD
from crawler.items import ArticleItem, StorageVerdict
from crawler.text.arabic import search_key
from crawler.text.urls import url_key
from crawler.writing.batch import Outcome, Stored, write_batch, write_each
from storage.batch_index import BatchConflict
from storage.db import TRANSIENT_ERRORS, make_engine, serialise_article_writes, with_retries
from storage.notify import announce_new_articles

logger = logging.getLogger(__name__)

WRITER_MODES = ("process", "thread", "none")  # AKHBAR_STORE_WRITER: where batches are written


def writer_mode(settings: Any) -> str:
    """Where a crawl's batches are written (``AKHBAR_STORE_WRITER``, and ``False`` for akhbar 0.1's
    ``AKHBAR_STORE_WRITER_THREAD`` means ``none``); ValueError for a value it does not know."""
    mode = settings.get("AKHBAR_STORE_WRITER")
    if not settings.getbool("AKHBAR_STORE_WRITER_THREAD", True):
        mode = "none"
    if mode not in WRITER_MODES:
        raise ValueError(f"AKHBAR_STORE_WRITER={mode}: expected one of {', '.join(WRITER_MODES)}")
    return str(mode)


PROFILES_KEPT = 256  # about 15 MB for 1,000-word articles


class LRUCache(OrderedDict):  # type: ignore[type-arg]
    """A bounded mapping that forgets the least recently used entry."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def get(self, key: Any, default: Any = None) -> Any:
        if key in self:
            self.move_to_end(key)
            return self[key]
        return default

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(key, value)
        self.move_to_end(key)
        while len(self) > self.size:
            self.popitem(last=False)


@dataclass(frozen=True, slots=True)
class BatchContext:
    """What a batch's rows need besides its items: the ids of the crawl's sources and runs, and
    the cluster worker's name (None outside a cluster)."""

    source_ids: dict[str, int]
    run_ids: dict[str, int] = field(default_factory=dict)
    worker: str | None = None

    def values(self, item: ArticleItem, verdict: StorageVerdict) -> dict[str, Any]:
        """The ``articles`` row of an item stored with this verdict."""
        article, fetch = item.article, item.fetch
        assert article.url is not None  # (every crawled article has one)
        return {
            "source_id": self.source_ids[fetch.source],
            "crawl_run_id": self.run_ids.get(fetch.source),
            "url": article.url,
            "url_key": url_key(article.url),
            "canonical_url": article.canonical_url,
            "title": article.title,
            "title_from": article.title_from,
            "text": article.text,
            "description": article.description,
            "author": article.author,
            "author_organization": article.author_organization,
            "authors": article.authors or None,
            "author_from": article.author_from,
            "published_at": article.published_at,
            "published_has_time": article.published_has_time,
            "published_from": article.published_from,
            "published_date": article.published_date,
            "published_tz_from": article.published_tz_from,
            "modified_at": article.modified_at,
            "fetched_at": fetch.fetched_at,
            "language": article.language,
            "image_url": article.image_url,
            "categories": article.categories or None,
            "tags": article.tags or None,
            "feed_guid": fetch.feed_guid,
            "content_hash": item.keys.content_hash,
            "duplicate_of": verdict.duplicate_of,
            "similarity": verdict.similarity,
            "copy_kind": verdict.copy_kind,
            "series_of": verdict.series_of,
            "worker": self.worker,
            "search_text": item.keys.search_text or search_key(f"{article.title or ''}\n{article.text}"),
        }


def write_items(
    engine: Engine, items: list[ArticleItem], context: BatchContext, stats: Any, profiles: LRUCache
) -> list[Outcome]:
    """One transaction for the whole batch; an outcome per item."""
    try:
        with Session(engine) as session, session.begin():
            serialise_article_writes(session)
            outcomes = write_batch(session, items, context.source_ids, context.values, stats, profiles)
            _announce(session, outcomes)
            return outcomes
    except BatchConflict:
        stats.inc_value("store/batches_one_by_one")
    with Session(engine) as session, session.begin():  # decided again from the database, one by one
        serialise_article_writes(session)
        outcomes = write_each(session, items, context.source_ids, context.values, stats)
        _announce(session, outcomes)
        return outcomes


def _announce(session: Session, outcomes: list[Outcome]) -> None:
    if any(isinstance(outcome, Stored) for outcome in outcomes):
        announce_new_articles(session)


def attempt_batch(
    engine: Engine,
    items: list[ArticleItem],
    context: BatchContext,
    stats: Any,
    profiles: LRUCache,
    retries: int,
    retry_delay: float,
) -> list[Outcome] | BaseException:
    """The batch's outcomes, or the error that remained after the retries (never raises)."""
    try:
        return with_retries(lambda: write_items(engine, items, context, stats, profiles), retries, retry_delay, logger)
    except TRANSIENT_ERRORS as exc:
        return exc


class StatsDelta(Counter):  # type: ignore[type-arg]
    """What a batch counts in the writer process, added to the crawl's stats when it comes back."""

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self[key] += count


class StoreUnavailable(Exception):
    """The database error that remained after the writer process's retries (its first line)."""


@dataclass(slots=True)
class WrittenBatch:
    outcomes: list[Outcome] | None  # None: the batch was not written (``error`` says why)
    error: str | None
    stats: dict[str, int]
    logs: list[tuple[int, str]]  # (level, message) of what writing logged

    def apply(self, stats: Any) -> list[Outcome] | BaseException:
        """In the crawl process: count, log; the outcomes (or the error)."""
        for key, count in self.stats.items():
            stats.inc_value(key, count)
        for level, message in self.logs:
            logger.log(level, "%s", message)
        return self.outcomes if self.outcomes is not None else StoreUnavailable(self.error)


# --- in the writer process --------------------------------------------------------------------
_WRITER: dict[str, Any] = {}


class _Collected(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        _WRITER["logs"].append((record.levelno, record.getMessage()))


def _start_writer(db_url: str, retries: int, retry_delay: float) -> None:
    # Ctrl-C reaches the whole process group: the crawl process decides when to stop, and closes
    # the pool once the batches in flight are written.  (SIGTERM is not ignored: a pool that
    # breaks terminates its processes with it, and waits for them.)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WRITER.update(
        engine=make_engine(db_url), profiles=LRUCache(PROFILES_KEPT), retries=retries, retry_delay=retry_delay, logs=[]
    )
    logger.addHandler(_Collected())
    logger.setLevel(logging.INFO)
    logger.propagate = False


def write_job(items: list[ArticleItem], context: BatchContext) -> WrittenBatch:
    """Run in the writer process: one batch, start to commit."""
    _WRITER["logs"] = []
    stats = StatsDelta()
    result = attempt_batch(
        _WRITER["engine"], items, context, stats, _WRITER["profiles"], _WRITER["retries"], _WRITER["retry_delay"]
    )
    if isinstance(result, BaseException):
        outcomes, error = None, str(result).splitlines()[0]
    else:
        outcomes, error = result, None
    return WrittenBatch(outcomes, error, dict(stats), _WRITER["logs"])


class WriterProcess:
    """``future = writer.submit(items, context)``: batches written in order in one process."""

    def __init__(self, db_url: str, retries: int = 3, retry_delay: float = 0.5) -> None:
        self.db_url, self.retries, self.retry_delay = db_url, retries, retry_delay
        self.executor: ProcessPoolExecutor | None = None
        self.started = 0

    def start(self) -> None:
        """A new pool; its process starts with the first batch submitted."""
        # Forked from the extraction pool's forkserver (what it loaded is shared), at the first
        # batch, so a crawl that finds nothing new starts none.  A SIGTERM to the process group
        # kills the forkserver, and a pool whose processes it forked then counts them dead: the
        # batches left are written in the crawl process (see StorePipeline._written).
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(FORKSERVER_PRELOAD)
        self.executor = ProcessPoolExecutor(
            max_workers=1,
            mp_context=context,
            initializer=_start_writer,
            initargs=(self.db_url, self.retries, self.retry_delay),
        )
        self.started += 1

    def submit(self, items: list[ArticleItem], context: BatchContext) -> Future[WrittenBatch]:
        if self.executor is None:
            self.start()
        assert self.executor is not None
        return self.executor.submit(write_job, items, context)

    def restart(self) -> None:
        """A new process after the old one died (its batch in flight was not committed)."""
        self.close(wait=False)
        self.start()

    def close(self, wait: bool = True) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=wait, cancel_futures=not wait)
            self.executor = None
