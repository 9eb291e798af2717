"""When a worker's request is finished, and the worker's heartbeat (a Scrapy extension).

A request taken from the stream is acknowledged only once everything it led to is done: its
response (or failure) went through the spider, every request it produced was queued, and every
item it produced was stored or dropped as a duplicate.  The engine's handling of one download
output ends exactly there, so the tracker wraps it.  An item that could not be stored (the
database away) leaves its request unacknowledged: another worker (or this one) takes it over
after the visibility timeout.

Also here: an idle worker stays open (``DontCloseSpider``), and a heartbeat every few seconds
records the worker in Redis for ``akhbar cluster status`` and retries what an outage held back.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from typing import Any, cast

from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from twisted.internet import task

from crawler.cluster import engine_shim
from crawler.cluster.connection import RedisDown, RedisLink, link_of
from crawler.components.feed_state import FeedStateKeeper

logger = logging.getLogger("akhbar.cluster")
HEARTBEAT_SECONDS = 5.0
IDLE_POLL_SECONDS = 1.0


class WorkTracker:
    def __init__(self, crawler: Any, link: RedisLink, heartbeat: float = HEARTBEAT_SECONDS) -> None:
        self.crawler = crawler
        self.link = link
        self.heartbeat_seconds = heartbeat
        self.not_stored: set[int] = set()  # id() of requests with an item that was not stored
        self.started = time.time()
        self.looping: task.LoopingCall | None = None
        self.refreshing: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> WorkTracker:
        # Installed by the cluster add-on only.
        tracker = cls(crawler, link_of(crawler))
        crawler.signals.connect(tracker.engine_started, signal=signals.engine_started)
        crawler.signals.connect(tracker.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(tracker.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(tracker.item_error, signal=signals.item_error)
        crawler.signals.connect(tracker.spider_closed, signal=signals.spider_closed)
        return tracker

    @property
    def feed_state(self) -> FeedStateKeeper | None:
        """The crawl's feed bookkeeping, told when a listed article is done (its feed's validators)."""
        return self.crawler.get_extension(FeedStateKeeper)  # type: ignore[no-any-return]

    def engine_started(self) -> None:
        engine_shim.after_download_output(self.crawler.engine, self.request_finished)
        self.looping = task.LoopingCall(self.beat)
        self.looping.start(self.heartbeat_seconds, now=True)
        visibility = self.crawler.settings.getfloat("AKHBAR_CLUSTER_VISIBILITY_TIMEOUT")
        self.refreshing = task.LoopingCall(self.refresh)
        self.refreshing.start(max(0.5, min(self.heartbeat_seconds, visibility / 3)), now=False)

    def refresh(self) -> None:
        queue = self.link.queue
        if queue is not None:
            try:
                queue.refresh()
            except RedisDown:
                pass

    def spider_idle(self) -> None:
        # Look at the queue again in a second (the engine's own heartbeat is 5 s).
        engine_shim.poll_again(self.crawler.engine, IDLE_POLL_SECONDS)
        raise DontCloseSpider("a worker waits for work")

    def item_dropped(self, item: Any, response: Any, exception: BaseException, spider: Any = None) -> None:
        if getattr(exception, "not_stored", False) and response is not None:
            self.not_stored.add(id(response.request))

    def item_error(self, item: Any, response: Any, spider: Any = None, failure: Any = None) -> None:
        if response is not None:
            self.not_stored.add(id(response.request))

    def request_finished(self, request: Any) -> None:
        entry_id = request.meta.get("akhbar_stream_id")
        if entry_id is None:  # robots.txt and other requests that never went through the queue
            return
        queue = self.link.queue
        if id(request) in self.not_stored:
            self.not_stored.discard(id(request))
            if queue is not None:
                queue.abandon(entry_id)
            self.crawler.stats.inc_value("cluster/left_for_retry")
            logger.warning("request %s (%s) left unacknowledged: its article was not stored", entry_id, request.url)
            return
        if queue is not None:
            queue.ack([entry_id])
        self.crawler.stats.inc_value("cluster/acked")
        try:
            if request.meta.get("akhbar_kind") in ("feed", "sitemap"):
                self.crawler.engine.scheduler.df.forget(request)
            elif request.meta.get("akhbar_kind") == "article" and self.feed_state is not None:
                self.feed_state.article_handled(request)
        except RedisDown:
            pass  # fingerprints expire; the feed's validators are simply not saved this time

    def beat(self) -> None:
        queue = self.link.queue
        record: dict[str, Any] = {
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "started": self.started,
            "last_seen": time.time(),
            "finished": self.crawler.stats.get_value("cluster/acked", 0),
            "held": len(queue.buffer) if queue is not None else 0,
            "redis_calls": self.link.calls,
        }
        key = self.link.key("worker", self.link.worker)
        try:
            self.link.call(
                lambda c: (
                    cast(Any, c.pipeline())
                    .hset(key, mapping=record)
                    .expire(key, int(self.heartbeat_seconds * 6))
                    .execute()
                )
            )
        except RedisDown:
            return
        if queue is not None:
            queue.flush_acks()
        scheduler = self.crawler.engine.scheduler if self.crawler.engine is not None else None
        if scheduler is not None:
            scheduler.push_unsent()

    def spider_closed(self, spider: Any, reason: str) -> None:
        for looping in (self.looping, self.refreshing):
            if looping is not None and looping.running:
                looping.stop()
        queue = self.link.queue
        if queue is not None:
            queue.flush_acks()
            if queue.unacked:
                logger.error(
                    "%d finished request(s) could not be acknowledged (Redis away): they will be "
                    "done again by another worker",
                    len(queue.unacked),
                )
        try:
            self.link.call(lambda c: c.delete(self.link.key("worker", self.link.worker)))
        except RedisDown:
            pass
        self.link.close()
