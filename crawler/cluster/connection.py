"""One Redis connection per worker, its key names, and what happens when Redis goes away.

Every Redis call of the cluster components goes through :meth:`RedisLink.call`: while Redis is
unreachable the call is not attempted again before a back-off delay (0.5 s doubling to 30 s), the
outage is logged once when it starts and once when it ends, and the caller gets
:class:`RedisDown` to keep what it holds for later.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable
from typing import Any, TypeVar

import redis

from crawler.logmask import mask_passwords

logger = logging.getLogger("akhbar.cluster")
T = TypeVar("T")
REDIS_ERRORS = (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError, OSError)
GROUP = "workers"


class RedisDown(Exception):
    """Redis is unreachable now; try again later."""


class RedisUnavailable(Exception):
    """Redis is unreachable at start (the CLI turns it into one line and exit 3)."""


def default_worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class RedisLink:
    def __init__(
        self,
        url: str,
        prefix: str = "akhbar",
        worker: str | None = None,
        max_backoff: float = 30.0,
        client: redis.Redis | None = None,
    ) -> None:
        self.url = url
        self.prefix = prefix
        self.worker = worker or default_worker_name()
        self.client = client or redis.Redis.from_url(
            url, socket_timeout=10, socket_connect_timeout=5, health_check_interval=30
        )
        self.max_backoff = max_backoff
        self.down_since: float | None = None
        self.retry_at = 0.0
        self.backoff = 0.5
        self.calls = 0  # round trips (a pipeline or a script is one), reported in the heartbeat
        self.queue: Any = None  # the worker's StreamQueue, once its scheduler has opened it

    # --- key names ------------------------------------------------------------------------------
    def key(self, *parts: str) -> str:
        return ":".join((self.prefix, *parts))

    @property
    def stream(self) -> str:
        return self.key("requests")

    # --- calls ----------------------------------------------------------------------------------
    def check(self) -> None:
        """Raise :class:`RedisUnavailable` with one line when Redis does not answer."""
        try:
            self.client.ping()
        except (*REDIS_ERRORS, redis.RedisError) as exc:  # also a wrong password or database number
            raise RedisUnavailable(f"Redis {mask_passwords(self.url)}: {describe(exc)}") from None

    def call(self, operation: Callable[[redis.Redis], T]) -> T:
        """Run ``operation(client)``; :class:`RedisDown` while Redis is away (logged once)."""
        if self.down_since is not None and time.monotonic() < self.retry_at:
            raise RedisDown()
        try:
            self.calls += 1
            result = operation(self.client)
        except REDIS_ERRORS as exc:
            now = time.monotonic()
            if self.down_since is None:
                self.down_since = now
                logger.error(
                    "Redis %s unreachable (%s): keeping work in memory, retrying with back-off",
                    mask_passwords(self.url),
                    describe(exc),
                )
            else:
                self.backoff = min(self.backoff * 2, self.max_backoff)
            self.retry_at = now + self.backoff
            raise RedisDown() from None
        if self.down_since is not None:
            logger.warning(
                "Redis %s is back after %.0f s", mask_passwords(self.url), time.monotonic() - self.down_since
            )
            self.down_since, self.backoff = None, 0.5
        return result

    def close(self) -> None:
        try:
            self.client.close()
        except Exception:
            pass


def text(value: bytes | str) -> str:
    """A Redis reply as text (the client returns bytes: queued requests are bytes)."""
    return value.decode() if isinstance(value, bytes) else value


def describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return mask_passwords(text)


def from_settings(settings: Any) -> RedisLink:
    """The worker's link, from ``AKHBAR_REDIS_URL``, ``AKHBAR_REDIS_PREFIX`` and ``AKHBAR_WORKER_NAME``."""
    return RedisLink(
        settings.get("AKHBAR_REDIS_URL"),
        settings.get("AKHBAR_REDIS_PREFIX") or "akhbar",
        settings.get("AKHBAR_WORKER_NAME") or None,
    )


def link_of(crawler: Any) -> RedisLink:
    """The crawler's one link, shared by the scheduler, the middlewares and the tracker."""
    link = getattr(crawler, "_akhbar_redis_link", None)
    if link is None:
        link = from_settings(crawler.settings)
        crawler._akhbar_redis_link = link
    return link
