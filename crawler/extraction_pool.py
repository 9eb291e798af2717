"""Extraction off the reactor thread: a process pool that runs :func:`crawler.extraction.article.extract_article`.

trafilatura's extraction is nearly all of akhbar's CPU per article, and it holds the GIL, so a
thread would not help: worker processes do, one per core by default, while the reactor keeps
downloading.  Workers are recycled after ``recycle_after`` pages so memory stays bounded, and are
started through a forkserver (forking a process that runs a reactor and threads is unsafe).
Results come back in order of completion.

:meth:`ExtractionPool.start_workers` starts the workers in the background (the spider calls it
with its first article request): the forkserver's first start (importing trafilatura and the
extraction rules, ~0.5 s) then overlaps the page downloads instead of holding up the reactor
when the first page arrives, and a crawl that finds nothing new starts no process.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import UTC
from typing import Any

from crawler.extraction.errors import ExtractionError
from crawler.items import Extraction

logger = logging.getLogger(__name__)


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _warm_up() -> None:
    """Load what every extraction needs (the language model, trafilatura) once per worker, and
    silence the libraries' per-page errors (the crawl counts failures itself).  Ctrl-C reaches
    the whole process group: the crawl process decides when to stop, and its pages in hand are
    still extracted."""
    import logging
    import signal
    from datetime import datetime

    signal.signal(signal.SIGINT, signal.SIG_IGN)

    for name in ("trafilatura", "htmldate", "courlan", "justext"):
        logging.getLogger(name).setLevel(logging.CRITICAL)

    extract(url="https://example.com/", body=b"<html><body><p>warm up</p></body></html>", fetched_at=datetime.now(UTC))


def extract(**kwargs: Any) -> Extraction:
    """The page's article and its identity keys (raises ExtractionError)."""
    from crawler.dedup.keys import identity_keys  # preloaded by the forkserver
    from crawler.extraction.article import extract_article

    article = extract_article(**kwargs)
    return Extraction(article, identity_keys(article.title, article.text))


def extract_job(kwargs: dict[str, Any]) -> Extraction | ExtractionError:
    """Run in a worker: the extraction, or the ExtractionError as a value (it pickles cleanly)."""
    try:
        return extract(**kwargs)
    except ExtractionError as exc:
        return exc


# What the forkserver imports once for every process it starts (the extraction workers; the
# store's writer process, AKHBAR_STORE_WRITER=process, forks from it too and imports its own).
FORKSERVER_PRELOAD = ["crawler.extraction.article", "crawler.dedup.keys"]


def start_in_background(executor: Executor, processes: int, name: str) -> None:
    """Start a new pool's processes from a thread (a pool starts them as work is submitted, and
    the forkserver's first start would hold up the caller)."""

    def start() -> None:
        try:
            for future in [executor.submit(os.getpid) for _ in range(processes)]:
                future.result()
        except Exception:
            pass

    threading.Thread(target=start, name=name, daemon=True).start()


class ExtractionPool:
    """``await pool.extract(url=..., body=..., ...)``; ``workers=0`` extracts in this process.

    Recycling: after ``recycle_after`` pages per worker the pool is replaced by a fresh one (the
    old one finishes its pages, then exits).  ``ProcessPoolExecutor(max_tasks_per_child=...)`` is
    not used: on Python 3.11 it can deadlock when a worker is replaced (CPython gh-115634).
    """

    def __init__(self, workers: int | None = None, recycle_after: int = 200) -> None:
        self.workers = default_workers() if workers is None else workers
        self.recycle_after = max(1, recycle_after)
        self.submitted = 0
        self.pools_started = 0
        self.workers_started = False
        self.starts = 0  # pools whose processes were started (none in a crawl that found nothing new)
        self.replaced = 0  # pools replaced because a worker died
        self.executor: Executor | None = self._new_executor() if self.workers > 0 else None

    def _new_executor(self) -> Executor:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(FORKSERVER_PRELOAD)
        self.pools_started += 1
        self.workers_started = False
        return ProcessPoolExecutor(max_workers=self.workers, mp_context=context, initializer=_warm_up)

    def start_workers(self) -> None:
        """Start the pool's processes in the background, once (without it, the first page does)."""
        if self.executor is None or self.workers_started:
            return
        self.workers_started = True
        self.starts += 1
        start_in_background(self.executor, self.workers, "extraction-pool-start")

    async def extract(self, **kwargs: Any) -> Extraction:
        if self.executor is None:
            return extract(**kwargs)
        if self.submitted and self.submitted % (self.recycle_after * self.workers) == 0:
            self._replace(self.executor)
        self.submitted += 1
        for attempt in (1, 2):
            executor = self.executor
            try:
                result = await asyncio.wrap_future(executor.submit(extract_job, kwargs))
                break
            except (BrokenProcessPool, OSError, EOFError) as exc:
                # A worker died (killed, out of memory, a SIGTERM to the process group): every page
                # it held fails with BrokenProcessPool; a pool that cannot start a worker (its
                # forkserver killed with it) raises OSError or EOFError.  (extract_job returns the
                # page's own errors as values.)  A new pool takes over; the page is tried there once.
                if executor is self.executor:
                    logger.warning("an extraction worker died (%s: %s); a new pool takes over", type(exc).__name__, exc)
                    self.replaced += 1
                    self._replace(executor)
                if attempt == 2:
                    raise ExtractionError(f"the extraction worker died on this page twice ({exc})") from None
        if isinstance(result, ExtractionError):
            raise result
        return result

    def _replace(self, old: Executor) -> None:
        """A new pool in place of ``old``, whose queued pages still complete (if it can)."""
        self.executor = self._new_executor()
        old.shutdown(wait=False)
        self.start_workers()

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None
