"""Feeding the queue: the feed and sitemap requests of the sources, pushed to the stream.

The same requests a single-process crawl starts with (``crawler.components.feed_state.load_plan`` and ``FeedsSpider.fetch_request``: only the
due feeds with ``due``, conditional on the saved validators).  A feed already queued or being
fetched is not queued twice (its fingerprint lives until its fetch is done).  The source locks of
the database keep ``enqueue`` off sources that a single-process crawl is crawling right now.
Redis restarted empty loses nothing: the database still says which feeds are due and which
articles are stored, so the next round rebuilds the work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from crawler.cluster.connection import RedisLink, default_worker_name
from crawler.cluster.frontier import ExpiringDupeFilter
from crawler.cluster.queue import StreamQueue
from crawler.components.feed_state import load_plan
from crawler.sources.config import Source
from spiders.feeds import FeedsSpider
from storage.feed_state import due_source_names
from storage.repository import acquire_source_locks, release_source_locks


@dataclass
class Enqueued:
    queued: int = 0
    already_queued: int = 0
    not_due: list[str] = field(default_factory=list)
    busy: dict[str, str] = field(default_factory=dict)


def enqueue_sources(
    link: RedisLink, engine: Any, sources_file: str, sources: list[Source], due: bool, fingerprint_ttl: int = 86400
) -> Enqueued:
    """Push the feeds of ``sources`` (the due ones with ``due``); raises RedisDown when Redis is away."""
    result = Enqueued()
    now = datetime.now(UTC)
    names = [source.name for source in sources]
    if due:
        due_names = set(due_source_names(engine, names, now))
        result.not_due = [name for name in names if name not in due_names]
        names = [name for name in names if name in due_names]
    holder = f"{default_worker_name()}:enqueue"
    result.busy = acquire_source_locks(engine, names, holder, timedelta(minutes=5))
    names = [name for name in names if name not in result.busy]
    if not names:
        return result
    try:
        spider = FeedsSpider(sources=sources_file)  # its callbacks name the requests' handlers in the queue
        chosen = [source for source in sources if source.name in names]
        plan = load_plan(engine, chosen, now, due)
        queue = StreamQueue(link.client, spider, link.stream, link=link)
        queue.ensure_group()
        seen = ExpiringDupeFilter(link, fingerprint_ttl)
        for request in map(spider.fetch_request, plan.fetches):
            if seen.request_seen(request):
                result.already_queued += 1
                continue
            queue.push(request)
            result.queued += 1
    finally:
        release_source_locks(engine, names, holder)
    return result
