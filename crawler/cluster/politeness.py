"""Per-host politeness for the whole cluster (a downloader middleware).

Scrapy's ``CONCURRENT_REQUESTS_PER_DOMAIN`` and ``DOWNLOAD_DELAY`` hold per process: three workers
would hit one outlet three times as hard.  Before a worker downloads, it takes a lease for the
host in Redis (a sorted set of leases with their expiry, and the earliest time of the next
request); it gives the lease back when the download ends.  A lease of a worker that died expires
after ``DOWNLOAD_TIMEOUT`` plus a margin.  One Lua script decides atomically, so no two workers
can take the last slot.  While Redis is away, a request waits for it: politeness is never traded
for speed.
"""

from __future__ import annotations

import itertools
import logging
import time
from typing import Any
from urllib.parse import urlsplit

from scrapy.http import Request, Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import reactor, task

from crawler.cluster.connection import RedisDown, RedisLink, link_of

logger = logging.getLogger("akhbar.cluster")
# KEYS: leases (zset), next-allowed time; ARGV: now_ms, limit, delay_ms, lease_ms, member
# Returns 0 when the lease is taken, else how many ms to wait before asking again.
ACQUIRE = """
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local next_at = tonumber(redis.call('GET', KEYS[2]) or '0')
if next_at > now then return next_at - now end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return math.max(20, math.min(250, tonumber(first[2]) - now))
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[5])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]))
if tonumber(ARGV[3]) > 0 then redis.call('SET', KEYS[2], now + tonumber(ARGV[3]), 'PX', tonumber(ARGV[3])) end
return 0
"""
MAX_WAIT = 0.25


def host_of(request: Request) -> str:
    return (urlsplit(request.url).hostname or "").lower()


class ClusterPolitenessMiddleware:
    def __init__(self, link: RedisLink, per_host: int, delay: float, lease_seconds: float, stats: Any = None) -> None:
        self.link = link
        self.per_host = max(1, per_host)
        self.delay_ms = int(delay * 1000)
        self.lease_ms = int(lease_seconds * 1000)
        self.stats = stats
        self.serial = itertools.count()
        self._acquire: Any = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> ClusterPolitenessMiddleware:
        settings = crawler.settings  # installed by the cluster add-on only
        return cls(
            link_of(crawler),
            settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"),
            settings.getfloat("DOWNLOAD_DELAY"),
            settings.getfloat("DOWNLOAD_TIMEOUT") + 30,
            crawler.stats,
        )

    def _keys(self, host: str) -> list[str]:
        return [self.link.key("host", host, "leases"), self.link.key("host", host, "next")]

    def try_acquire(self, host: str, member: str) -> float:
        """0 when the lease is taken, else seconds to wait (RedisDown while Redis is away)."""
        if self._acquire is None:
            self._acquire = self.link.client.register_script(ACQUIRE)
        wait_ms = self.link.call(
            lambda c: self._acquire(
                keys=self._keys(host),
                args=[int(time.time() * 1000), self.per_host, self.delay_ms, self.lease_ms, member],
                client=c,
            )
        )
        return int(wait_ms) / 1000

    def release(self, host: str, member: str) -> None:
        try:
            self.link.call(lambda c: c.zrem(self._keys(host)[0], member))
        except RedisDown:
            pass  # the lease expires by itself

    async def process_request(self, request: Request) -> None:
        if "akhbar_lease" in request.meta:
            return
        host = host_of(request)
        if not host:
            return
        member = f"{self.link.worker}:{next(self.serial)}"
        waited = False
        while True:
            try:
                wait = self.try_acquire(host, member)
            except RedisDown:
                wait = 0.5
                if not waited and self.stats is not None:
                    self.stats.inc_value("cluster/lease_waits_redis_down")
            if wait <= 0:
                break
            if not waited and self.stats is not None:
                self.stats.inc_value("cluster/lease_waits")
            waited = True
            await maybe_deferred_to_future(
                task.deferLater(reactor, min(wait, MAX_WAIT) if wait < 1 else wait, lambda: None)
            )
        request.meta["akhbar_lease"] = (host, member)

    def _end(self, request: Request) -> None:
        lease = request.meta.pop("akhbar_lease", None)
        if lease is not None:
            self.release(*lease)

    def process_response(self, request: Request, response: Response) -> Response:
        self._end(request)
        return response

    def process_exception(self, request: Request, exception: BaseException) -> None:
        self._end(request)
