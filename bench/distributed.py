"""Distributed benchmark: the throughput world crawled by 1 and by 2 cluster workers (one
extraction process each) into PostgreSQL, against a plain single-process crawl with the same cores.

    .venv/bin/python bench/distributed.py [--pages 600] [--size 50] [--sources 10] [--workers 1 2]
        [--pg postgresql+psycopg://postgres@127.0.0.1:5432/test] [--redis redis://127.0.0.1:6379/0]

For each N in ``--workers``: a single-process ``akhbar crawl`` with N extraction processes, then N
``akhbar worker`` processes fed by one ``akhbar enqueue``, each into a fresh PostgreSQL schema.
Both are timed the same way, from the first request the local server sees to the moment the
database holds every article (start-up of the processes is not counted).  Prints articles/s,
Redis commands per article (from the server's own counter: nothing else should use this Redis
meanwhile), and the cluster's cost per article over the single-process path.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.throughput import CRAWL_SETTINGS, build
from tests.localserver import LocalServer


def env() -> dict[str, str]:
    return dict(os.environ, AKHBAR_PRIVATE_ALLOWLIST="127.0.0.0/8", PYTHONPATH=str(ROOT))


def settings(extract_workers: int) -> list[str]:
    return [x for s in [*CRAWL_SETTINGS, f"AKHBAR_EXTRACT_WORKERS={extract_workers}"] for x in ("-s", s)]


class Schema:
    """A PostgreSQL schema of its own, dropped afterwards."""

    def __init__(self, pg: str) -> None:
        from sqlalchemy import create_engine, text

        self.name = f"akhbar_bench_{uuid.uuid4().hex[:10]}"
        self.admin = create_engine(pg, isolation_level="AUTOCOMMIT")
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{self.name}"'))
        self.url = f"{pg}?options=-csearch_path%3D{self.name}"
        self.text = text

    def count(self) -> int:
        try:
            with self.admin.connect() as conn:
                return int(conn.execute(self.text(f'SELECT count(*) FROM "{self.name}".articles')).scalar() or 0)
        except Exception:
            return 0

    def drop(self) -> None:
        with self.admin.connect() as conn:
            conn.execute(self.text(f'DROP SCHEMA "{self.name}" CASCADE'))
        self.admin.dispose()


def timed(server: LocalServer, schema: Schema, total: int, timeout: float = 1800) -> float:
    """Seconds from the server's first request to the database holding ``total`` articles."""
    start_requests = len(server.requests)
    while len(server.requests) == start_requests:
        time.sleep(0.02)
    started = time.perf_counter()
    deadline = started + timeout
    while schema.count() < total:
        if time.perf_counter() > deadline:
            raise SystemExit(f"timed out: {schema.count()} of {total} articles stored")
        time.sleep(0.1)
    return time.perf_counter() - started


def single(server: LocalServer, sources: str, pg: str, total: int, extract_workers: int) -> float:
    schema = Schema(pg)
    try:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "crawler.cli",
                "crawl",
                "--sources",
                sources,
                "--db",
                schema.url,
                *settings(extract_workers),
            ],
            cwd=ROOT,
            env=env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        result: list[float] = []
        waiter = threading.Thread(target=lambda: result.append(timed(server, schema, total)), daemon=True)
        waiter.start()
        _, err = process.communicate()
        waiter.join(timeout=60)
        if process.returncode != 0 or not result:
            raise SystemExit(f"crawl failed ({process.returncode}): {err.decode()[-2000:]}")
        return result[0]
    finally:
        schema.drop()


def redis_commands(client: object) -> int:
    return int(client.info("stats")["total_commands_processed"])  # type: ignore[attr-defined]


def cluster(
    server: LocalServer, sources: str, pg: str, redis_url: str, total: int, workers: int
) -> tuple[float, float, float]:
    import redis

    schema = Schema(pg)
    prefix = f"akhbar-bench-{uuid.uuid4().hex[:8]}"
    client = redis.Redis.from_url(redis_url)
    processes = []
    try:
        subprocess.run(
            [sys.executable, "-m", "crawler.cli", "db", "upgrade", "--db", schema.url],
            cwd=ROOT,
            env=env(),
            check=True,
            capture_output=True,
        )
        for i in range(workers):
            processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "crawler.cli",
                        "worker",
                        "--redis",
                        redis_url,
                        "--prefix",
                        prefix,
                        "--db",
                        schema.url,
                        "--sources",
                        sources,
                        "--name",
                        f"bench-{i}",
                        "--log-level",
                        "WARNING",
                        *settings(1),
                    ],
                    cwd=ROOT,
                    env=env(),
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,
                )
            )
        while len(list(client.scan_iter(match=f"{prefix}:worker:*"))) < workers:
            time.sleep(0.2)
        commands_before = redis_commands(client)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "crawler.cli",
                "enqueue",
                "--redis",
                redis_url,
                "--prefix",
                prefix,
                "--db",
                schema.url,
                "--sources",
                sources,
            ],
            cwd=ROOT,
            env=env(),
            check=True,
            capture_output=True,
        )
        seconds = timed(server, schema, total)
        commands = redis_commands(client) - commands_before
        time.sleep(6)  # one more heartbeat: each worker's count of its own round trips
        calls = sum(int(client.hget(key, "redis_calls") or 0) for key in client.scan_iter(match=f"{prefix}:worker:*"))
        return seconds, commands / total, calls / total
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            process.wait(timeout=120)
        keys = list(client.scan_iter(match=f"{prefix}:*"))
        if keys:
            client.delete(*keys)
        schema.drop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=600)
    parser.add_argument("--size", type=int, default=50, help="KB of markup per page")
    parser.add_argument("--sources", type=int, default=10)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument(
        "--pg", default=os.environ.get("AKHBAR_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    )
    parser.add_argument("--redis", default=os.environ.get("AKHBAR_TEST_REDIS_URL", "redis://127.0.0.1:6379/0"))
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="akhbar-bench-")
    print(
        f"machine: {os.cpu_count()} cores; {args.pages} pages of {args.size} KB over {args.sources} feeds; PostgreSQL"
    )
    print(
        f"{'workers':>7} {'single crawl/s':>15} {'cluster/s':>10} {'cost/article':>13} "
        f"{'Redis round trips/article':>26} {'Redis commands/article':>23}"
    )
    for n in args.workers:
        with LocalServer() as server:
            sources_yaml, bodies = build(server, args.pages, args.sources, args.size, "d")
            total = len(bodies)
            sources = os.path.join(folder, f"sources-{n}.yaml")
            Path(sources).write_text(sources_yaml, encoding="utf-8")
            single_seconds = single(server, sources, args.pg, total, n)
        with LocalServer() as server:
            sources_yaml, _ = build(server, args.pages, args.sources, args.size, "d")  # the same world, on a new port
            Path(sources).write_text(sources_yaml, encoding="utf-8")
            cluster_seconds, commands, calls = cluster(server, sources, args.pg, args.redis, total, n)
        print(
            f"{n:>7} {total / single_seconds:>15.1f} {total / cluster_seconds:>10.1f} "
            f"{cluster_seconds / single_seconds - 1:>+12.0%} {calls:>26.1f} {commands:>23.1f}"
        )
    print(
        "single crawl: `akhbar crawl` with N extraction processes; cluster: N `akhbar worker`s with one "
        "extraction process each; both timed from the first request to the last article stored; "
        "cost/article: the cluster's time per article over the single crawl's; round trips: the workers' "
        "own count (a pipeline or a script is one); commands: Redis's count (a script's commands included)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
