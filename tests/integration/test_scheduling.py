"""Scheduling and feed state: conditional GET, backoff, cron one-shots with a shared lock, the
scheduler daemon under SIGTERM, and the health report."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from crawler.cli import main
from crawler.sources import polling
from storage.db import make_engine
from storage.models import CrawlRun, Feed, FeedEvent, Source
from tests.conftest import FAST_CRAWL, REPO, child_env, run_akhbar
from tests.localserver import Route
from tests.world import build_world

NOW = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)


def test_polling_adapts_and_backs_off():
    busy = polling.after_success(NOW, 900, None, entries=20, new_entries=15)
    assert busy.interval_seconds == 450
    quiet = polling.after_success(NOW, 900, 900, entries=20, new_entries=0)
    assert quiet.interval_seconds == 1350
    assert polling.after_success(NOW, 900, 100, entries=20, new_entries=20).interval_seconds == 225  # floor base/4
    assert polling.after_success(NOW, 900, 7000, entries=5, new_entries=0).interval_seconds == 7200  # cap base*8
    assert polling.after_success(NOW, 900, 900, 10, 9, hint=3600).interval_seconds == 3600  # feed's ttl hint
    soft = polling.after_failure(NOW, 900, 900, 0, "HTTP 503")
    hard = polling.after_failure(NOW, 900, 900, 0, "DNS error")
    assert soft.next_fetch_at - NOW == timedelta(seconds=1800) and hard.next_fetch_at - NOW == timedelta(seconds=3600)
    worse = polling.after_failure(NOW, 900, 900, 10, "HTTP 500")
    assert worse.next_fetch_at - NOW == timedelta(days=1)  # capped, never given up
    assert polling.after_failure(NOW, 900, 900, 0, "HTTP 429", retry_after=7200).next_fetch_at - NOW == timedelta(
        hours=2
    )
    assert polling.retry_after_seconds("120", NOW) == 120
    assert polling.retry_after_seconds("Wed, 01 Jan 2025 13:00:00 GMT", NOW) == 3600
    assert polling.hint_seconds(30) == 1800 and polling.hint_seconds(None, "hourly", 2) == 1800


def test_conditional_get_and_unchanged_body(world, server, sqlite_url, tmp_path):
    server.routes["/nile-news/feed"].etag = '"v1"'
    sources = tmp_path / "sources.yaml"
    for _ in range(3):
        assert run_akhbar("crawl", "--sources", str(sources), "--db", sqlite_url, *FAST_CRAWL).returncode == 0
    nile = [r for r in server.requests if r.path == "/nile-news/feed"]
    assert "If-None-Match" not in nile[0].headers and nile[1].headers.get("If-None-Match") == '"v1"'
    engine = make_engine(sqlite_url)
    with Session(engine) as session:
        feeds = {f.url.rsplit("/", 2)[-2]: f for f in session.scalars(select(Feed))}
        events = session.scalars(select(FeedEvent).where(FeedEvent.feed_id == feeds["nile-news"].id)).all()
    engine.dispose()
    assert [e.status for e in events] == ["ok", "not modified", "not modified"]
    assert feeds["nile-news"].etag == '"v1"' and feeds["cairo-portal"].status == "not modified"  # same body hash
    article_paths = [p for p in server.paths_requested() if "/2024/" in p]
    assert len(article_paths) == len(set(article_paths)) == 12


def test_due_twice_at_once_crawls_each_source_once(world, server, sqlite_url, tmp_path):
    command = [
        sys.executable,
        "-m",
        "crawler.cli",
        "crawl",
        "--due",
        "--sources",
        str(tmp_path / "sources.yaml"),
        "--db",
        sqlite_url,
        *FAST_CRAWL,
    ]
    first = subprocess.Popen(
        command, cwd=REPO, env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    time.sleep(0.3)
    second = subprocess.Popen(
        command, cwd=REPO, env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    outputs = [p.communicate(timeout=120) for p in (first, second)]
    assert first.returncode == 0 and second.returncode == 0, outputs
    engine = make_engine(sqlite_url)
    with Session(engine) as session:
        runs = session.execute(select(Source.name, CrawlRun.id).join(CrawlRun, CrawlRun.source_id == Source.id)).all()
    engine.dispose()
    assert sorted(name for name, _ in runs) == sorted(world.articles)  # one run per source in all
    assert all(server.count(f"/{name}/feed") == 1 for name in world.articles)
    again = run_akhbar("crawl", "--due", "--sources", str(tmp_path / "sources.yaml"), "--db", sqlite_url, *FAST_CRAWL)
    assert again.returncode == 0 and "no source is due" in again.stderr


def test_scheduler_daemon(server, sqlite_url, tmp_path):
    world = build_world(server, per_source=2)
    server.add("/broken/feed", Route(b"down", status=500))
    for name in world.articles:
        server.routes[f"/{name}/feed"].etag = f'"{name}-1"'
    yaml = world.sources_yaml.replace("    timezone:", "    interval: 4s\n    timezone:")
    yaml += f'  - name: broken\n    feeds: ["{server.url("/broken/feed")}"]\n    interval: 4s\n'
    (tmp_path / "s.yaml").write_text(yaml, encoding="utf-8")
    daemon = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "crawler.cli",
            "schedule",
            "--sources",
            str(tmp_path / "s.yaml"),
            "--db",
            sqlite_url,
            "--grace",
            "5",
            *[a for s in ("DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False", "RETRY_TIMES=0") for a in ("-s", s)],
        ],
        cwd=REPO,
        env=child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # Polled repeatedly: wait for it rather than for a fixed time, so a loaded machine (the
    # suite runs on 2 cores beside other crawls) slows the test down instead of failing it.
    deadline = time.monotonic() + 120
    time.sleep(20)
    while time.monotonic() < deadline and min(server.count(f"/{name}/feed") for name in world.articles) < 3:
        time.sleep(1)
    stopped_at = time.monotonic()
    daemon.send_signal(signal.SIGTERM)
    _, log = daemon.communicate(timeout=30)
    assert daemon.returncode == 0, log[-3000:]
    assert time.monotonic() - stopped_at < 5 + 12
    engine = make_engine(sqlite_url)
    with Session(engine) as session:
        runs = session.execute(
            select(Source.name, CrawlRun).join(CrawlRun, CrawlRun.source_id == Source.id).order_by(CrawlRun.started_at)
        ).all()
    engine.dispose()
    assert all(run.status != "running" for _, run in runs), "every run recorded"
    by_source: dict[str, list] = {}
    for name, run in runs:
        by_source.setdefault(name, []).append(run)
    for name, source_runs in by_source.items():
        for before, after in zip(source_runs, source_runs[1:]):  # never two crawls of a source at once
            assert before.finished_at <= after.started_at, name
    healthy = [server.count(f"/{name}/feed") for name in world.articles]
    assert min(healthy) >= 3, healthy  # polled repeatedly...
    not_modified = sum(1 for r in server.requests if r.path.endswith("/feed") and r.headers.get("If-None-Match"))
    assert not_modified >= 4  # ...with If-None-Match, answered 304
    assert server.count("/broken/feed") <= max(healthy)  # the failing feed backs off...
    engine = make_engine(sqlite_url)
    with Session(engine) as session:
        broken_weight = session.scalar(select(Feed.failure_weight).where(Feed.url.like("%/broken/feed")))
    engine.dispose()
    assert broken_weight >= 2 * min(1, server.count("/broken/feed") - 1)  # ...its failures add up
    article_paths = [p for p in server.paths_requested() if "/2024/" in p]
    assert len(article_paths) == len(set(article_paths)) == 8  # no article page twice

    stats = CliRunner().invoke(main, ["stats", "--db", sqlite_url, "--json"])
    report = {row["source"]: row for row in json.loads(stats.output)["sources"]}
    assert report["broken"]["last_error"]["reason"] == "HTTP 500" and report["broken"]["last_success"] is None
    assert report["nile-news"]["articles_24h"] == 2 and report["nile-news"]["last_error"] is None
    assert report["nile-news"]["next_poll"] is not None and "not modified" in report["nile-news"]["feeds"]
    table = CliRunner().invoke(main, ["stats", "--db", sqlite_url])
    assert table.exit_code == 0 and "broken" in table.output and "HTTP 500" in table.output
    recent = CliRunner().invoke(main, ["runs", "--db", sqlite_url, "--json", "--limit", "5"])
    assert len(json.loads(recent.output)["runs"]) == 5


def titles_extracted(pool, pages, before=None) -> list:
    """The titles ``pool`` extracts from the world's ``pages`` (all at once), after ``before()``."""
    import asyncio

    from tests.world import render

    async def run() -> list:
        if before is not None:
            await before()
        return await asyncio.gather(
            *(
                pool.extract(url=f"https://e.com/{i}", body=render(a).encode(), fetched_at=NOW)
                for i, a in enumerate(pages)
            )
        )

    try:
        return [extraction.article.title for extraction in asyncio.run(run())]
    finally:
        pool.close()


