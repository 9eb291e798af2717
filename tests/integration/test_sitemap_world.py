"""Outlets reached through news sitemaps (one a sitemap index with gzipped children, one through
robots.txt), a backfill that can be interrupted and resumed, and discovery of a homepage's feeds."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.db import make_engine
from storage.models import Article
from tests.conftest import FAST_CRAWL, REPO, child_env, run_akhbar
from tests.world import build_sitemap_world, quote_path


def titles(db_url: str) -> list[str]:
    engine = make_engine(db_url)
    with Session(engine) as session:
        rows = list(session.scalars(select(Article.title)))
    engine.dispose()
    return rows


def test_sitemaps_poll_recent_then_backfill_resumes(server, sqlite_url, tmp_path):
    now = datetime.now(UTC)
    world = build_sitemap_world(server, now, article_delay=0.3)
    sources = tmp_path / "s.yaml"
    sources.write_text(world.sources_yaml, encoding="utf-8")
    crawl = run_akhbar("crawl", "--sources", str(sources), "--db", sqlite_url, *FAST_CRAWL, timeout=120)
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    stored = titles(sqlite_url)
    assert sorted(stored) == sorted(a.title for a in world.recent)  # every recent article, once
    for old in world.old:  # older entries were skipped without a download
        assert server.count(quote_path(old.path)) == 0
    again = run_akhbar("crawl", "--sources", str(sources), "--db", sqlite_url, *FAST_CRAWL)
    assert again.returncode == 0 and len(titles(sqlite_url)) == len(world.recent)

    since = (now - timedelta(days=12)).date().isoformat()
    until = (now - timedelta(days=3)).date().isoformat()
    command = [
        sys.executable,
        "-m",
        "crawler.cli",
        "backfill",
        "news-only",
        "--since",
        since,
        "--until",
        until,
        "--sources",
        str(sources),
        "--db",
        sqlite_url,
        *FAST_CRAWL,
        "-s",
        "CONCURRENT_REQUESTS=1",
    ]
    first = subprocess.Popen(
        command,
        cwd=REPO,
        env=child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    # Killed with articles outstanding: while the first article listed only in a day archive is
    # being fetched (each takes 0.3 s, one at a time), so that archive is read but its article not
    # stored; a backfill that marked a sitemap done when read would never come back for it.
    news_only_old = [a for a in world.old if a.path.startswith("/news-only/")]
    old_paths = {quote_path(a.path) for a in news_only_old}
    archive_only = old_paths - {quote_path(a.path) for a in world.news_sitemap_listed}
    deadline = time.monotonic() + 60
    while not archive_only & set(server.paths_requested()) and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(first.pid, signal.SIGKILL)
    in_flight = old_paths & set(server.paths_requested())
    _, first_err = first.communicate(timeout=60)
    partial = len(titles(sqlite_url)) - len(world.recent)
    assert len(old_paths) - partial > 0, (partial, first_err[-2000:])  # something was left to resume
    second = subprocess.run(command, cwd=REPO, env=child_env(), capture_output=True, text=True, timeout=120)
    assert second.returncode == 0, second.stderr[-3000:]
    assert sorted(titles(sqlite_url)) == sorted(a.title for a in world.recent + news_only_old)
    for old in news_only_old:  # resumed: nothing fetched twice but the article the kill interrupted
        assert server.count(quote_path(old.path)) == 1 + (quote_path(old.path) in in_flight), old.path
    finished_first = [u for u in world.done_candidates if server.count(u.replace(server.url(""), "")) == 1]
    assert finished_first or partial == 0, (partial, first_err[-2000:])
    assert "pages fetched" in second.stderr  # the progress display

    indexed = run_akhbar(
        "backfill",
        "indexed",
        "--since",
        since,
        "--until",
        until,
        "--sources",
        str(sources),
        "--db",
        sqlite_url,
        *FAST_CRAWL,
    )
    assert indexed.returncode == 0
    assert len(titles(sqlite_url)) == len(world.recent) + len(world.old)


def test_discover_proposes_feeds_and_sitemaps(server):
    world = build_sitemap_world(server, datetime.now(UTC))
    result = run_akhbar("sources", "discover", world.homepage)  # a child process: one reactor per crawl
    assert result.returncode == 0, result.stderr[-3000:]
    import yaml

    entry = yaml.safe_load("sources:\n" + result.stdout)["sources"][0]
    assert entry["feeds"] == [world.homepage_feed]
    assert world.homepage_sitemap in entry["sitemaps"]
    assert entry["language"] == "ar" and entry["verified"] is False
    assert "✓ " + world.homepage_feed in result.stderr and "declared" in result.stderr


def test_sources_check_reports_each_feed(server, tmp_path):
    world = build_sitemap_world(server, datetime.now(UTC))
    extra = world.sources_yaml + f'  - name: gone\n    feeds: ["{server.url("/gone.xml")}"]\n'
    (tmp_path / "s.yaml").write_text(extra, encoding="utf-8")
    result = run_akhbar("sources", "check", "--sources", str(tmp_path / "s.yaml"), "--json")
    assert result.returncode == 0, result.stderr[-3000:]
    import json

    report = {row["source"]: row for row in json.loads(result.stdout)["feeds"]}
    assert report["news-only"]["verified"] and report["news-only"]["kind"] == "sitemap"
    assert report["news-only"]["items"] == 4 and report["news-only"]["newest_age_hours"] < 2
    assert report["indexed"]["kind"] == "sitemap index" and report["robots"]["kind"] == "robots"
    assert report["gone"]["status"] == "HTTP 404" and not report["gone"]["verified"]


def test_sitemap_index_depth_is_limited(server, sqlite_url, tmp_path):
    from tests.localserver import Route
    from tests.world import sitemap_index

    now = datetime.now(UTC)
    world = build_sitemap_world(server, now)
    base = server.url("")
    xml = {"Content-Type": "application/xml"}
    server.add("/deep/0.xml", Route(sitemap_index([(base + "/deep/1.xml", now)]).encode(), headers=xml))
    server.add("/deep/1.xml", Route(sitemap_index([(base + "/indexed/s-recent.xml.gz", now)]).encode(), headers=xml))
    (tmp_path / "s.yaml").write_text(
        f'sources:\n  - name: deep\n    sitemaps: ["{base}/deep/0.xml"]\n', encoding="utf-8"
    )
    shallow = run_akhbar(
        "crawl",
        "--sources",
        str(tmp_path / "s.yaml"),
        "--db",
        sqlite_url,
        "--log-level",
        "INFO",
        *FAST_CRAWL,
        "-s",
        "AKHBAR_SITEMAP_DEPTH=1",
    )
    assert shallow.returncode == 0 and "'sitemaps/too_deep': 1" in shallow.stderr
    assert server.count("/indexed/s-recent.xml.gz") == 0 and titles(sqlite_url) == []
    deeper_db = f"sqlite:///{tmp_path / 'deeper.db'}"  # a fresh one: the first saw the index unchanged
    deep = run_akhbar(
        "crawl", "--sources", str(tmp_path / "s.yaml"), "--db", deeper_db, *FAST_CRAWL, "-s", "AKHBAR_SITEMAP_DEPTH=2"
    )
    assert deep.returncode == 0
    assert sorted(titles(deeper_db)) == sorted(a.title for a in world.recent if a.path.startswith("/indexed/"))
