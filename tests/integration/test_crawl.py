"""Real crawls: ``scrapy crawl feeds`` and ``akhbar crawl`` in child processes, against the local
world on 127.0.0.1, into real SQLite files."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import UTC

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.db import make_engine
from storage.models import Article, ArticleUrl, CrawlRun, Feed
from tests.conftest import FAST_CRAWL, REPO, child_env, run_akhbar


def article_requests(server) -> list[str]:
    return [p for p in server.paths_requested() if "/20" in p]


def stored(db_url: str) -> list[Article]:
    engine = make_engine(db_url)
    with Session(engine) as session:
        rows = list(session.scalars(select(Article).order_by(Article.id)))
    engine.dispose()
    return rows


def test_akhbar_crawl_stores_every_article_once_and_recrawl_downloads_nothing(world, server, db_url, tmp_path):
    sqlite_url = db_url  # SQLite and PostgreSQL
    sources = str(tmp_path / "sources.yaml")
    first = run_akhbar("crawl", "--sources", sources, "--db", sqlite_url, *FAST_CRAWL)
    assert first.returncode == 0, first.stderr[-3000:]
    assert "nile-news" in first.stdout and "new articles" in first.stdout

    expected = {a.title: a for a in world.all_articles()}
    rows = stored(sqlite_url)
    assert len(rows) == len(expected) == 12
    for row in rows:
        truth = expected[row.title]
        assert row.published_at == truth.published.astimezone(UTC)
        assert row.text.startswith(truth.body_start) and row.text.endswith(truth.body_end)
        assert row.author == truth.author
        assert row.language == "ar" and row.fetched_at.tzinfo is not None
    downloads = article_requests(server)
    assert len(downloads) == 12 and len(set(downloads)) == 12

    second = run_akhbar("crawl", "--sources", sources, "--db", sqlite_url, *FAST_CRAWL, "--log-level", "INFO")
    assert second.returncode == 0, second.stderr[-3000:]
    assert "'extract/pool_starts': 0" in second.stderr  # nothing new: no extraction process started
    assert len(stored(sqlite_url)) == 12
    assert article_requests(server) == downloads  # no article page fetched again
    assert server.paths_requested().count("/nile-news/feed") == 2

    engine = make_engine(sqlite_url)
    with Session(engine) as session:
        runs = list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)))
        feeds = list(session.scalars(select(Feed)))
        aliases = session.scalar(select(ArticleUrl.id).limit(1))
    engine.dispose()
    assert [r.status for r in runs] == ["ok"] * 8
    assert [r.articles_new for r in runs] == [3, 3, 3, 3, 0, 0, 0, 0]
    # The second crawl found the feeds unchanged (same body: the test server sends no ETag).
    assert all(f.status == "not modified" and f.last_ok_at is not None for f in feeds)
    assert [r.feeds_not_modified for r in runs] == [0, 0, 0, 0, 1, 1, 1, 1]
    assert aliases is not None


def test_scrapy_crawl_from_the_checkout(world, server, sqlite_url, tmp_path):
    command = [
        sys.executable,
        "-m",
        "scrapy",
        "crawl",
        "feeds",
        "-a",
        f"sources={tmp_path / 'sources.yaml'}",
        "-a",
        "source=gulf-daily",
        "-s",
        f"AKHBAR_DB_URL={sqlite_url}",
        *FAST_CRAWL,
    ]
    result = subprocess.run(command, cwd=REPO, env=child_env(), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    rows = stored(sqlite_url)
    assert sorted(r.title for r in rows) == sorted(a.title for a in world.articles["gulf-daily"])
    assert "'store/inserted': 3" in result.stderr


def test_failing_feed_and_page_do_not_stop_the_crawl(world, server, sqlite_url, tmp_path):
    from tests.localserver import Route

    broken = world.articles["nile-news"][0]
    from tests.world import quote_path

    server.add(quote_path(broken.path), Route(b"oops", status=500))
    extra = tmp_path / "sources.yaml"
    extra.write_text(
        world.sources_yaml + f'  - name: gone\n    feeds: ["{server.url("/gone/feed")}"]\n', encoding="utf-8"
    )
    result = run_akhbar("crawl", "--sources", str(extra), "--db", sqlite_url, *FAST_CRAWL, "-s", "RETRY_TIMES=0")
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(stored(sqlite_url)) == 11
    engine = make_engine(sqlite_url)
    with Session(engine) as session:
        statuses = dict(session.execute(select(Feed.url, Feed.status)).all())
        runs = {r.source_id: r.status for r in session.scalars(select(CrawlRun))}
    engine.dispose()
    assert statuses[server.url("/gone/feed")] == "HTTP 404"
    assert sorted(runs.values()) == ["failed", "ok", "ok", "ok", "partial"]


def test_export_after_crawl(world, server, sqlite_url, tmp_path):
    assert (
        run_akhbar(
            "crawl",
            "--sources",
            str(tmp_path / "sources.yaml"),
            "--db",
            sqlite_url,
            "--source",
            "levant-post",
            *FAST_CRAWL,
        ).returncode
        == 0
    )
    result = run_akhbar("export", "--db", sqlite_url)
    assert result.returncode == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 3
    for record in records:
        assert record["source"] == "levant-post"
        assert record["published_at"].endswith("Z") and record["fetched_at"].endswith("Z")
        assert set(record) >= {"id", "url", "canonical_url", "title", "author", "language", "text"}


def test_a_crawl_log_has_no_deprecation_warning_and_no_traceback(world, tmp_path, sqlite_url):
    """Python's warnings on (as `-W default` shows them) and Scrapy's log at INFO: the pipelines are
    coroutines (no Deferreds), and no disabled component announces itself."""
    result = run_akhbar(
        "crawl",
        "--sources",
        str(tmp_path / "sources.yaml"),
        "--db",
        sqlite_url,
        "--log-level",
        "INFO",
        *FAST_CRAWL,
        PYTHONWARNINGS="default",
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Spider closed (finished)" in result.stderr
    for noise in ("Deprecat", "Traceback", "Disabled crawler."):
        assert noise not in result.stderr, result.stderr[-3000:]


@pytest.mark.parametrize(("writer", "written_by"), [("process", "process"), ("thread", "thread"), ("none", "crawl")])
def test_every_store_writer_stores_the_same(world, server, sqlite_url, tmp_path, writer, written_by):
    """AKHBAR_STORE_WRITER: the default writer thread, a process of its own, or the reactor thread
    store the same articles; a value it does not know is a usage error, not a traceback."""
    sources = str(tmp_path / "sources.yaml")
    result = run_akhbar(
        "crawl",
        "--sources",
        sources,
        "--db",
        sqlite_url,
        *FAST_CRAWL,
        "-s",
        f"AKHBAR_STORE_WRITER={writer}",
        "--log-level",
        "INFO",
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert sorted(row.title for row in stored(sqlite_url)) == sorted(a.title for a in world.all_articles())
    # Every batch was written where the setting says (no silent fall-back to another writer).
    written = dict(re.findall(r"'store/written_by/(\w+)': (\d+)", result.stderr))
    assert list(written) == [written_by] and int(written[written_by]) > 0, written
    wrong = run_akhbar("crawl", "--sources", sources, "--db", sqlite_url, *FAST_CRAWL, "-s", "AKHBAR_STORE_WRITER=disk")
    assert wrong.returncode != 0 and "Traceback" not in wrong.stderr
    assert "AKHBAR_STORE_WRITER" in wrong.stderr