def test_extraction_pool_recycles_workers():
    from crawler.extraction_pool import ExtractionPool
    from tests.localserver import LocalServer
    from tests.world import build_world

    with LocalServer() as server:
        pages = build_world(server, per_source=2).all_articles()
    pool = ExtractionPool(workers=2, recycle_after=2)
    assert titles_extracted(pool, pages) == [a.title for a in pages]
    assert pool.pools_started == 2  # 8 pages, 2 per worker × 2 workers: one recycle


def test_extraction_pool_starts_its_workers_before_the_first_page():
    """start_workers brings every worker up in the background (the first page does not wait
    for the forkserver); a pool nobody asks to start has no process."""
    from crawler.extraction_pool import ExtractionPool

    idle, started = ExtractionPool(workers=2), ExtractionPool(workers=2)
    try:
        started.start_workers()
        started.start_workers()  # once
        deadline = time.monotonic() + 30
        while len(getattr(started.executor, "_processes", None) or {}) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(started.executor._processes) == 2  # type: ignore[union-attr]
        assert not getattr(idle.executor, "_processes", None)
    finally:
        idle.close()
        started.close()


def test_a_dead_extraction_worker_is_replaced_and_its_page_extracted():
    """A worker killed (out of memory, a signal) breaks its pool: a new pool takes over, and the
    pages the dead one held are extracted there."""
    import asyncio
    import os

    from crawler.extraction_pool import ExtractionPool
    from tests.world import TEMPLATES, make_articles

    pages = [a for t in TEMPLATES for a in make_articles("موقع", t, "Africa/Cairo", "k", 0, 2, NOW)]
    pool = ExtractionPool(workers=2)

    async def kill_a_worker() -> None:
        pool.start_workers()
        pids = await asyncio.gather(*(asyncio.wrap_future(pool.executor.submit(os.getpid)) for _ in range(4)))
        os.kill(pids[0], signal.SIGKILL)

    assert titles_extracted(pool, pages, kill_a_worker) == [a.title for a in pages]
    assert pool.replaced == 1 and pool.pools_started == 2


