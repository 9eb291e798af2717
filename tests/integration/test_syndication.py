"""De-duplication end to end: URL variants become aliases and are never downloaded twice;
syndicated re-posts are linked to their original; different stories on one event are not."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from crawler.dedup import neardup
from crawler.text.urls import url_key
from storage.db import make_engine
from storage.models import Article, ArticleUrl, LshBucket
from tests.conftest import FAST_CRAWL, run_akhbar
from tests.world import build_syndication_world, quote_path


def test_syndication_world(server, db_url, tmp_path):
    sqlite_url = db_url  # SQLite and PostgreSQL
    world, wire, reposts, own = build_syndication_world(server)
    sources = tmp_path / "sources.yaml"
    sources.write_text(world.sources_yaml, encoding="utf-8")

    first = run_akhbar("crawl", "--sources", str(sources), "--source", "wire", "--db", sqlite_url, *FAST_CRAWL)
    assert first.returncode == 0, first.stderr[-3000:]
    second = run_akhbar("crawl", "--sources", str(sources), "--db", sqlite_url, *FAST_CRAWL)
    assert second.returncode == 0, second.stderr[-3000:]

    engine = make_engine(sqlite_url)
    with Session(engine) as session:
        rows = {a.url_key: a for a in session.scalars(select(Article))}
        alias_keys = set(session.scalars(select(ArticleUrl.url_key)))
        buckets = session.scalar(select(LshBucket.id).limit(1))
    engine.dispose()
    base = server.url("")
    assert set(rows) >= {url_key(base + a.path) for a in wire}, sorted(rows)
    wire_rows = [rows[url_key(base + a.path)] for a in wire]
    assert len(rows) == len(wire) + len(reposts) + len(own)  # every story once
    assert all(r.duplicate_of is None for r in wire_rows)
    # Every wire article was downloaded once through its plain, tracking or AMP URLs (one
    # fingerprint), at most once more through the redirecting proxy in the first crawl, and
    # never again: the proxy URL is remembered as an alias.
    for i, a in enumerate(wire):
        fetched = server.count(quote_path(a.path)) + server.count(quote_path("/amp" + a.path))
        fetched += sum(1 for p in server.paths_requested() if p.startswith(quote_path(a.path) + "?"))
        assert fetched - server.count(f"/go/{i}") == 1, a.path
        assert server.count(f"/go/{i}") == 1
        assert url_key(f"{base}/go/{i}") in alias_keys
        assert url_key(f"{base}{a.path}?utm_source=twitter&fbclid=x") in alias_keys
        assert url_key(f"{base}/amp{a.path}") in alias_keys
    # Re-posts: own rows, linked to the original with a similarity.
    for copy, original in zip(reposts, wire_rows):
        row = rows[url_key(base + copy.path)]
        assert row.duplicate_of == original.id and row.similarity >= neardup.JACCARD_THRESHOLD
    # Different stories on the same event are not linked, to each other or to anything.
    for story in own:
        assert rows[url_key(base + story.path)].duplicate_of is None
    assert buckets is not None
    requests_before = len(server.paths_requested())
    third = run_akhbar("crawl", "--sources", str(sources), "--db", sqlite_url, *FAST_CRAWL)
    assert third.returncode == 0
    new_paths = server.paths_requested()[requests_before:]
    assert all(p.endswith(("/feed", "/social", "/amp", "/proxy", "robots.txt")) for p in new_paths), new_paths
