"""The cluster's parts without a crawl: the request codec, Redis failures at start, bounded keys,
the scheduler's Redis mode."""

from __future__ import annotations

import signal
import subprocess
import sys
import uuid
from datetime import UTC, datetime

import pytest
import redis

from crawler.cluster import codec
from crawler.items import FeedEntry
from crawler.sources.config import Source
from storage.feed_state import FeedState
from tests.cluster_helpers import REDIS_URL, enqueue, wait_until
from tests.conftest import REPO, child_env, run_akhbar


@pytest.fixture
def prefix():
    name = f"akhbar-test-{uuid.uuid4().hex[:10]}"
    yield name
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{name}:*", count=500))
    if keys:
        client.delete(*keys)
    client.close()


def test_codec_round_trip_without_pickle():
    source = Source("nile-news", feeds=("https://example.com/feed",), timezone="Africa/Cairo")
    when = datetime(2024, 11, 5, 9, 30, tzinfo=UTC)
    request = {
        "url": "https://example.com/a",
        "headers": {b"If-None-Match": [b'"abc"']},
        "body": b"",
        "cb_kwargs": {
            "source": source,
            "feed_url": "https://example.com/feed",
            "entry": FeedEntry("https://example.com/a", "عنوان", when, tags=["سياسة"]),
            "state": FeedState("https://example.com/feed", "e", None, "h", when, 900, 0.5),
        },
        "meta": {"akhbar_key": "example.com/a", "handle_httpstatus_list": [304]},
    }
    data = codec.dumps(request)
    assert b"pickle" not in data and data.startswith(b"{")
    back = codec.loads(data, {"nile-news": source})
    assert back == request
    with pytest.raises(codec.UnknownSource):
        codec.loads(data, {})
    with pytest.raises(TypeError):
        codec.dumps({"x": object()})


def test_redis_unreachable_at_start_is_one_line_and_exit_3(tmp_path, sqlite_url):
    (tmp_path / "s.yaml").write_text('sources:\n  - name: a\n    feeds: ["http://127.0.0.1:9/feed"]\n')
    # Redis URLs carry a password with a user (ACLs) or, most often, without: redis://:PASSWORD@host.
    for command, user in ((["worker"], "user"), (["enqueue"], ""), (["cluster", "status"], "")):
        args = [*command, "--redis", f"redis://{user}:s3cret@127.0.0.1:1/0"]
        if command[0] != "cluster":
            args += ["--db", sqlite_url, "--sources", str(tmp_path / "s.yaml")]
        result = run_akhbar(*args, timeout=60)
        assert result.returncode == 3, (command, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"akhbar: error: Redis redis://{user}:***@127.0.0.1:1/0")
        assert "s3cret" not in result.stderr and "Traceback" not in result.stderr


def test_every_key_but_the_queue_expires(world, tmp_path, sqlite_url, prefix):
    """Fingerprints expire instead of growing a set forever; the stream holds only work not done."""
    sources = tmp_path / "sources.yaml"
    result = enqueue(REDIS_URL, prefix, sqlite_url, sources)
    assert result.returncode == 0, result.stderr
    assert "queued 4 feed(s)" in result.stderr
    again = enqueue(REDIS_URL, prefix, sqlite_url, sources)
    assert "queued 0 feed(s) and sitemap(s); 4 already queued" in again.stderr
    client = redis.Redis.from_url(REDIS_URL)
    keys = {key.decode(): client.ttl(key) for key in client.scan_iter(match=f"{prefix}:*")}
    assert keys.pop(f"{prefix}:requests") == -1  # the stream: entries are deleted when done
    assert keys and all(0 < ttl <= 86400 for ttl in keys.values()), keys
    assert client.xlen(f"{prefix}:requests") == 4
    status = run_akhbar("cluster", "status", "--redis", REDIS_URL, "--prefix", prefix, "--json")
    assert status.returncode == 0
    assert '"queued": 4' in status.stdout and '"workers": []' in status.stdout


def test_schedule_with_redis_queues_instead_of_crawling(world, tmp_path, sqlite_url, prefix):
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "crawler.cli",
            "schedule",
            "--redis",
            REDIS_URL,
            "--prefix",
            prefix,
            "--sources",
            str(tmp_path / "sources.yaml"),
            "--db",
            sqlite_url,
        ],
        cwd=REPO,
        env=child_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        client = redis.Redis.from_url(REDIS_URL)
        wait_until(
            lambda: client.exists(f"{prefix}:requests") and client.xlen(f"{prefix}:requests") >= 4,
            60,
            "the scheduler to queue the four feeds",
        )
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr.decode()
    assert world.server.paths_requested() == []  # nothing fetched by the scheduler itself


def test_feed_validators_wait_for_every_listed_article(prefix):
    from crawler.cluster.connection import RedisLink
    from crawler.cluster.feedbook import FeedBook

    book = FeedBook(RedisLink(REDIS_URL, prefix))
    validators = {"etag": '"v1"', "last_modified": None, "body_hash": "abc"}
    assert book.listed("https://x.example/feed", validators, []) is True  # nothing new: save at once
    assert book.listed("https://x.example/feed", validators, ["a", "b"]) is False
    assert book.article_done("https://x.example/feed", "a", failed=False) is None
    assert book.article_done("https://x.example/feed", "a", failed=False) is None  # done twice: counted once
    assert book.article_done("https://x.example/feed", "b", failed=False) == validators
    # One failure among the listed articles: the validators are never saved, so the next poll
    # reads the feed in full and lists the failed article again.
    book.listed("https://x.example/feed", validators, ["c", "d"])
    assert book.article_done("https://x.example/feed", "c", failed=True) is None
    assert book.article_done("https://x.example/feed", "d", failed=False) is None