def test_scheduler_kills_a_crawl_past_its_time_limit(server, sqlite_url, tmp_path):
    server.add("/slow/feed", Route(b"<rss/>", delay=25, headers={"Content-Type": "application/rss+xml"}))
    (tmp_path / "s.yaml").write_text(
        f'sources:\n  - name: slow\n    feeds: ["{server.url("/slow/feed")}"]\n    interval: 10m\n', encoding="utf-8"
    )
    daemon = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "crawler.cli",
            "schedule",
            "--sources",
            str(tmp_path / "s.yaml"),
            "--db",
            sqlite_url,
            "--time-limit",
            "4",
            "--grace",
            "2",
            "-s",
            "DOWNLOAD_TIMEOUT=60",
            "-s",
            "RETRY_TIMES=0",
        ],
        cwd=REPO,
        env=child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(9)
    daemon.send_signal(signal.SIGTERM)
    _, log = daemon.communicate(timeout=30)
    assert daemon.returncode == 0, log[-3000:]
    assert "ran past 4.0s: killed" in log
    engine = make_engine(sqlite_url)
    with Session(engine) as session:
        runs = session.scalars(select(CrawlRun)).all()
    engine.dispose()
    assert [(r.status, r.finish_reason) for r in runs] == [("killed", "time limit")]


def test_in_crawl_url_keys_are_bounded(stats):
    from crawler.components.feed_state import FeedStateKeeper

    keeper = FeedStateKeeper(engine=None, stats=stats, scheduled_max=3)
    assert [keeper.first_time(k) for k in ("a", "b", "a", "c", "d")] == [True, True, False, True, True]
    assert list(keeper.scheduled) == ["a", "c", "d"]  # "b", least recently seen, made room
