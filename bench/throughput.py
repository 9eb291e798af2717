"""Throughput benchmark: a real ``akhbar crawl`` of a local world of Arabic article pages.

    .venv/bin/python bench/throughput.py [--pages 2000] [--sources 20] [--preload 0] [--db FILE]

Starts a local HTTP server with ``--pages`` article pages (realistic templates from
tests/world.py, varied generated text, wrapped in the navigation, sidebars and scripts that make
real pages ~150 KB) behind RSS feeds, runs ``akhbar crawl`` into a fresh SQLite database and prints:
articles/s end to end, the one-core trafilatura-only rate on the same pages and the ratio, CPU
use, peak RSS of the crawl process (and with its extraction workers), and the cost of a second
crawl of the unchanged world (requests, bytes, seconds).  ``--preload N`` first fills the
database with N synthetic articles with their URL keys and LSH buckets, to compare the same run
at 0 and at 1,000,000 stored articles.  The world is on one local host, so the crawl states its
own politeness settings (no delay, 32 concurrent requests): this measures what the machine can
process, not what outlets allow.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.localserver import LocalServer, Route  # noqa: E402
from tests.world import TEMPLATES, make_articles, quote_path, render, rss  # noqa: E402

CRAWL_SETTINGS = ["DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False", "CONCURRENT_REQUESTS=32",
                  "CONCURRENT_REQUESTS_PER_DOMAIN=32", "RETRY_TIMES=0", "AKHBAR_MAX_ENTRIES_PER_FEED=1000"]


def heavy(page: str, seed: int) -> str:
    """Wrap a page in the boilerplate of a real news site: menus, sidebars, scripts, footer."""
    rng = random.Random(seed)
    links = "".join(f'<li><a href="/section/{rng.randint(1, 999)}">قسم الأخبار رقم {i} والمزيد من التغطية</a></li>'
                    for i in range(400))
    sidebar = "".join(f'<div class="card"><a href="/story/{rng.randint(1, 10**6)}"><img src="/i/{i}.jpg" alt="صورة">'
                      f"<h4>عنوان خبر جانبي رقم {i} عن موضوع مختلف</h4></a><span>منذ {i} ساعات</span></div>"
                      for i in range(120))
    script = "<script>var config = " + repr({f"k{i}": "v" * 40 for i in range(600)}) + ";</script>"
    return page.replace("<body", f"<body data-x='1'", 1).replace(
        "</body>", f'<div class="mega-menu"><ul>{links}</ul></div><aside class="most-read">{sidebar}</aside>'
                   f"{script}</body>", 1)


def build(server: LocalServer, pages: int, sources: int) -> tuple[str, list[bytes]]:
    base = server.url("")
    now = datetime.now(timezone.utc)
    per = pages // sources
    lines, bodies = ["sources:"], []
    templates = list(TEMPLATES)
    for s in range(sources):
        name = f"outlet-{s:02d}"
        items = make_articles(f"موقع {s}", templates[s % len(templates)], "Asia/Riyadh", name, s * per, per, now)
        for a in items:
            a.extra["canonical"] = base + a.path
            body = heavy(render(a), hash(a.path)).encode()
            bodies.append(body)
            server.add(quote_path(a.path), Route(body, headers={"Content-Type": "text/html; charset=utf-8"}))
        server.add(f"/{name}/feed", Route(rss(items, base, name).encode(), headers={"Content-Type": "application/rss+xml"},
                                          etag=f'"{name}"'))
        lines += [f"  - name: {name}", f'    feeds: ["{base}/{name}/feed"]', "    timezone: Asia/Riyadh"]
    return "\n".join(lines) + "\n", bodies


def trafilatura_rate(bodies: list[bytes], sample: int) -> float:
    import trafilatura

    chosen = bodies[:sample]
    start = time.perf_counter()
    for body in chosen:
        trafilatura.bare_extraction(body.decode(), with_metadata=False, include_comments=False, include_tables=True)
    return len(chosen) / (time.perf_counter() - start)


def preload(db_path: str, count: int) -> float:
    """N synthetic articles with URL keys and 16 LSH buckets each, bulk-loaded."""
    from crawler import neardup
    from storage.db import make_engine, upgrade

    engine = make_engine(f"sqlite:///{db_path}")
    upgrade(engine)
    engine.dispose()
    start = time.perf_counter()
    conn = sqlite3.connect(db_path, isolation_level=None)  # explicit BEGIN/COMMIT below
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("INSERT INTO sources (name, created_at) VALUES ('preloaded', '2024-01-01 00:00:00')")
    source_id = conn.execute("SELECT id FROM sources WHERE name='preloaded'").fetchone()[0]
    rng = random.Random(3)
    batch = 20_000
    for first in range(1, count + 1, batch):
        ids = range(first, min(count, first + batch - 1) + 1)
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO articles (id, source_id, url, url_key, title, text, fetched_at, content_hash, search_text)"
            " VALUES (?, ?, ?, ?, ?, ?, '2024-01-01 00:00:00', ?, ?)",
            ((i, source_id, f"https://preloaded.example/a/{i}", f"https://preloaded.example/a/{i}", f"خبر {i}",
              f"نص الخبر رقم {i}", hashlib.sha256(str(i).encode()).hexdigest(), f"خبر {i} نص الخبر رقم {i}") for i in ids))
        conn.executemany("INSERT INTO article_urls (url_key, url, article_id, kind, created_at) VALUES (?, ?, ?, 'url',"
                         " '2024-01-01 00:00:00')",
                         ((f"https://preloaded.example/a/{i}", f"https://preloaded.example/a/{i}", i) for i in ids))
        conn.executemany("INSERT INTO lsh_buckets (band, bucket, article_id) VALUES (?, ?, ?)",
                         ((band, rng.getrandbits(62), i) for i in ids for band in range(neardup.BANDS)))
        conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return time.perf_counter() - start


def tree_rss(pid: int, cpu: dict[int, float] | None = None) -> tuple[int, int]:
    """(RSS of the process, RSS of it and all its descendants), in bytes; records each process's
    CPU seconds so far in ``cpu`` (workers are grandchildren: os.times() would miss them)."""
    tick = os.sysconf("SC_CLK_TCK")

    def cpu_seconds(p: int) -> float:
        try:
            with open(f"/proc/{p}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / tick
        except (OSError, IndexError, ValueError):
            return 0.0

    def rss(p: int) -> int:
        try:
            with open(f"/proc/{p}/status") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def children(p: int) -> list[int]:
        try:
            with open(f"/proc/{p}/task/{p}/children") as handle:
                return [int(c) for c in handle.read().split()]
        except OSError:
            return []

    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        total += rss(p)
        if cpu is not None:
            cpu[p] = max(cpu.get(p, 0.0), cpu_seconds(p))
        stack.extend(children(p))
    return rss(pid), total


def crawl(sources_file: str, db_path: str) -> dict[str, float]:
    command = [sys.executable, "-m", "crawler.cli", "crawl", "--sources", sources_file, "--db", f"sqlite:///{db_path}",
               *[x for s in CRAWL_SETTINGS for x in ("-s", s)]]
    env = dict(os.environ, AKHBAR_PRIVATE_ALLOWLIST="127.0.0.0/8", PYTHONPATH=str(ROOT))
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peaks = {"main": 0, "tree": 0}
    cpu: dict[int, float] = {}

    def sample() -> None:
        while process.poll() is None:
            main, tree = tree_rss(process.pid, cpu)
            peaks["main"], peaks["tree"] = max(peaks["main"], main), max(peaks["tree"], tree)
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    elapsed = time.perf_counter() - start
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"crawl failed ({process.returncode}):\n{err[-3000:]}")
    return {"seconds": elapsed, "cpu": sum(cpu.values()), "rss_main": peaks["main"], "rss_tree": peaks["tree"]}


def stored(db_path: str) -> int:
    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT count(*) FROM articles WHERE source_id != "
                            "coalesce((SELECT id FROM sources WHERE name='preloaded'), -1)").fetchone()[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--sources", type=int, default=20)
    parser.add_argument("--preload", type=int, default=0, help="synthetic articles stored before the crawl")
    parser.add_argument("--sample", type=int, default=300, help="pages timed for the trafilatura-only rate")
    parser.add_argument("--db", default=None, help="database file (default: a temporary one)")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="akhbar-bench-")
    db_path = args.db or os.path.join(folder, "bench.db")
    with LocalServer() as server:
        sources_yaml, bodies = build(server, args.pages, args.sources)
        sources_file = os.path.join(folder, "sources.yaml")
        Path(sources_file).write_text(sources_yaml, encoding="utf-8")
        print(f"world: {len(bodies)} article pages, mean {sum(map(len, bodies)) / len(bodies) / 1024:.0f} KB, "
              f"{args.sources} feeds; machine: {os.cpu_count()} cores")
        if args.preload:
            print(f"preloaded {args.preload:,} articles (+URL keys, LSH buckets) in {preload(db_path, args.preload):.0f} s")
        rate = trafilatura_rate(bodies, args.sample)
        first = crawl(sources_file, db_path)
        articles = stored(db_path)
        requests_before, bytes_before = len(server.requests), server_bytes(server)
        second = crawl(sources_file, db_path)
        second_requests = server.requests[requests_before:]
        second_bytes = server_bytes(server) - bytes_before
        article_requests = sum(1 for r in second_requests if "/20" in r.path)
    e2e = articles / first["seconds"]
    print(f"stored articles:                 {articles}")
    print(f"end-to-end ingest:               {e2e:.1f} articles/s ({first['seconds']:.1f} s)")
    print(f"trafilatura only, one core:      {rate:.1f} pages/s")
    print(f"ratio end-to-end / trafilatura:  {e2e / rate:.2f}x")
    print(f"CPU of the crawl (all processes): {first['cpu']:.1f} s ({first['cpu'] / first['seconds']:.2f} cores busy; "
          f"sampled every 0.2 s)")
    print(f"peak RSS, crawl process:         {first['rss_main'] / 2**20:.0f} MB "
          f"(with extraction workers: {first['rss_tree'] / 2**20:.0f} MB)")
    print(f"second crawl (unchanged world):  {len(second_requests)} requests, {article_requests} article pages, "
          f"{second_bytes / 1024:.1f} KB ({100 * second_bytes / max(1, server_first_bytes[0]):.2f}% of the first "
          f"crawl's bytes), {second['seconds']:.1f} s")
    return 0


server_first_bytes = [0]


def server_bytes(server: LocalServer) -> int:
    total = 0
    for request in server.requests:
        route = server.routes.get(request.path) or server.routes.get(request.path.split("?", 1)[0])
        if route is None:
            continue
        if route.etag is not None and request.headers.get("If-None-Match") == route.etag:
            continue  # a 304 carries no body
        total += len(route.body)
    if not server_first_bytes[0]:
        server_first_bytes[0] = total
    return total


if __name__ == "__main__":
    raise SystemExit(main())
