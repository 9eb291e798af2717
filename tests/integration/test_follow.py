"""`akhbar export --follow`: started before a crawl, it writes every article the crawl commits
exactly once while the crawl runs, exits 0 on SIGTERM with a cursor, and resumes from it with
nothing repeated and nothing skipped; `--to` writes the same records to a Redis stream."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
import uuid

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from crawler.cli import main
from storage.db import make_engine
from storage.models import Article
from tests.conftest import FAST_CRAWL, REPO, child_env, run_akhbar
from tests.story_cases import REPORTS
from tests.unit.writing.test_stories_written import write_reports
from tests.world import build_world


class Follower:
    """`akhbar export --follow ARGS` in a child process, its lines read as they come."""

    def __init__(self, db_url: str, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "crawler.cli", "export", "--follow", "--poll", "0.2", "--db", db_url, *args],
            cwd=REPO,
            env=child_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    def wait_for(self, count: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while len(self.lines) < count and time.monotonic() < deadline:
            time.sleep(0.1)

    def stop(self) -> tuple[int, str]:
        """SIGTERM; (exit code, the cursor printed)."""
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=30)
        self.reader.join(timeout=10)
        assert self.process.stderr is not None
        stderr = self.process.stderr.read()
        cursors = [line.split(": ", 1)[1] for line in stderr.splitlines() if line.startswith("cursor: ")]
        assert cursors, stderr
        return code, cursors[-1]

    def ids(self) -> list[int]:
        return [json.loads(line)["id"] for line in self.lines]


def stored_ids(db_url: str) -> list[int]:
    engine = make_engine(db_url)
    with Session(engine) as session:
        ids = sorted(session.scalars(select(Article.id)))
    engine.dispose()
    return ids


def test_follow_writes_each_committed_article_once_and_resumes(server, db_url, tmp_path, stats):
    world = build_world(server)
    (tmp_path / "s.yaml").write_text(world.sources_yaml, encoding="utf-8")
    assert run_akhbar("db", "upgrade", "--db", db_url).returncode == 0
    follower = Follower(db_url)
    time.sleep(1.0)  # following an empty database
    crawl = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "crawler.cli",
            "crawl",
            "--sources",
            str(tmp_path / "s.yaml"),
            "--db",
            db_url,
            *FAST_CRAWL,
            "-s",
            "AKHBAR_STORE_BATCH_SIZE=3",
        ],
        cwd=REPO,
        env=child_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    seen_during_crawl = 0
    while crawl.poll() is None:
        seen_during_crawl = len(follower.lines)
        time.sleep(0.05)
    assert crawl.returncode == 0
    first = stored_ids(db_url)
    follower.wait_for(len(first))
    code, cursor = follower.stop()
    assert code == 0
    assert follower.ids() == first  # every committed article, once, in commit order
    assert seen_during_crawl > 0  # written while the crawl ran, not only at the end
    rows = [json.loads(line) for line in follower.lines]
    assert all(row["story_id"] for row in rows)
    # More articles committed while no follower runs: a restart from the cursor writes them
    # and nothing before them.
    write_reports(db_url, stats)
    new = [i for i in stored_ids(db_url) if i not in first]
    again = Follower(db_url, "--after", cursor)
    again.wait_for(len(new))
    code, later = again.stop()
    assert code == 0 and again.ids() == new
    exported = CliRunner().invoke(main, ["export", "--db", db_url, "--after", later])
    assert exported.exit_code == 0 and exported.stdout == ""  # nothing skipped, nothing left


@pytest.mark.redis
def test_follow_to_a_redis_stream(tmp_path, stats):
    import redis

    db_url = f"sqlite:///{tmp_path / 'akhbar.db'}"
    write_reports(db_url, stats)
    stream = f"akhbar-test-{uuid.uuid4().hex[:8]}"
    client = redis.Redis.from_url("redis://127.0.0.1:6379/0")
    try:
        follower = Follower(db_url, "--to", f"redis://127.0.0.1:6379/0/{stream}", "--maxlen", "1000")
        deadline = time.monotonic() + 30
        while client.xlen(stream) < len(REPORTS) and time.monotonic() < deadline:
            time.sleep(0.1)
        code, cursor = follower.stop()
        assert code == 0 and cursor.startswith("id:")
        entries = client.xrange(stream)
        assert [int(fields[b"id"]) for _, fields in entries] == stored_ids(db_url)
        assert all(json.loads(fields[b"article"])["story_id"] for _, fields in entries)
    finally:
        client.delete(stream)
        client.close()
    bad = CliRunner().invoke(main, ["export", "--follow", "--db", db_url, "--to", "redis://127.0.0.1:6379/0"])
    assert bad.exit_code == 2 and "name the stream" in bad.output
    away = CliRunner().invoke(main, ["export", "--follow", "--db", db_url, "--to", "redis://127.0.0.1:1/0/s"])
    assert away.exit_code == 3 and "Redis unavailable" in away.output
