"""Feed validators in a cluster: saved only once every entry the fetch listed is handled.

On one machine the spider keeps a feed's ETag/Last-Modified in memory and saves them at the end
of a crawl with no failure.  In a cluster the entries of one fetch are done by several workers,
so the bookkeeping lives in Redis: the worker that reads the feed stores the keys of the entries
not yet in the database and the validators; each worker that finishes one of those articles
removes its key; whoever removes the last one (and saw no failure) gets the validators to save.
Lost bookkeeping (a Redis restart) only means the feed is downloaded in full next time.
"""

from __future__ import annotations

from typing import Any

import redis

from crawler.cluster.connection import RedisLink, text

KEEP_SECONDS = 7 * 86400
FINISH = """
if ARGV[2] == '1' then redis.call('SET', KEYS[3], 1, 'EX', ARGV[3]) end
if redis.call('SREM', KEYS[1], ARGV[1]) == 0 then return false end
if redis.call('SCARD', KEYS[1]) > 0 then return false end
local failed = redis.call('GET', KEYS[3])
redis.call('DEL', KEYS[3])
local validators = redis.call('HGETALL', KEYS[2])
redis.call('DEL', KEYS[2])
if failed then return false end
return validators
"""


class FeedBook:
    def __init__(self, link: RedisLink) -> None:
        self.link = link
        self._finish: Any = None

    def _keys(self, feed_url: str) -> tuple[str, str, str]:
        return (
            self.link.key("feed", feed_url, "pending"),
            self.link.key("feed", feed_url, "validators"),
            self.link.key("feed", feed_url, "failed"),
        )

    def listed(self, feed_url: str, validators: dict[str, str | None], new_keys: list[str]) -> bool:
        """A fetch of ``feed_url`` listed ``new_keys`` (not in the database); True when there is
        nothing to wait for (save the validators now)."""
        pending, saved, failed = self._keys(feed_url)

        def write(client: redis.Redis) -> None:
            pipe = client.pipeline(transaction=True)
            pipe.delete(pending, saved, failed)
            if new_keys:
                pipe.sadd(pending, *new_keys)
                pipe.hset(saved, mapping={k: v or "" for k, v in validators.items()})
                pipe.expire(pending, KEEP_SECONDS)
                pipe.expire(saved, KEEP_SECONDS)
            pipe.execute()

        self.link.call(write)
        return not new_keys

    def article_done(self, feed_url: str, key: str, failed: bool) -> dict[str, str | None] | None:
        """One listed article is handled; the validators when it was the last one and none failed."""
        if self._finish is None:
            self._finish = self.link.client.register_script(FINISH)
        reply = self.link.call(
            lambda c: self._finish(
                keys=list(self._keys(feed_url)), args=[key, "1" if failed else "0", KEEP_SECONDS], client=c
            )
        )
        if not reply:
            return None
        pairs = [text(v) for v in reply]
        return {pairs[i]: (pairs[i + 1] or None) for i in range(0, len(pairs), 2)}
