"""Helpers of the cluster tests: a Redis key prefix per test, worker processes, waiting."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.conftest import FAST_CRAWL, REPO, child_env, run_akhbar

REDIS_URL = os.environ.get("AKHBAR_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
# Workers in tests: extraction in the worker process, a short visibility timeout.
WORKER_SETTINGS = [
    *FAST_CRAWL,
    "-s",
    "AKHBAR_EXTRACT_WORKERS=0",
    "-s",
    "AKHBAR_CLUSTER_VISIBILITY_TIMEOUT=4",
    "-s",
    "AKHBAR_STORE_BATCH_DELAY=0.1",
]


def start_worker(
    name: str, redis_url: str, prefix: str, db_url: str, sources: Path, log: Path, *extra: str
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
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
            db_url,
            "--sources",
            str(sources),
            "--name",
            name,
            *WORKER_SETTINGS,
            *extra,
        ],
        cwd=REPO,
        env=child_env(),
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb"),
        start_new_session=True,
    )


def enqueue(redis_url: str, prefix: str, db_url: str, sources: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return run_akhbar(
        "enqueue", "--redis", redis_url, "--prefix", prefix, "--db", db_url, "--sources", str(sources), *extra
    )


def status(redis_url: str, prefix: str) -> dict[str, Any]:
    result = run_akhbar("cluster", "status", "--redis", redis_url, "--prefix", prefix, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def wait_until(predicate: Callable[[], Any], timeout: float, what: str, step: float = 0.2) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM, timeout: float = 60) -> int:
    if process.poll() is None:
        os.killpg(process.pid, sig)
    return process.wait(timeout=timeout)


def assert_stored_once(db_url: str, total: int) -> None:
    """Every expected article is stored, none twice: nothing lost, nothing duplicated."""
    keys = Counter(key for key, _ in stored_urls(db_url))
    assert len(keys) == total and max(keys.values()) == 1, keys.most_common(3)


def stored_urls(db_url: str) -> list[tuple[str, str | None]]:
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return [(row[0], row[1]) for row in conn.execute(text("SELECT url_key, worker FROM articles"))]
    except Exception:
        return []
    finally:
        engine.dispose()
