"""Crash safety and concurrent writers on a real SQLite file: a crawl killed with SIGKILL at
random moments and run again loses nothing and duplicates nothing; two crawls at once store
each article once without "database is locked"."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from crawler.text.urls import url_key
from storage.db import make_engine
from storage.models import Article, CrawlRun
from tests.conftest import FAST_CRAWL, REPO, child_env, run_akhbar
from tests.localserver import Route
from tests.world import PARAGRAPHS, build_world, light_edit, make_articles, quote_path, render, rss
from tests.world import Article as WorldArticle


def slow_world(server, per_source: int, delay: float):
    world = build_world(server, per_source=per_source)
    for article in world.all_articles():
        route = server.routes[quote_path(article.path)]
        route.delay = delay
    return world


def crawl_process(sources: str, db_url: str, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "crawl", "--sources", sources, "--db", db_url, *FAST_CRAWL, *extra],
        cwd=REPO,
        env=child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def integrity(db_url: str) -> dict[str, int]:
    engine = make_engine(db_url)
    with Session(engine) as session:
        counts = {
            "articles": session.scalar(select(func.count(Article.id))),
            "distinct_keys": session.scalar(select(func.count(func.distinct(Article.url_key)))),
            "orphan_aliases": session.scalar(
                text(
                    "SELECT count(*) FROM article_urls u LEFT JOIN articles a ON a.id = u.article_id WHERE a.id IS NULL"
                )
            ),
            "orphan_buckets": session.scalar(
                text(
                    "SELECT count(*) FROM lsh_buckets b LEFT JOIN articles a ON a.id = b.article_id WHERE a.id IS NULL"
                )
            ),
            "articles_without_alias": session.scalar(
                text(
                    "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM article_urls u WHERE u.article_id = a.id)"
                )
            ),
            "running": session.scalar(select(func.count(CrawlRun.id)).where(CrawlRun.status == "running")),
            "interrupted": session.scalar(select(func.count(CrawlRun.id)).where(CrawlRun.status == "interrupted")),
        }
    engine.dispose()
    return counts


def test_sigkill_at_random_moments_then_rerun(server, sqlite_url, tmp_path):
    world = slow_world(server, per_source=8, delay=0.15)
    sources = tmp_path / "sources.yaml"
    sources.write_text(world.sources_yaml, encoding="utf-8")
    rng = random.Random(11)
    kills = 0
    for _ in range(3):
        requests_before = len(server.requests)
        process = crawl_process(str(sources), sqlite_url)
        # Kill at a random moment after the crawl has started (its runs are recorded before its
        # first request), however long the process takes to start on a loaded machine.
        deadline = time.monotonic() + 60
        while len(server.requests) == requests_before and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(rng.uniform(0.2, 1.2))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.wait(timeout=30)
    assert kills >= 1
    final = run_akhbar("crawl", "--sources", str(sources), "--db", sqlite_url, *FAST_CRAWL, timeout=180)
    assert final.returncode == 0, final.stderr[-3000:]
    counts = integrity(sqlite_url)
    assert counts["articles"] == counts["distinct_keys"] == len(world.all_articles())
    assert counts["orphan_aliases"] == counts["orphan_buckets"] == counts["articles_without_alias"] == 0
    assert counts["running"] == 0 and counts["interrupted"] >= 4  # the killed runs, marked by the next


def test_two_crawls_at_once(server, db_url, tmp_path):
    sqlite_url = db_url  # one SQLite file, or one PostgreSQL schema
    world = slow_world(server, per_source=6, delay=0.02)
    everything = tmp_path / "all.yaml"
    everything.write_text(world.sources_yaml, encoding="utf-8")
    processes = [crawl_process(str(everything), sqlite_url) for _ in range(2)]
    outputs = [p.communicate(timeout=180) for p in processes]
    for process, (_, stderr) in zip(processes, outputs):
        assert process.returncode == 0, stderr[-3000:]
        assert "database is locked" not in stderr
    counts = integrity(sqlite_url)
    assert counts["articles"] == counts["distinct_keys"] == len(world.all_articles())
    assert counts["orphan_aliases"] == 0
    # The source locks shared the work: no article page was downloaded by both crawls.
    assert all(server.count(quote_path(a.path)) == 1 for a in world.all_articles())


def test_two_crawls_store_the_same_stories_at_once_and_link_them(server, db_url, tmp_path):
    """Two crawls of two outlets at the same moment, the second re-posting the first's stories:
    each story is stored once per outlet and every re-post is linked to its original, whichever
    crawl committed first (no lock keeps these crawls apart: they share no source)."""
    stories = 24
    base = server.url("")
    t0 = datetime(2024, 11, 5, 9, 30, tzinfo=UTC)
    wire = make_articles("وكالة الأنباء", "wordpress", "Africa/Cairo", "wire", 0, stories, t0)
    echo = []
    for i, original in enumerate(wire):
        original.paragraphs = [PARAGRAPHS[(3 * i + k) % len(PARAGRAPHS)] for k in range(3)] + original.paragraphs[1:]
        echo.append(
            WorldArticle(
                path=f"/echo/2024/{i}",
                title=original.title,
                paragraphs=light_edit("\n\n".join(original.paragraphs)).split("\n\n"),
                published=original.published,
                author=None,
                template="levant",
                site_name="صدى المدن",
                tz="Asia/Amman",
            )
        )
    html = {"Content-Type": "text/html; charset=utf-8"}
    for article in wire + echo:  # the same pace on both sides, so that the writes meet
        server.add(quote_path(article.path), Route(render(article).encode(), headers=html, delay=0.05))
    both_asked = threading.Barrier(2, timeout=60)  # each feed is answered once both are asked for

    def feed_after_both(body: bytes):
        def answer(handler) -> None:
            both_asked.wait()
            handler._send(200, {"Content-Type": "application/rss+xml"}, body)

        return Route(b"", raw=answer)

    server.add("/wire/feed", feed_after_both(rss(wire, base, "wire").encode()))
    server.add("/echo/feed", feed_after_both(rss(echo, base, "echo").encode()))
    runs = []
    for name in ("wire", "echo"):
        sources = tmp_path / f"{name}.yaml"
        sources.write_text(f'sources:\n  - name: {name}\n    feeds: ["{base}/{name}/feed"]\n', encoding="utf-8")
        runs.append(crawl_process(str(sources), db_url, "-s", "AKHBAR_STORE_BATCH_SIZE=1"))
    for process in runs:
        _, stderr = process.communicate(timeout=180)
        assert process.returncode == 0, stderr[-3000:]
    engine = make_engine(db_url)
    with Session(engine) as session:
        rows = {row.url_key: row for row in session.scalars(select(Article))}
        spans = session.execute(select(CrawlRun.started_at, CrawlRun.finished_at)).all()
    engine.dispose()
    assert len(spans) == 2 and max(start for start, _ in spans) < min(end for _, end in spans)  # at once
    assert len(rows) == 2 * stories
    unlinked = []
    for original, copy in zip(wire, echo):
        a, b = rows[url_key(base + original.path)], rows[url_key(base + copy.path)]
        if not (a.duplicate_of == b.id and b.duplicate_of is None) and not (
            b.duplicate_of == a.id and a.duplicate_of is None
        ):
            unlinked.append((original.path, a.duplicate_of, b.duplicate_of))
    assert unlinked == [], unlinked


def test_database_lost_mid_crawl_fails_loudly_with_a_count(server, pg_url, tmp_path):
    """PostgreSQL goes away for the crawl's role half-way: writes are retried, then the crawl
    stops with exit 1 and says how many articles were not stored; a later crawl stores them."""
    import uuid

    from sqlalchemy import create_engine

    from tests.conftest import PG_URL

    world = slow_world(server, per_source=25, delay=0.2)  # ~10 s of crawling: time to cut it
    sources = tmp_path / "sources.yaml"
    sources.write_text(world.sources_yaml, encoding="utf-8")
    role = f"akhbar_lost_{uuid.uuid4().hex[:8]}"
    schema = pg_url.rsplit("%3D", 1)[1]
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE ROLE "{role}" LOGIN'))
        conn.execute(text(f'GRANT ALL ON SCHEMA "{schema}" TO "{role}"'))
    crawl_url = pg_url.replace("postgres@", f"{role}@")
    try:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "crawler.cli",
                "crawl",
                "--sources",
                str(sources),
                "--db",
                crawl_url,
                *FAST_CRAWL,
                "-s",
                "AKHBAR_DB_RETRIES=2",
                "-s",
                "AKHBAR_DB_RETRY_DELAY=0.2",
            ],
            cwd=REPO,
            env=child_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.time() + 30
        while time.time() < deadline:  # wait until some articles are stored
            with admin.connect() as conn:
                stored = (
                    conn.execute(text(f'SELECT count(*) FROM "{schema}".articles')).scalar()
                    if conn.execute(text("SELECT to_regclass(:t)"), {"t": f"{schema}.articles"}).scalar()
                    else 0
                )
            if stored >= 3:
                break
            time.sleep(0.1)
        with admin.connect() as conn:
            conn.execute(text(f'ALTER ROLE "{role}" NOLOGIN'))
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = :r"), {"r": role})
        _, stderr = process.communicate(timeout=120)
        assert process.returncode == 1, stderr[-3000:]
        assert "could not be stored: database unavailable" in stderr
        assert "NOT STORED after retries" in stderr
        with admin.connect() as conn:
            conn.execute(text(f'ALTER ROLE "{role}" LOGIN'))
        again = run_akhbar("crawl", "--sources", str(sources), "--db", crawl_url, *FAST_CRAWL)
        assert again.returncode == 0, again.stderr[-3000:]
        with admin.connect() as conn:
            total = conn.execute(text(f'SELECT count(DISTINCT url_key) FROM "{schema}".articles')).scalar()
        assert total == len(world.all_articles())
    finally:
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = :r"), {"r": role})
            conn.execute(text(f'DROP OWNED BY "{role}" CASCADE'))
            conn.execute(text(f'DROP ROLE "{role}"'))
        admin.dispose()


def articles_stored(db_url: str) -> int:
    """Articles stored so far (0 while the crawl has not made its database yet)."""
    from sqlalchemy.exc import OperationalError

    try:
        return integrity(db_url)["articles"]
    except OperationalError:
        return 0


def test_a_process_writer_crawl_stopped_by_a_signal_to_its_group_loses_nothing(server, sqlite_url, tmp_path):
    """SIGTERM reaches every process of the group: the extraction workers, the writer process and
    the forkserver they came from die with it.  The pages in hand are extracted by a new pool and
    their batch is written in the crawl process, each said in one line; a rerun stores the rest
    exactly once."""
    world = slow_world(server, per_source=8, delay=0.5)
    sources = tmp_path / "sources.yaml"
    sources.write_text(world.sources_yaml, encoding="utf-8")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "crawler.cli",
            "crawl",
            "--sources",
            str(sources),
            "--db",
            sqlite_url,
            *FAST_CRAWL,
            "-s",
            "AKHBAR_STORE_WRITER=process",
            "-s",
            "CONCURRENT_REQUESTS=2",
            "-s",
            "AKHBAR_STORE_BATCH_SIZE=1",
            "--log-level",
            "INFO",
        ],
        cwd=REPO,
        env=child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while articles_stored(sqlite_url) < 2 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is None  # a first batch written by the writer process, pages in hand
    os.killpg(process.pid, signal.SIGTERM)
    _, log = process.communicate(timeout=60)
    assert "Traceback" not in log and "ERROR" not in log, log[-3000:]
    assert "an extraction worker died" in log, log[-3000:]
    assert "the batches left are written in the crawl process" in log, log[-3000:]
    counts = integrity(sqlite_url)
    assert 3 <= counts["articles"] < len(world.all_articles())
    final = run_akhbar(
        "crawl",
        "--sources",
        str(sources),
        "--db",
        sqlite_url,
        *FAST_CRAWL,
        "-s",
        "AKHBAR_STORE_WRITER=process",
        timeout=180,
    )
    assert final.returncode == 0, final.stderr[-3000:]
    counts = integrity(sqlite_url)
    assert counts["articles"] == counts["distinct_keys"] == len(world.all_articles())
    assert counts["orphan_aliases"] == counts["orphan_buckets"] == counts["articles_without_alias"] == 0
