"""Operators' monitoring: Prometheus metrics checked against the database, the daemon's
/metrics over HTTP, coverage drift when a site changes its templates, and exit 5 when every
feed fails."""

from __future__ import annotations

import html
import json
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from crawler.cli import main
from crawler.sources.coverage import ArticleSample, source_coverage
from storage.db import make_engine
from storage.models import Article, CrawlRun, Feed, Source
from tests.conftest import FAST_CRAWL, REPO, child_env, run_akhbar
from tests.localserver import Route, free_port
from tests.world import Article as WorldArticle
from tests.world import build_world, generated_paragraphs, light_edit, make_articles, quote_path, render, rss

HTML = {"Content-Type": "text/html; charset=utf-8"}


def samples(metrics_text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a Prometheus text exposition, parsed by prometheus-client's own parser."""
    found = {}
    for family in text_string_to_metric_families(metrics_text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


# --- coverage, pure ------------------------------------------------------------------------------

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def sample(days_ago: float, has_time=True, byline=True, length=2000, language="ar", source="s") -> ArticleSample:
    return ArticleSample(source, NOW - timedelta(days=days_ago), has_time, byline, length, language, "ar")


def test_coverage_drift_rules():
    baseline = [sample(2 + i * 0.5) for i in range(20)]
    changed = [sample(0.1, has_time=False, byline=False, length=600) for _ in range(12)]
    report = source_coverage(baseline + changed, NOW)["s"]
    assert report.baseline == {"time": 1.0, "byline": 1.0, "body": 1.0, "language": 1.0}
    assert report.day == {"time": 0.0, "byline": 0.0, "body": 0.0, "language": 1.0}
    assert report.drift == ["time", "byline", "body"]
    few = source_coverage(baseline + changed[:5], NOW)["s"]  # under 10 articles: no verdict
    assert few.drift == []
    small_drop = [sample(0.1, byline=i < 9) for i in range(12)]  # 75 %: a 25-point drop is not drift
    assert source_coverage(baseline + small_drop, NOW)["s"].drift == []
    silent = source_coverage(baseline, NOW, failed_pages_day={"s": 15})["s"]
    assert silent.drift == ["extraction"] and silent.day_articles == 0
    quiet = source_coverage(baseline, NOW, failed_pages_day={"s": 0})["s"]  # no news is not drift
    assert quiet.drift == []
    assert source_coverage([], NOW, sources=["new"])["new"].day == dict.fromkeys(("time", "byline", "body", "language"))


# --- metrics against the database ----------------------------------------------------------------


def test_metrics_match_the_database(server, sqlite_url, tmp_path):
    world = build_world(server, per_source=3)
    gone = world.articles["nile-news"][0]
    server.routes[quote_path(gone.path)] = Route(b"gone", status=404)
    server.add("/dead/feed", Route(b"down", status=503))
    # A copycat outlet: a re-post of one of nile-news's articles (a copy, linked), and the same
    # page again under a second address (a duplicate, not stored).
    original = world.articles["nile-news"][1]
    copy = WorldArticle(
        path="/copycat/2024/repost",
        title="عاجل | " + original.title,
        paragraphs=light_edit("\n\n".join(original.paragraphs)).split("\n\n"),
        published=original.published + timedelta(hours=1),
        author=None,
        template="levant",
        site_name="صدى المدن",
        tz="Asia/Amman",
    )
    again = WorldArticle(**{**copy.__dict__, "path": "/copycat/2024/repost-again"})
    page = Route(render(copy).encode(), headers={"Content-Type": "text/html; charset=utf-8"})
    for article in (copy, again):
        server.add(quote_path(article.path), page)
    server.add("/copycat/feed", Route(rss([copy, again], server.url(""), "copycat").encode()))
    yaml = world.sources_yaml + f'  - name: dead\n    feeds: ["{server.url("/dead/feed")}"]\n'
    yaml += f'  - name: copycat\n    feeds: ["{server.url("/copycat/feed")}"]\n'
    (tmp_path / "s.yaml").write_text(yaml, encoding="utf-8")
    for _ in range(2):
        result = run_akhbar(
            "crawl", "--sources", str(tmp_path / "s.yaml"), "--db", sqlite_url, *FAST_CRAWL, "-s", "RETRY_TIMES=0"
        )
        assert result.returncode == 0, result.stderr[-2000:]
    out = CliRunner().invoke(main, ["stats", "--prometheus", "--db", sqlite_url])
    assert out.exit_code == 0, out.output
    metrics = samples(out.stdout)
    engine = make_engine(sqlite_url)
    with Session(engine) as session:
        stored = dict(
            session.execute(select(Source.name, func.count(Article.id)).join(Article).group_by(Source.name)).all()
        )
        fetches = dict(
            session.execute(
                select(Source.name, func.sum(Feed.fetches_ok + Feed.fetches_not_modified))
                .join(Feed)
                .group_by(Source.name)
            ).all()
        )
    for name, count in stored.items():
        assert metrics[("akhbar_articles_stored_total", (("source", name),))] == count
    assert metrics[("akhbar_articles_stored_total", (("source", "nile-news"),))] == 2
    assert metrics[("akhbar_pages_failed_total", (("reason", "HTTP 404"), ("source", "nile-news")))] == 2
    assert metrics[("akhbar_feed_fetches_total", (("source", "dead"), ("status", "failed")))] == 2
    assert metrics[("akhbar_feed_fetches_total", (("source", "dead"), ("status", "ok")))] == 0
    for name in world.articles:
        ok = metrics[("akhbar_feed_fetches_total", (("source", name), ("status", "ok")))]
        not_modified = metrics[("akhbar_feed_fetches_total", (("source", name), ("status", "not_modified")))]
        assert ok + not_modified == fetches[name] == 2
        assert metrics[("akhbar_source_last_success_timestamp_seconds", (("source", name),))] > time.time() - 600
        assert metrics[("akhbar_source_next_poll_timestamp_seconds", (("source", name),))] > time.time() - 600
        assert metrics[("akhbar_crawl_running", (("source", name),))] == 0
        assert metrics[("akhbar_extraction_coverage_ratio", (("field", "language"), ("source", name)))] == 1.0
    assert ("akhbar_source_last_success_timestamp_seconds", (("source", "dead"),)) not in metrics
    with Session(engine) as session:
        duplicates = dict(
            session.execute(
                select(Source.name, func.sum(CrawlRun.duplicates)).join(CrawlRun).group_by(Source.name)
            ).all()
        )
        copies = dict(
            session.execute(
                select(Source.name, func.count(Article.id))
                .join(Article)
                .where(Article.duplicate_of.is_not(None))
                .group_by(Source.name)
            ).all()
        )
        pairs = session.execute(
            select(Source.name, Article.published_at, Article.fetched_at)
            .join(Article)
            .where(Article.published_has_time.is_(True))
        ).all()
    engine.dispose()
    assert duplicates["copycat"] == 1  # the second address of the re-post
    for name, count in duplicates.items():
        assert metrics[("akhbar_duplicates_total", (("source", name),))] == count
    assert metrics[("akhbar_copies_linked_total", (("source", "copycat"),))] == copies["copycat"] == 1
    for name in world.articles:
        assert metrics[("akhbar_copies_linked_total", (("source", name),))] == copies.get(name, 0) == 0
    for name in world.articles:  # the median publication → storage delay, from the rows themselves
        delays = sorted((f - p).total_seconds() for n, p, f in pairs if n == name and f >= p)
        assert metrics[("akhbar_ingest_delay_seconds", (("source", name),))] == pytest.approx(
            statistics.median(delays), abs=1
        )


def test_schedule_serves_metrics_over_http(server, sqlite_url, tmp_path):
    world = build_world(server, per_source=1)
    (tmp_path / "s.yaml").write_text(world.sources_yaml, encoding="utf-8")
    port = free_port()
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
            "--metrics-port",
            str(port),
            "--grace",
            "5",
            "-s",
            "DOWNLOAD_DELAY=0",
            "-s",
            "AUTOTHROTTLE_ENABLED=False",
        ],
        cwd=REPO,
        env=child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline, metrics = time.monotonic() + 90, {}
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
                    metrics = samples(response.read().decode())
            except OSError:
                pass
            if sum(v for (name, _), v in metrics.items() if name == "akhbar_articles_stored_total") >= 4:
                break
            time.sleep(0.5)
        assert sum(v for (name, _), v in metrics.items() if name == "akhbar_articles_stored_total") == 4, metrics
    finally:
        daemon.send_signal(signal.SIGTERM)
        _, log = daemon.communicate(timeout=30)
    assert daemon.returncode == 0, log[-2000:]


# --- drift on a site that changes its templates ---------------------------------------------------


def render_new_template(title: str, paragraphs: list[str], day: datetime) -> str:
    """The outlet's new layout: no byline, no machine-readable time, only the day printed."""
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (
        f'<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{html.escape(title)}</title></head><body>'
        f'<div class="page"><h1>{html.escape(title)}</h1><div class="when">{day.day} مارس {day.year}</div>'
        f'<div class="story">{body}</div></div></body></html>'
    )


def test_drift_when_a_site_changes_its_templates(server, sqlite_url, tmp_path):
    base = server.url("")
    old = make_articles(
        "صحيفة المنعطف", "wordpress", "Africa/Cairo", "turn", 0, 12, datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    )
    for article in old:
        article.author = "سارة المصري"
        server.add(quote_path(article.path), Route(render(article).encode(), headers=HTML))
    server.add("/turn/feed", Route(rss(old, base, "المنعطف").encode(), headers={"Content-Type": "application/rss+xml"}))
    sources = tmp_path / "s.yaml"
    sources.write_text(
        f'sources:\n  - name: turn\n    feeds: ["{base}/turn/feed"]\n    timezone: Africa/Cairo\n', encoding="utf-8"
    )
    assert run_akhbar("crawl", "--sources", str(sources), "--db", sqlite_url, *FAST_CRAWL).returncode == 0
    engine = make_engine(sqlite_url)
    with Session(engine) as session, session.begin():  # those were ingested over the past days
        for article in session.scalars(select(Article)):
            article.fetched_at -= timedelta(days=3)
    engine.dispose()
    new_items = []
    for n in range(12):
        path = f"/turn/new/{n}"
        title = f"عنوان جديد رقم {n} عن الطقس والأسواق في القاهرة"
        server.add(
            path,
            Route(
                render_new_template(title, generated_paragraphs(100 + n, 4), datetime(2026, 11, 29)).encode(),
                headers=HTML,
            ),
        )
        new_items.append((path, title))
    items = "".join(f"<item><title>{t}</title><link>{base}{p}</link></item>" for p, t in new_items)
    server.add(
        "/turn/feed",
        Route(
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>المنعطف</title>{items}</channel></rss>'.encode(),
            headers={"Content-Type": "application/rss+xml"},
        ),
    )
    assert run_akhbar("crawl", "--sources", str(sources), "--db", sqlite_url, *FAST_CRAWL).returncode == 0

    report = json.loads(CliRunner().invoke(main, ["stats", "--json", "--db", sqlite_url]).stdout)["sources"][0]
    assert report["coverage"]["byline"] == {"day": 0.0, "baseline": 1.0}
    assert report["coverage"]["time"] == {"day": 0.0, "baseline": 1.0}
    assert report["coverage"]["language"]["day"] == 1.0
    assert set(report["drift"]) == {"byline", "time"}
    table = CliRunner().invoke(main, ["stats", "--db", sqlite_url])
    assert table.exit_code == 0 and "layout changed?" in table.stdout
    metrics = samples(CliRunner().invoke(main, ["stats", "--prometheus", "--db", sqlite_url]).stdout)
    assert metrics[("akhbar_extraction_drift", (("field", "byline"), ("source", "turn")))] == 1.0
    assert metrics[("akhbar_extraction_drift", (("field", "language"), ("source", "turn")))] == 0.0
    assert metrics[("akhbar_extraction_coverage_ratio", (("field", "byline"), ("source", "turn")))] == 0.0


# --- exit codes -----------------------------------------------------------------------------------


def test_crawl_exits_5_when_every_feed_fails(server, sqlite_url, tmp_path):
    server.add("/a/feed", Route(b"down", status=503))
    sources = tmp_path / "s.yaml"
    sources.write_text(
        f'sources:\n  - name: a\n    feeds: ["{server.url("/a/feed")}"]\n'
        f'  - name: b\n    feeds: ["http://127.0.0.1:1/feed"]\n',
        encoding="utf-8",
    )
    result = run_akhbar("crawl", "--sources", str(sources), "--db", sqlite_url, *FAST_CRAWL, "-s", "RETRY_TIMES=0")
    assert result.returncode == 5, result.stderr[-2000:]
    errors = [line for line in result.stderr.splitlines() if line.startswith("akhbar: error:")]
    assert len(errors) == 1 and "every feed of the 2 source(s) failed" in errors[0]
    engine = make_engine(sqlite_url)
    with engine.connect() as conn:  # the failures are recorded all the same
        assert conn.execute(text("SELECT sum(fetches_failed) FROM feeds")).scalar() == 2
    engine.dispose()


def test_grafana_dashboard_queries_run_on_postgresql(pg_url):
    """docs/grafana-dashboard.json: the same panels as the Datasette dashboards, for PostgreSQL."""
    import re

    from storage.db import ensure_schema

    engine = make_engine(pg_url)
    ensure_schema(engine)
    dashboard = json.loads((REPO / "docs" / "grafana-dashboard.json").read_text(encoding="utf-8"))
    assert len(dashboard["panels"]) == 5
    with engine.connect() as conn:
        for panel in dashboard["panels"]:
            sql = re.sub(
                r"\$__timeFilter\(([^)]+)\)", r"\1 >= now() - interval '7 days'", panel["targets"][0]["rawSql"]
            )
            conn.execute(text(sql)).all()
    engine.dispose()
