"""Crawl the test worlds into fresh SQLite files and print their exports, normalised.

A refactoring must not change what a crawl stores: run this before and after and diff the
outputs.  Volatile values (the local server's port, fetch and ingestion times, run ids) are
replaced by placeholders; everything else an analyst sees is kept.

    .venv/bin/python scripts/world_exports.py > before.jsonl
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.conftest import FAST_CRAWL, run_akhbar
from tests.localserver import LocalServer
from tests.world import build_sitemap_world, build_syndication_world, build_world

# One request at a time: which of two URL variants of an article is stored first must not
# depend on the race between their downloads.
VOLATILE = ("fetched_at", "ingested_at", "crawl_run_id", "run_id", "first_seen_at", "updated_at")


def crawl_and_export(name: str, sources_yaml: str, folder: Path, base: str, *crawl_args: str) -> list[str]:
    sources = folder / f"{name}.yaml"
    sources.write_text(sources_yaml, encoding="utf-8")
    db = f"sqlite:///{folder / (name + '.db')}"
    done = run_akhbar(
        "crawl",
        "--sources",
        str(sources),
        "--db",
        db,
        *FAST_CRAWL,
        *crawl_args,
        "-s",
        "CONCURRENT_REQUESTS=1",
        timeout=300,
    )
    if done.returncode != 0:
        raise SystemExit(f"{name}: crawl failed\n{done.stderr[-3000:]}")
    exported = run_akhbar("export", "--db", db)
    rows = [json.loads(line) for line in exported.stdout.splitlines()]
    titles = {row["id"]: row["title"] for row in rows}
    lines = []
    for row in rows:  # ids depend on the order pages arrive in: links are shown by title
        row.pop("id")
        for link in ("duplicate_of", "series_of", "story_id"):
            if row.get(link) is not None:
                row[link] = titles.get(row[link], row[link])
        for key in VOLATILE:
            if key in row:
                row[key] = "…"
        text = json.dumps(row, ensure_ascii=False, sort_keys=True).replace(base, "BASE/")
        lines.append(re.sub(r"127\.0\.0\.1:\d+", "HOST", text))
    return sorted(lines)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        out: list[str] = []
        with LocalServer() as server:
            world = build_world(server, per_source=5)
            out += [f"world {x}" for x in crawl_and_export("world", world.sources_yaml, folder, server.url(""))]
        with LocalServer() as server:
            synd = build_syndication_world(server)[0]
            out += [f"syndication {x}" for x in crawl_and_export("synd", synd.sources_yaml, folder, server.url(""))]
        with LocalServer() as server:
            sitemap = build_sitemap_world(server, datetime.now(UTC).replace(minute=0, second=0, microsecond=0))
            out += [f"sitemap {x}" for x in crawl_and_export("sitemap", sitemap.sources_yaml, folder, server.url(""))]
    print("\n".join(out))


if __name__ == "__main__":
    main()
