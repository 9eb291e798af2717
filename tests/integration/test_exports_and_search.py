"""What analysts and operators read: Arabic search, incremental exports (JSONL/CSV/Parquet)
that pandas reads with UTC timestamps, the article table, SQL views, Datasette."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime

from click.testing import CliRunner
from sqlalchemy import text

from crawler.cli import main
from storage.db import make_engine
from tests.conftest import FAST_CRAWL, REPO, child_env, run_akhbar
from tests.localserver import Route, free_port
from tests.world import build_world, make_articles, quote_path, render, rss


def crawl(sources, db_url, *extra):
    result = run_akhbar("crawl", "--sources", str(sources), "--db", db_url, *FAST_CRAWL, *extra)
    assert result.returncode == 0, result.stderr[-3000:]


def export(db_url, *args):
    result = CliRunner().invoke(main, ["export", "--db", db_url, *args])
    assert result.exit_code == 0, result.output
    cursor = [line for line in result.stderr.splitlines() if line.startswith("cursor: ")][-1].split(": ", 1)[1]
    return result.stdout, cursor


def test_sqlite_and_postgres_store_the_same_articles(server, sqlite_url, pg_url, tmp_path):
    world = build_world(server)
    (tmp_path / "s.yaml").write_text(world.sources_yaml, encoding="utf-8")
    exports = []
    for url in (sqlite_url, pg_url):
        crawl(tmp_path / "s.yaml", url)
        out, _ = export(url)
        rows = sorted((json.loads(line) for line in out.splitlines()), key=lambda r: r["url"])
        for row in rows:
            row.pop("id"), row.pop("fetched_at"), row.pop("duplicate_of")
            # Stories are decided online: which reports join depends on the order pages arrive in
            # (the window's term weights), which differs between two crawls.  Every row has one.
            assert row.pop("story_id") is not None
        exports.append(rows)
    assert exports[0] == exports[1] and len(exports[0]) == 12


def test_search_with_spelling_variants(world, server, db_url, tmp_path):
    crawl(tmp_path / "sources.yaml", db_url)
    target = world.articles["gulf-daily"][1]  # "افتتاح معرض عمّان الدولي للكتاب ..."
    for query in (
        "معرض عمان الدولي للكتاب",
        "مَعْرِض عمّـــان الدولى للكتاب",
        "معرض عمان للكتاب بمشاركه",
        "إفتتاح معرض عمان",
    ):
        result = CliRunner().invoke(main, ["search", query, "--db", db_url, "--json", "--source", "gulf-daily"])
        assert result.exit_code == 0, result.output
        hits = [json.loads(line) for line in result.output.splitlines()]
        assert target.title in [h["title"] for h in hits], query
        assert all(h["source"] == "gulf-daily" and "[" in h["snippet"] for h in hits)
        # The snippet is the text as printed (the database indexes the normalised key).
        shown = next(h["snippet"] for h in hits if h["title"] == target.title)
        assert "[عمّان]" in shown or "[معرض]" in shown, shown
        plain = shown.replace("[", "").replace("]", "").strip("…")
        assert plain in " ".join([target.title, *" ".join(target.paragraphs).split()]), shown
    table = CliRunner().invoke(main, ["search", "معرض", "--db", db_url, "--limit", "2"])
    assert table.exit_code == 0 and "results for" in table.output
    none = CliRunner().invoke(main, ["search", "كلمةغيرموجودة", "--db", db_url, "--json"])
    assert none.exit_code == 0 and none.output == ""


def test_incremental_export_and_formats(server, db_url, tmp_path):
    base = server.url("")
    t0 = datetime(2024, 11, 5, 9, 30, tzinfo=UTC)
    first = make_articles("موقع", "wordpress", "Africa/Cairo", "inc", 0, 3, t0)
    later = make_articles("موقع", "wordpress", "Africa/Cairo", "inc", 3, 2, t0)
    for a in first + later:
        server.add(quote_path(a.path), Route(render(a).encode(), headers={"Content-Type": "text/html"}))
    feed = server.add(
        "/inc/feed", Route(rss(first, base, "x").encode(), headers={"Content-Type": "application/rss+xml"})
    )
    sources = tmp_path / "s.yaml"
    sources.write_text(f'sources:\n  - name: inc\n    feeds: ["{feed}"]\n', encoding="utf-8")
    crawl(sources, db_url)
    out, cursor = export(db_url)
    assert len(out.splitlines()) == 3
    server.routes["/inc/feed"].body = rss(first + later, base, "x").encode()
    crawl(sources, db_url)
    out2, cursor2 = export(db_url, "--after", cursor)
    assert sorted(json.loads(line)["title"] for line in out2.splitlines()) == sorted(a.title for a in later)
    out3, cursor3 = export(db_url, "--after", cursor2)
    assert out3 == ""  # (on PostgreSQL the cursor may move on: other transactions ended meanwhile)
    out4, _ = export(db_url, "--after", cursor3)
    assert out4 == ""
    bad = CliRunner().invoke(main, ["export", "--db", db_url, "--after", "nonsense:1"])
    assert bad.exit_code == 2

    import pandas as pd

    jsonl, parquet, csv_file = tmp_path / "a.jsonl", tmp_path / "a.parquet", tmp_path / "a.csv"
    for fmt, path in (("jsonl", jsonl), ("parquet", parquet), ("csv", csv_file)):
        export(db_url, "--format", fmt, "-o", str(path))
    frames = [pd.read_json(jsonl, lines=True), pd.read_parquet(parquet)]
    for frame in frames:
        assert len(frame) == 5
        assert str(frame["published_at"].dt.tz) == "UTC" and str(frame["fetched_at"].dt.tz) == "UTC"
        assert frame["authors"].map(lambda v: v is None or len(v) >= 1).all()
    assert pd.read_parquet(parquet)["id"].dtype == "int64"
    assert len(pd.read_csv(csv_file)) == 5
    since = CliRunner().invoke(main, ["export", "--db", db_url, "--since", "2024-11-05T07:00:00Z"])
    assert len(since.stdout.splitlines()) == sum(
        a.published >= datetime(2024, 11, 5, 7, tzinfo=UTC) for a in first + later
    )


def test_articles_table_and_views(world, server, db_url, tmp_path):
    crawl(tmp_path / "sources.yaml", db_url)
    result = CliRunner().invoke(main, ["articles", "--db", db_url, "--source", "levant-post", "--limit", "2"])
    assert result.exit_code == 0 and "levant-post" in result.output and "nile-news" not in result.output
    engine = make_engine(db_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM articles_unique")).scalar() == 12
        health = {row.source: row for row in conn.execute(text("SELECT * FROM source_health"))}
    engine.dispose()
    assert health["nile-news"].articles_24h == 3 and health["nile-news"].last_run_status == "ok"
    assert health["nile-news"].feeds_failing == 0


def test_browse_serves_the_database(world, server, sqlite_url, tmp_path):
    crawl(tmp_path / "sources.yaml", sqlite_url)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "browse", "--db", sqlite_url, "--port", str(port)],
        cwd=REPO,
        env=child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline, body = time.time() + 30, None
        while time.time() < deadline and body is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/akhbar/articles.json?_shape=array&_size=3") as r:
                    body = json.load(r)
            except OSError:
                time.sleep(0.3)
        assert body is not None and len(body) == 3
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/akhbar/latest_per_source.json?_shape=array") as r:
            assert {row["source"] for row in json.load(r)} == set(world.articles)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/-/metadata.json") as r:
            metadata = json.load(r)
        assert "articles" in metadata["databases"]["akhbar"]["tables"]
        # The operators' dashboards answer, and every chart's SQL runs on the real database.
        from crawler.cli.datasette import CHARTS, HIDDEN_TABLES

        for page in ("/-/dashboards", "/-/dashboards/akhbar", *(f"/-/dashboards/akhbar/{chart}" for chart in CHARTS)):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{page}") as r:
                assert r.status == 200, page
        for name, chart in CHARTS.items():
            query = urllib.parse.urlencode({"sql": chart["query"], "_shape": "array"})
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/akhbar.json?{query}") as r:
                rows = json.load(r)
            assert isinstance(rows, list), name
            if name in ("articles-per-hour", "coverage"):
                assert rows and {row["source"] for row in rows} == set(world.articles), name
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/akhbar.json") as r:
            listed = {t["name"] for t in json.load(r)["tables"] if not t["hidden"]}
        assert "articles" in listed and not listed & set(HIDDEN_TABLES)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/akhbar/articles.json?_facet=language&_size=0") as r:
            facets = json.load(r)["facet_results"]
        assert {"source_id", "language"} <= set(facets)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/akhbar/stories.json?_size=0") as r:
            assert {"sources", "first_source_id"} <= set(json.load(r)["facet_results"])
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_browse_refuses_postgres():
    result = CliRunner().invoke(main, ["browse", "--db", "postgresql+psycopg://u@127.0.0.1:1/x"])
    assert result.exit_code == 2 and "SQLite" in result.output
