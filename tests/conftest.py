"""Shared fixtures: a local HTTP server, a world of Arabic news sites, temporary databases, and a
helper that runs the real ``akhbar`` command in a child process (a Twisted reactor cannot be
restarted inside one test process)."""

from __future__ import annotations

import inspect
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.localserver import LocalServer
from tests.world import World, build_world

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Tests crawl 127.0.0.1: allow it explicitly, as an operator would for an internal host.
TEST_ENV = {"AKHBAR_PRIVATE_ALLOWLIST": "127.0.0.0/8"}
FAST_CRAWL = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_TIMEOUT=10"]


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as local:
        yield local


@pytest.fixture
def world(server: LocalServer, tmp_path: Path) -> World:
    built = build_world(server)
    (tmp_path / "sources.yaml").write_text(built.sources_yaml, encoding="utf-8")
    return built


# The PostgreSQL server of the test machine (.ci/run starts it): trust auth, database "test".
PG_URL = os.environ.get("AKHBAR_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'akhbar.db'}"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A URL on the test PostgreSQL server whose search_path is a schema of this test's own,
    dropped afterwards, so runs never see each other's rows."""
    from sqlalchemy import create_engine, text

    schema = f"akhbar_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # the suite promises PostgreSQL coverage: fail, do not skip
        pytest.fail(f"PostgreSQL test server unavailable at {PG_URL}: {exc}")
    yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each storage, pipeline and end-to-end test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'akhbar.db'}"
    return request.getfixturevalue("pg_url")


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AKHBAR_")}
    env.update(TEST_ENV)
    env.update(extra)
    env["PYTHONPATH"] = str(REPO)
    return env


def run_akhbar(*args: str, cwd: Path = REPO, timeout: float = 120, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``akhbar ARGS`` as a child process and return its result."""
    return subprocess.run(
        [sys.executable, "-m", "crawler.cli", *args],
        cwd=cwd,
        env=child_env(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture
def stats():
    """A Scrapy stats collector for pipelines run without a crawl."""
    from scrapy.statscollectors import MemoryStatsCollector
    from scrapy.utils.test import get_crawler

    return MemoryStatsCollector(get_crawler())


@pytest.fixture
def pipelines(db_url: str, stats):
    """(validate, store, engine) on a migrated database with one source "s"; the store writes
    each item at once, in this thread."""
    from pipelines.store import StorePipeline
    from pipelines.validate import ValidatePipeline
    from storage.db import make_engine, upgrade
    from storage.repository import SourceRecord, ensure_sources, start_runs

    engine = make_engine(db_url)
    upgrade(engine)
    ids = ensure_sources(engine, [SourceRecord("s")])
    store = StorePipeline(stats, db_url, batch_delay=0)
    store.engine, store.source_ids, store.run_ids = engine, ids, start_runs(engine, ids)
    yield ValidatePipeline(stats, 200), store, engine
    engine.dispose()


# --- markers: slow (child processes), postgres, redis ------------------------------------------
# Given from what a test does, so that a new test is marked without anyone remembering to:
# ``pytest -m "not slow"`` is the fast loop (docs: README "Developing").
SLOW_CALLS = re.compile(
    r"\b(run_akhbar|crawl|export|start_worker|enqueue|interrupt|invoke|Popen|subprocess\.run|"
    r"run_scrapy|daemon|start_redis)\("
)
SLOW_FIXTURES = {"stored_db", "free_text_db"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        function = getattr(item, "function", None)
        fixtures = set(getattr(item, "fixturenames", ()))
        try:
            source = inspect.getsource(function) if function is not None else ""
        except (OSError, TypeError):
            source = ""
        if SLOW_CALLS.search(source) or fixtures & SLOW_FIXTURES:
            item.add_marker(pytest.mark.slow)
        callspec = getattr(item, "callspec", None)
        if "pg_url" in fixtures or (callspec is not None and callspec.params.get("db_url") == "postgresql"):
            item.add_marker(pytest.mark.postgres)
        module = getattr(item, "module", None)
        if module is not None and module.__name__.rsplit(".", 1)[-1].startswith("test_cluster"):
            item.add_marker(pytest.mark.redis)
