"""The scheduler daemon behind ``akhbar schedule``.

One APScheduler job per source, every ``interval`` of the sources file (with jitter).  Each run
is a child process (``akhbar crawl --due --source NAME``): the Twisted reactor cannot be
restarted in one process, and a child isolates memory growth and crashes.  A crawl that runs
past the time limit is killed and its run recorded as ``killed``.  Missed runs are coalesced and
a source is never crawled twice at once (one instance per job here; the database lock shared
with cron everywhere).  SIGTERM/SIGINT: stop scheduling, let running crawls finish for a grace
period, then stop them (SIGTERM, then SIGKILL), record what happened, exit 0.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from crawler.sources.config import Source

logger = logging.getLogger("akhbar.scheduler")

MAX_JITTER_SECONDS = 60


@dataclass
class SchedulerConfig:
    sources_file: str
    db_url: str
    time_limit: float = 1800.0
    grace: float = 30.0
    crawl_args: tuple[str, ...] = ()
    python: str = sys.executable
    redis_url: str | None = None  # set: queue each source's feeds for the workers instead of crawling
    redis_prefix: str = "akhbar"


@dataclass
class Child:
    source: str
    process: subprocess.Popen[bytes]
    started: float = field(default_factory=time.monotonic)


class CrawlScheduler:
    def __init__(self, config: SchedulerConfig, sources: list[Source]) -> None:
        self.config = config
        self.sources = sources
        self.children: dict[str, Child] = {}
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.scheduler = BackgroundScheduler(
            executors={"default": ThreadPoolExecutor(max_workers=max(1, len(sources)))},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
            timezone=UTC,
        )

    def command(self, source: str) -> list[str]:
        return [
            self.config.python,
            "-m",
            "crawler.cli",
            "crawl",
            "--due",
            "--sources",
            self.config.sources_file,
            "--source",
            source,
            "--db",
            self.config.db_url,
            *self.config.crawl_args,
        ]

    def crawl(self, source: str) -> None:
        """One scheduled crawl of ``source`` in a child process, killed past the time limit."""
        if self.stopping.is_set():
            return
        if self.config.redis_url:
            self.enqueue(source)
            return
        process = subprocess.Popen(
            self.command(source), start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        with self.lock:
            self.children[source] = Child(source, process)
        logger.info("crawl of %s started (pid %s)", source, process.pid)
        try:
            _, stderr = process.communicate(timeout=self.config.time_limit)
            tail = stderr.decode("utf-8", "replace").strip().splitlines()[-1:] if stderr else []
            logger.info(
                "crawl of %s ended with exit %s%s",
                source,
                process.returncode,
                f": {tail[0]}" if tail and process.returncode else "",
            )
        except subprocess.TimeoutExpired:
            logger.error("crawl of %s ran past %ss: killed", source, self.config.time_limit)
            self._kill(process)
            self._close_runs(process.pid, "killed", "time limit")
        finally:
            with self.lock:
                self.children.pop(source, None)

    def enqueue(self, source: str) -> None:
        """The cluster form: queue the source's due feeds in Redis for the workers (``akhbar enqueue --due``)."""
        from crawler.cluster.connection import RedisDown, RedisLink
        from crawler.cluster.enqueue import enqueue_sources
        from storage.db import make_engine

        assert self.config.redis_url is not None
        link = RedisLink(self.config.redis_url, self.config.redis_prefix)
        engine = make_engine(self.config.db_url)
        try:
            chosen = [s for s in self.sources if s.name == source]
            result = enqueue_sources(link, engine, self.config.sources_file, chosen, due=True)
            logger.info(
                "queued %d feed(s) of %s for the workers (%d already queued)",
                result.queued,
                source,
                result.already_queued,
            )
        except RedisDown:
            logger.error("could not queue %s: Redis unreachable (tried again at the next round)", source)
        except Exception as exc:
            logger.error("could not queue %s: %s", source, " ".join(str(exc).split())[:300])
        finally:
            engine.dispose()
            link.close()

    @staticmethod
    def _kill(process: subprocess.Popen[bytes]) -> None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()

    def _close_runs(self, pid: int, status: str, reason: str) -> None:
        from storage.db import make_engine
        from storage.repository import close_runs_of_process

        engine = make_engine(self.config.db_url)
        try:
            closed = close_runs_of_process(engine, pid, status, reason)
            logger.info("recorded %d run(s) of pid %s as %s", closed, pid, status)
        finally:
            engine.dispose()

    def start(self) -> None:
        for source in self.sources:
            interval = source.interval_seconds
            jitter = min(MAX_JITTER_SECONDS, max(1, interval // 10))
            self.scheduler.add_job(
                self.crawl,
                IntervalTrigger(seconds=interval, jitter=jitter),
                args=[source.name],
                id=source.name,
                name=f"crawl {source.name}",
                next_run_time=datetime.now(UTC) + timedelta(seconds=0.5),
            )
        self.scheduler.start()
        logger.info("scheduling %d sources", len(self.sources))

    def stop(self) -> None:
        """Stop scheduling; give running crawls the grace period, then stop them."""
        self.stopping.set()
        self.scheduler.shutdown(wait=False)
        deadline = time.monotonic() + self.config.grace
        while time.monotonic() < deadline:
            with self.lock:
                running = list(self.children.values())
            if not running:
                break
            time.sleep(0.2)
        with self.lock:
            running = list(self.children.values())
        for child in running:  # Scrapy shuts down gracefully on SIGTERM: runs end "interrupted"
            logger.warning("stopping crawl of %s (pid %s) after the grace period", child.source, child.process.pid)
            try:
                os.killpg(child.process.pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
        for child in running:
            try:
                child.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._kill(child.process)
            self._close_runs(child.process.pid, "interrupted", "scheduler shutdown")
        logger.info("scheduler stopped")


def run_daemon(config: SchedulerConfig, sources: list[Source]) -> int:
    """Run until SIGTERM or SIGINT; returns the exit code (0)."""
    daemon = CrawlScheduler(config, sources)
    stop_requested = threading.Event()

    def on_signal(signum: int, _frame: Any) -> None:
        logger.info("received %s: stopping", signal.Signals(signum).name)
        stop_requested.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    daemon.start()
    while not stop_requested.wait(0.5):
        pass
    daemon.stop()
    return 0
