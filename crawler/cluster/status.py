"""``akhbar cluster status``: what the cluster is doing, read from Redis alone."""

from __future__ import annotations

import time
from typing import Any

import redis

from crawler.cluster.connection import GROUP, RedisLink, text
from crawler.cluster.queue import waiting_requests


def cluster_status(link: RedisLink) -> dict[str, Any]:
    """``queued`` (waiting), ``in_flight`` (taken, not done, per worker), ``workers`` (heartbeats),
    ``redis_memory_bytes``."""
    client = link.client
    queued, in_flight = waiting_requests(client, link.stream), {}
    try:
        consumers = client.xinfo_consumers(link.stream, GROUP)
    except redis.ResponseError:  # no stream or no group yet
        consumers = []
    for consumer in consumers:
        if int(consumer.get("pending", 0)):
            in_flight[text(consumer["name"])] = int(consumer["pending"])
    now = time.time()
    workers = []
    for key in client.scan_iter(match=link.key("worker", "*"), count=200):
        record = {text(k): text(v) for k, v in client.hgetall(key).items()}
        if not record:
            continue
        name = text(key)[len(link.key("worker", "")) :]
        last_seen = float(record.get("last_seen", 0))
        workers.append(
            {
                "name": name,
                "host": record.get("host"),
                "pid": int(record.get("pid", 0)),
                "started": float(record.get("started", 0)),
                "last_seen": last_seen,
                "seconds_since_seen": round(now - last_seen, 1),
                "requests_finished": int(record.get("finished", 0)),
                "in_flight": in_flight.get(name, 0),
            }
        )
    alive = {w["name"] for w in workers}
    orphaned = {name: count for name, count in in_flight.items() if name not in alive}
    memory = client.info("memory")
    return {
        "queued": queued,
        "in_flight": in_flight,
        "in_flight_total": sum(in_flight.values()),
        "in_flight_of_gone_workers": orphaned,
        "workers": sorted(workers, key=lambda w: w["name"]),
        "redis_memory_bytes": int(memory.get("used_memory", 0)),
        "stream_length": int(client.xlen(link.stream)),
    }
