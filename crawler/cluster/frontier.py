"""The worker's scheduler and duplicate filter: scrapy-redis's, with what production needs.

- :class:`ClusterScheduler` (scrapy-redis ``Scheduler``) reads and writes the stream of
  :mod:`crawler.cluster.queue`; a request it cannot push while Redis is away is kept in memory
  and pushed when Redis returns, so nothing a worker produced is lost to an outage.
- :class:`ExpiringDupeFilter` (scrapy-redis ``RFPDupeFilter``) remembers a fingerprint as one
  key with a time to live instead of a member of a set that only grows.  Articles are keyed by
  their URL key (so two feeds listing one article queue it once for the whole cluster), feeds by
  their URL until their fetch is done.  "Already stored" is the database's answer (the spider
  checks known URL keys before it queues an article), so an expired fingerprint costs at most one
  more download, never a second copy.
"""

from __future__ import annotations

import logging
from collections import deque
from typing import Any

from scrapy.http import Request
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler

from crawler.cluster import codec
from crawler.cluster.connection import RedisDown, RedisLink, link_of
from crawler.cluster.queue import StreamQueue

logger = logging.getLogger("akhbar.cluster")


def dedupe_key(request: Request) -> str | None:
    """The cluster-wide identity of a request, or None when it must always be queued (a redirect
    or a retry of a request already taken: its first copy was acknowledged for it)."""
    if request.meta.get("redirect_urls") or request.meta.get("retry_times"):
        return None
    return request.meta.get("akhbar_key")


class ExpiringDupeFilter(RFPDupeFilter):  # type: ignore[misc]  # scrapy-redis has no types
    def __init__(self, link: RedisLink, ttl: int = 86400, debug: bool = False) -> None:
        super().__init__(link.client, key=link.key("seen"), debug=debug)
        self.link = link
        self.ttl = ttl

    def request_seen(self, request: Request) -> bool:
        key = dedupe_key(request)
        if key is None:
            return False
        added = self.link.call(lambda c: c.set(f"{self.key}:{key}", 1, nx=True, ex=self.ttl))
        return not added

    def forget(self, request: Request) -> None:
        """A feed fetch is done: its next poll may be queued again."""
        key = dedupe_key(request)
        if key is not None:
            self.link.call(lambda c: c.delete(f"{self.key}:{key}"))

    def clear(self) -> None:  # the fingerprints expire by themselves; never flush the cluster's
        pass

    def close(self, reason: str = "") -> None:
        pass


class ClusterScheduler(Scheduler):  # type: ignore[misc]  # scrapy-redis has no types
    def __init__(
        self,
        link: RedisLink,
        dupefilter: ExpiringDupeFilter,
        visibility_timeout: float = 60.0,
        prefetch: int = 4,
        max_deliveries: int = 5,
    ) -> None:
        super().__init__(link.client, persist=True, queue_key=link.stream, dupefilter=dupefilter, serializer=codec)
        self.link = link
        self.visibility_timeout = visibility_timeout
        self.prefetch = prefetch
        self.max_deliveries = max_deliveries
        self.unsent: deque[Request] = deque()  # produced while Redis was away, pushed in order
        self.queue: StreamQueue

    @classmethod
    def from_crawler(cls, crawler: Any) -> ClusterScheduler:
        settings = crawler.settings
        link = link_of(crawler)
        scheduler = cls(
            link,
            ExpiringDupeFilter(link, settings.getint("AKHBAR_CLUSTER_FINGERPRINT_TTL")),
            settings.getfloat("AKHBAR_CLUSTER_VISIBILITY_TIMEOUT"),
            settings.getint("AKHBAR_CLUSTER_PREFETCH"),
            settings.getint("AKHBAR_CLUSTER_MAX_DELIVERIES"),
        )
        scheduler.stats = crawler.stats
        return scheduler

    def open(self, spider: Any) -> None:
        self.spider = spider
        self.queue = StreamQueue(
            self.link.client,
            spider,
            self.queue_key,
            link=self.link,
            visibility_timeout=self.visibility_timeout,
            prefetch=self.prefetch,
            max_deliveries=self.max_deliveries,
            stats=self.stats,
        )
        self.link.queue = self.queue  # the tracker acknowledges through it
        try:
            self.queue.ensure_group()
        except RedisDown:
            pass  # created when Redis answers (a NOGROUP reply recreates it)

    def close(self, reason: str) -> None:
        self.push_unsent()
        released = self.queue.release()
        if released:
            logger.info("gave back %d queued request(s) not started", released)
        if self.unsent:
            logger.error(
                "%d request(s) produced while Redis was away could not be queued before the stop; "
                "their feeds are read again at the next poll (validators were not saved)",
                len(self.unsent),
            )
            self.stats.inc_value("cluster/unsent_at_stop", len(self.unsent))

    def enqueue_request(self, request: Request) -> bool:
        try:
            if self.df.request_seen(request):
                self.stats.inc_value("cluster/filtered")
                return False
        except RedisDown:
            pass  # queue it: the database's known-URL check and unique keys stop a second copy
        self.unsent.append(request)
        self.push_unsent()
        return True

    def push_unsent(self) -> None:
        """Push what is held, oldest first; what Redis cannot take now waits for the next call."""
        while self.unsent:
            try:
                self.queue.push(self.unsent[0])
            except RedisDown:
                return
            self.unsent.popleft()
            self.stats.inc_value("scheduler/enqueued/redis")

    def next_request(self) -> Request | None:
        self.push_unsent()
        request = self.queue.pop()
        if request is not None:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self) -> bool:
        return bool(self.unsent) or len(self.queue) > 0
