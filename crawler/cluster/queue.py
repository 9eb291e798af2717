"""The shared request queue: a Redis stream read by a consumer group (a scrapy-redis queue class).

Why a stream and not scrapy-redis's lists: a request popped from a list is gone from Redis, so a
worker killed before finishing it loses it.  A stream entry read with ``XREADGROUP`` stays in the
group's pending list, under the worker's name, until the worker acknowledges it (``XACK``) once
its result is stored; an entry left pending longer than the visibility timeout (a worker that
died) is taken over by another worker with ``XAUTOCLAIM`` and done again: at least once.
``XPENDING`` says per worker what is in flight, and the entry's delivery count stops a request
that kills every worker that takes it (after ``max_deliveries`` it is dropped and logged).
Acknowledged entries are deleted (``XDEL``), so the stream holds only work not yet done.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from typing import Any

import redis
from scrapy.http import Request
from scrapy.utils.request import request_from_dict
from scrapy_redis.queue import Base

from crawler.cluster import codec
from crawler.cluster.connection import GROUP, RedisDown, RedisLink, text

logger = logging.getLogger("akhbar.cluster")
FIELD = b"r"


class StreamQueue(Base):  # type: ignore[misc]  # scrapy-redis has no types
    """``push`` adds an entry; ``pop`` takes one for this worker; ``ack`` ends it; ``release``
    gives back what was taken and not started."""

    def __init__(
        self,
        server: Any,
        spider: Any,
        key: str,
        serializer: Any = None,
        *,
        link: RedisLink,
        visibility_timeout: float = 60.0,
        prefetch: int = 4,
        max_deliveries: int = 5,
        stats: Any = None,
    ) -> None:
        super().__init__(server, spider, key, serializer or codec)
        self.link = link
        self.visibility_ms = int(visibility_timeout * 1000)
        self.prefetch = max(1, prefetch)
        self.max_deliveries = max_deliveries
        self.stats = stats
        self.buffer: deque[tuple[str, bytes]] = deque()  # taken from Redis, not yet handed to Scrapy
        self.unacked: list[str] = []  # acknowledgements Redis could not take yet
        self.taken: dict[str, None] = {}  # handed to Scrapy, not finished: kept alive by refresh()
        self.next_reclaim = 0.0
        self.waiting_cache: tuple[float, int] = (0.0, 0)
        # Queued requests name their source; it is looked up in this worker's sources file.
        self.sources = {source.name: source for source in getattr(spider, "sources", [])}

    # --- scrapy-redis's interface -------------------------------------------------------------------
    def _encode_request(self, request: Request) -> bytes:
        obj = request.to_dict(spider=self.spider)
        obj["meta"] = {k: v for k, v in obj.get("meta", {}).items() if k != "akhbar_stream_id"}
        return codec.dumps(obj)

    def _decode_request(self, encoded_request: bytes) -> Request:
        return request_from_dict(codec.loads(encoded_request, self.sources), spider=self.spider)

    def __len__(self) -> int:
        """Requests waiting (in this worker's buffer and in Redis, not yet taken by anyone)."""
        at, waiting = self.waiting_cache
        if time.monotonic() - at > 1.0:
            try:
                waiting = self.link.call(lambda c: waiting_requests(c, self.key))
            except RedisDown:
                waiting = 0
            self.waiting_cache = (time.monotonic(), waiting)
        return len(self.buffer) + waiting

    def push(self, request: Request) -> str:
        data = self._encode_request(request)
        entry = self.link.call(lambda c: c.xadd(self.key, {FIELD: data}))
        return entry.decode() if isinstance(entry, bytes) else str(entry)

    def pop(self, timeout: int = 0) -> Request | None:
        if not self.buffer:
            self._fill()
        while self.buffer:
            entry_id, data = self.buffer.popleft()
            try:
                request = self._decode_request(data)
            except Exception as exc:
                logger.error("dropped queued request %s: %s", entry_id, exc)
                self._inc("cluster/dropped_bad_entry")
                self.ack([entry_id])
                continue
            request.meta["akhbar_stream_id"] = entry_id
            self.taken[entry_id] = None
            return request
        return None

    def clear(self) -> None:
        self.link.call(lambda c: c.delete(self.key))

    # --- the consumer group -------------------------------------------------------------------------
    def ensure_group(self, client: redis.Redis | None = None) -> None:
        def create(c: redis.Redis) -> None:
            try:
                c.xgroup_create(self.key, GROUP, id="0", mkstream=True)
            except redis.ResponseError as exc:
                if "BUSYGROUP" not in str(exc):
                    raise

        if client is not None:
            create(client)
        else:
            self.link.call(create)

    def _fill(self) -> None:
        """Take work: first entries abandoned by dead workers, then new ones."""
        self.flush_acks()
        try:
            if time.monotonic() >= self.next_reclaim:
                self.next_reclaim = time.monotonic() + max(1.0, self.visibility_ms / 4000)
                self.link.call(self._reclaim)
            if not self.buffer:
                self.link.call(self._read)
        except RedisDown:
            return

    def _with_group(self, client: redis.Redis, operation: Any) -> Any:
        try:
            return operation()
        except redis.ResponseError as exc:
            if "NOGROUP" not in str(exc):
                raise
            logger.warning(
                "the request stream %s is gone (Redis restarted empty?): recreating it; "
                "`akhbar enqueue` rebuilds the work from the database",
                self.key,
            )
            self._inc("cluster/stream_recreated")
            self.ensure_group(client)
            return operation()

    def _read(self, client: redis.Redis) -> None:
        reply = self._with_group(
            client, lambda: client.xreadgroup(GROUP, self.link.worker, {self.key: ">"}, count=self.prefetch)
        )
        for _stream, entries in reply or []:
            for entry_id, fields in entries:
                if fields and FIELD in fields:
                    self.buffer.append((text(entry_id), fields[FIELD]))

    def _reclaim(self, client: redis.Redis) -> None:
        reply = self._with_group(
            client,
            lambda: client.xautoclaim(
                self.key, GROUP, self.link.worker, self.visibility_ms, start_id="0-0", count=self.prefetch
            ),
        )
        claimed = [(text(entry_id), fields) for entry_id, fields in (reply[1] if reply else []) if fields]
        for entry_id, fields in claimed:
            pending = client.xpending_range(self.key, GROUP, min=entry_id, max=entry_id, count=1)
            deliveries = int(pending[0]["times_delivered"]) if pending else 1
            if deliveries > self.max_deliveries:
                logger.error("request %s was taken %d times and never finished: dropped", entry_id, deliveries - 1)
                self._inc("cluster/dropped_too_many_deliveries")
                self._ack(client, [entry_id])
                continue
            logger.info("took over request %s from a worker that did not finish it", entry_id)
            self._inc("cluster/reclaimed")
            self.buffer.append((entry_id, fields[FIELD]))

    # --- ending entries ---------------------------------------------------------------------------------
    def ack(self, entry_ids: list[str]) -> None:
        """Done: acknowledged and deleted (kept for later while Redis is away)."""
        for entry_id in entry_ids:
            self.taken.pop(entry_id, None)
        self.unacked.extend(entry_ids)
        self.flush_acks()

    def flush_acks(self) -> None:
        if not self.unacked:
            return
        ids, self.unacked = self.unacked, []
        try:
            self.link.call(lambda c: self._ack(c, ids))
        except RedisDown:
            self.unacked = ids + self.unacked

    def _end(self, pipe: Any, ids: list[str]) -> None:
        """Acknowledge and delete, in the caller's transaction."""
        pipe.xack(self.key, GROUP, *ids)
        pipe.xdel(self.key, *ids)

    def _ack(self, client: redis.Redis, ids: list[str]) -> None:
        pipe = client.pipeline(transaction=True)
        self._end(pipe, ids)
        try:
            pipe.execute()
        except redis.ResponseError as exc:  # the stream was lost with a Redis restart: nothing to end
            if "NOGROUP" not in str(exc):
                raise

    def abandon(self, entry_id: str) -> None:
        """Not finished and not to be kept alive: another worker takes it over after the timeout."""
        self.taken.pop(entry_id, None)

    def refresh(self) -> None:
        """Tell Redis this worker is still on what it holds (``XCLAIM ... JUSTID`` to itself resets
        the idle time), so that a slow download is not taken over from a live worker."""
        ids: list[Any] = [*self.taken, *(entry_id for entry_id, _ in self.buffer)]
        if ids:
            self.link.call(
                lambda c: self._with_group(c, lambda: c.xclaim(self.key, GROUP, self.link.worker, 0, ids, justid=True))
            )

    def release(self) -> int:
        """Give back the entries taken and not handed to Scrapy (graceful stop): each is added
        again for another worker, and the taken copy ended, in one transaction."""
        if not self.buffer:
            return 0
        entries = list(self.buffer)

        def give_back(client: redis.Redis) -> None:
            pipe = client.pipeline(transaction=True)
            for _entry_id, data in entries:
                pipe.xadd(self.key, {FIELD: data})
            self._end(pipe, [entry_id for entry_id, _ in entries])
            pipe.execute()

        try:
            self.link.call(give_back)
        except RedisDown:
            return 0  # still pending under this worker: taken over after the visibility timeout
        self.buffer.clear()
        return len(entries)

    def _inc(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)


def waiting_requests(client: redis.Redis, stream: str) -> int:
    """Requests in the stream that no worker has taken yet (the group's lag)."""
    try:
        groups = client.xinfo_groups(stream)
    except redis.ResponseError:  # no stream yet
        return 0
    for group in groups:
        if text(group.get("name") or b"") == GROUP:
            lag = group.get("lag")  # unknown after deletions in some cases: count instead
            return int(lag) if lag is not None else max(0, int(client.xlen(stream)) - int(group.get("pending", 0)))
    return 0
