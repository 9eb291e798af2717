"""Several machines: workers on a real Redis and a real PostgreSQL (crawler.cluster).

Each test has a Redis key prefix of its own, so tests run in parallel on one Redis; the outage
test runs a private redis-server that it stops and starts again.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
import redis

from crawler.cluster.tracker import HEARTBEAT_SECONDS
from tests.cluster_helpers import (
    REDIS_URL,
    assert_stored_once,
    enqueue,
    start_worker,
    status,
    stop,
    stored_urls,
    wait_until,
)
from tests.conftest import run_akhbar
from tests.localserver import Route, free_port
from tests.world import build_world, quote_path


@pytest.fixture
def prefix():
    name = f"akhbar-test-{uuid.uuid4().hex[:10]}"
    yield name
    client = redis.Redis.from_url(REDIS_URL)
    try:
        keys = list(client.scan_iter(match=f"{name}:*", count=500))
        if keys:
            client.delete(*keys)
    except redis.ConnectionError:
        pass
    client.close()


@pytest.fixture(autouse=True)
def redis_up():
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError as exc:  # the suite promises Redis coverage: fail, do not skip
        pytest.fail(f"Redis test server unavailable at {REDIS_URL}: {exc}")


def slow_world(server, tmp_path: Path, per_source: int, delay: float):
    world = build_world(server, per_source=per_source)
    for article in world.all_articles():
        server.routes[quote_path(article.path)].delay = delay
    sources = tmp_path / "sources.yaml"
    sources.write_text(world.sources_yaml, encoding="utf-8")
    return world, sources


def article_paths(world) -> list[str]:
    return [quote_path(a.path) for a in world.all_articles()]


def test_three_workers_store_every_article_once(server, tmp_path, pg_url, prefix):
    world, sources = slow_world(server, tmp_path, per_source=6, delay=0.5)
    forbidden = article_paths(world)[5]
    server.add(
        "/robots.txt", Route(f"User-agent: *\nDisallow: {forbidden}\n".encode(), headers={"Content-Type": "text/plain"})
    )
    total = len(world.all_articles()) - 1  # the one robots.txt forbids is never fetched
    # One host serves everything here: a worker allowed few requests at once leaves work to the others.
    workers = [
        start_worker(
            f"w{i}",
            REDIS_URL,
            prefix,
            pg_url,
            sources,
            tmp_path / f"w{i}.log",
            "-s",
            "CONCURRENT_REQUESTS=2",
            "-s",
            "AKHBAR_CLUSTER_PREFETCH=1",
        )
        for i in range(3)
    ]
    try:
        wait_until(lambda: len(status(REDIS_URL, prefix)["workers"]) == 3, 60, "three workers' heartbeats")
        result = enqueue(REDIS_URL, prefix, pg_url, sources)
        assert result.returncode == 0, result.stderr
        assert "queued 4 feed(s)" in result.stderr  # (not queued twice: test_cluster_parts)
        wait_until(lambda: len(stored_urls(pg_url)) >= total, 120, f"{total} articles stored")
        wait_until(lambda: status(REDIS_URL, prefix)["in_flight_total"] == 0, 30, "nothing in flight")
        report = status(REDIS_URL, prefix)
        assert {w["name"] for w in report["workers"]} == {"w0", "w1", "w2"}
        assert report["queued"] == 0
    finally:
        codes = [stop(w) for w in workers]
    assert codes == [0, 0, 0], [(tmp_path / f"w{i}.log").read_text()[-2000:] for i in range(3)]
    assert_stored_once(pg_url, total)
    rows = stored_urls(pg_url)
    by_worker = Counter(worker for _, worker in rows)
    assert set(by_worker) == {"w0", "w1", "w2"}, by_worker  # the work was shared
    assert [server.count(path) for path in article_paths(world)].count(1) == total  # each fetched once
    assert server.count(forbidden) == 0 and server.count("/robots.txt") == 3  # every worker honours it
    runs = run_akhbar("runs", "--db", pg_url, "--json")
    assert '"worker": "w0"' in runs.stdout
    # The feeds' validators (here the body hash) were saved once every listed article was stored,
    # by whichever worker finished the last one.
    from sqlalchemy import create_engine, text

    engine = create_engine(pg_url)
    with engine.connect() as conn:
        hashes = [row[0] for row in conn.execute(text("SELECT body_hash FROM feeds"))]
    engine.dispose()
    assert len(hashes) == 4 and all(hashes)


def test_sigkill_a_worker_holding_requests(server, tmp_path, pg_url, prefix):
    world, sources = slow_world(server, tmp_path, per_source=5, delay=1.0)
    total = len(world.all_articles())
    victim = start_worker(
        "victim", REDIS_URL, prefix, pg_url, sources, tmp_path / "victim.log", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8"
    )
    others: list[subprocess.Popen[bytes]] = []
    try:
        assert enqueue(REDIS_URL, prefix, pg_url, sources).returncode == 0
        wait_until(
            lambda: status(REDIS_URL, prefix)["in_flight"].get("victim", 0) >= 3,
            60,
            "the victim to hold at least 3 requests",
        )
        stop(victim, signal.SIGKILL)
        others = [
            start_worker(
                f"w{i}",
                REDIS_URL,
                prefix,
                pg_url,
                sources,
                tmp_path / f"w{i}.log",
                "-s",
                "CONCURRENT_REQUESTS_PER_DOMAIN=8",
            )
            for i in range(2)
        ]
        wait_until(lambda: len(stored_urls(pg_url)) >= total, 150, f"{total} articles stored")
        wait_until(lambda: status(REDIS_URL, prefix)["in_flight_total"] == 0, 30, "nothing in flight")
    finally:
        stop(victim, signal.SIGKILL)
        codes = [stop(process) for process in others]
    assert codes == [0, 0]
    assert_stored_once(pg_url, total)
    assert max(server.count(path) for path in article_paths(world)) <= 2  # fetched again at most once


def test_sigterm_drains_a_worker(server, tmp_path, pg_url, prefix):
    world, sources = slow_world(server, tmp_path, per_source=5, delay=0.5)
    total = len(world.all_articles())
    first = start_worker("first", REDIS_URL, prefix, pg_url, sources, tmp_path / "first.log")
    try:
        assert enqueue(REDIS_URL, prefix, pg_url, sources).returncode == 0
        wait_until(lambda: len(stored_urls(pg_url)) >= 2, 60, "the first articles")
    except BaseException:
        stop(first, signal.SIGKILL)
        raise
    started = time.monotonic()
    assert stop(first, signal.SIGTERM) == 0
    assert time.monotonic() - started < 30
    log = (tmp_path / "first.log").read_text()
    assert "stopped (shutdown)" in log and "Traceback" not in log
    report = status(REDIS_URL, prefix)
    assert report["in_flight"].get("first", 0) == 0  # finished or given back, nothing left held
    assert "first" not in {w["name"] for w in report["workers"]}
    second = start_worker("second", REDIS_URL, prefix, pg_url, sources, tmp_path / "second.log")
    try:
        wait_until(lambda: len(stored_urls(pg_url)) >= total, 120, f"{total} articles stored")
    finally:
        assert stop(second) == 0
    assert_stored_once(pg_url, total)


def test_per_host_concurrency_holds_for_the_cluster(server, tmp_path, pg_url, prefix):
    world, sources = slow_world(server, tmp_path, per_source=5, delay=0.3)
    total = len(world.all_articles())
    # Each worker alone would allow 2 at once; three of them must still allow only 2 together.
    workers = [
        start_worker(
            f"p{i}",
            REDIS_URL,
            prefix,
            pg_url,
            sources,
            tmp_path / f"p{i}.log",
            "-s",
            "CONCURRENT_REQUESTS_PER_DOMAIN=2",
            "-s",
            "CONCURRENT_REQUESTS=8",
        )
        for i in range(3)
    ]
    try:
        assert enqueue(REDIS_URL, prefix, pg_url, sources).returncode == 0
        wait_until(lambda: len(stored_urls(pg_url)) >= total, 150, f"{total} articles stored")
    finally:
        for process in workers:
            stop(process)
    assert server.max_active == 2  # never more than the limit, and the limit was used


REDIS_PASSWORD = "s3cret-pw"


def start_redis(port: int, folder: Path) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(folder),
            "--requirepass",
            REDIS_PASSWORD,
        ],
        stdout=subprocess.DEVNULL,
    )
    wait_until(lambda: _pings(port), 10, "redis-server to start")
    return process


def _pings(port: int) -> bool:
    try:
        return bool(redis.Redis(port=port, password=REDIS_PASSWORD).ping())
    except redis.ConnectionError:
        return False


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs the redis-server program")
def test_redis_goes_away_mid_crawl_and_comes_back_empty(server, tmp_path, pg_url):
    world, sources = slow_world(server, tmp_path, per_source=6, delay=0.4)
    total = len(world.all_articles())
    port = free_port()
    url = f"redis://:{REDIS_PASSWORD}@127.0.0.1:{port}/0"
    redis_server = start_redis(port, tmp_path)
    workers = [start_worker(f"r{i}", url, "akhbar", pg_url, sources, tmp_path / f"r{i}.log") for i in range(2)]
    try:
        assert enqueue(url, "akhbar", pg_url, sources).returncode == 0
        wait_until(lambda: len(stored_urls(pg_url)) >= 3, 60, "the first articles")
        redis_server.kill()  # no persistence: it comes back empty
        redis_server.wait()
        outage_started = time.monotonic()
        before = len(stored_urls(pg_url))
        # Pages downloaded before the outage are still stored while Redis is away.
        wait_until(lambda: len(stored_urls(pg_url)) > before, 20, "an article stored during the outage")
        # Long enough for an idle worker to notice too (its heartbeat calls Redis every few seconds).
        time.sleep(max(0.0, HEARTBEAT_SECONDS + 1 - (time.monotonic() - outage_started)))
        assert all(w.poll() is None for w in workers)  # the workers wait; they do not crash
        redis_server = start_redis(port, tmp_path)
        # The database is the source of truth: the next round queues the work again.
        assert enqueue(url, "akhbar", pg_url, sources).returncode == 0
        wait_until(lambda: len(stored_urls(pg_url)) >= total, 150, f"{total} articles stored")
    finally:
        codes = [stop(w) for w in workers]
        redis_server.kill()
    logs = [(tmp_path / f"r{i}.log").read_text() for i in range(2)]
    assert codes == [0, 0], [log[-2000:] for log in logs]
    for log in logs:
        assert log.count("unreachable") == 1, log[-3000:]  # logged once per outage
        assert f"redis://:***@127.0.0.1:{port}/0 unreachable" in log
        assert "Traceback" not in log and REDIS_PASSWORD not in log  # masked in every line
    assert_stored_once(pg_url, total)
