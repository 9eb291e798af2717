"""`akhbar export --follow`: a live feed of the articles as their batches commit, to stdout as
JSON lines or to a Redis stream, resumable from the cursor it prints when it stops."""

from __future__ import annotations

import json
import signal
import sys
import threading
from collections.abc import Sequence
from datetime import datetime
from types import FrameType
from typing import Any, TextIO
from urllib.parse import urlsplit, urlunsplit

import click

from crawler.cli.common import EXIT_DATABASE, EXIT_USAGE, article_record, fail, json_default


class StdoutSink:
    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, record: dict[str, Any]) -> None:
        self.stream.write(json.dumps(record, ensure_ascii=False, default=json_default) + "\n")

    def flush(self) -> None:
        self.stream.flush()

    def close(self) -> None:
        self.flush()


class RedisStreamSink:
    """XADD of each record (``article``: its JSON) to a stream capped near ``maxlen`` entries:
    consumers read it with consumer groups (XREADGROUP)."""

    def __init__(self, url: str, maxlen: int) -> None:
        self.client, self.stream = connect_stream(url)
        self.maxlen = maxlen
        self.pipeline: Any = self.client.pipeline(transaction=False)

    def write(self, record: dict[str, Any]) -> None:
        fields = {"article": json.dumps(record, ensure_ascii=False, default=json_default), "id": record["id"]}
        self.pipeline.xadd(self.stream, fields, maxlen=self.maxlen, approximate=True)

    def flush(self) -> None:
        self.pipeline.execute()

    def close(self) -> None:
        self.flush()
        self.client.close()


def connect_stream(url: str) -> tuple[Any, str]:
    """``redis://host:port[/db]/STREAM`` → (client, stream name); ValueError when no stream is named."""
    import redis

    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss", "unix"):
        raise ValueError(f"--to: not a redis:// URL: {url!r}")
    segments = [s for s in parts.path.split("/") if s]
    if not segments or len(segments) > 2 or (len(segments) == 1 and segments[0].isdigit()):
        raise ValueError(f"--to: name the stream: redis://HOST:PORT[/DB]/STREAM (got {url!r})")
    stream = segments[-1]
    base = urlunsplit((parts.scheme, parts.netloc, "/" + segments[0] if len(segments) > 1 else "", parts.query, ""))
    return redis.Redis.from_url(base), stream


def follow(
    engine: Any,
    sources: Sequence[str],
    since: datetime | None,
    after: str | None,
    poll: float,
    sink: StdoutSink | RedisStreamSink,
    progress: dict[str, str | None],
) -> None:
    """Write every article committed after ``after`` as its batch commits, until SIGTERM or
    Ctrl-C.  ``progress["cursor"]``: the cursor to resume from (everything before it was
    written and flushed), kept up to date, also when a write fails."""
    from storage.notify import SLICE, NewArticles
    from storage.queries import export_rows

    stop = threading.Event()

    def stopping(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, stopping) for sig in (signal.SIGTERM, signal.SIGINT)}
    waiter = NewArticles(engine)
    progress["cursor"] = after
    try:
        while True:
            _, rows, next_cursor = export_rows(engine, sources, since, progress["cursor"])
            for article, name in rows:
                sink.write(article_record(article, name))
            sink.flush()
            progress["cursor"] = next_cursor
            waited = 0.0
            while not stop.is_set() and waited < poll:
                if waiter.wait(poll - waited):
                    break
                waited += min(poll - waited, SLICE)
            if stop.is_set():
                return
    finally:
        waiter.close()
        sink.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def run_follow(
    engine: Any,
    fmt: str,
    sources: Sequence[str],
    since: datetime | None,
    after: str | None,
    poll: float,
    to: str | None,
    maxlen: int,
) -> None:
    from storage.queries import CursorError, parse_cursor

    if fmt != "jsonl":
        fail("--follow writes JSON lines: --format jsonl", EXIT_USAGE)
    try:
        parse_cursor(after, engine.dialect.name)
    except CursorError as exc:
        fail(str(exc), EXIT_USAGE)
    import redis

    sink: StdoutSink | RedisStreamSink
    if to:
        try:
            sink = RedisStreamSink(to, maxlen)
            sink.client.ping()
        except ValueError as exc:
            fail(str(exc), EXIT_USAGE)
        except redis.RedisError as exc:
            fail(f"--to: Redis unavailable: {exc}", EXIT_DATABASE)
    else:
        sink = StdoutSink(sys.stdout)
    progress: dict[str, str | None] = {}
    try:
        follow(engine, sources, since, after, poll, sink, progress)
    except redis.RedisError as exc:
        click.echo(f"cursor: {progress.get('cursor')}", err=True)
        fail(f"--to: Redis failed: {exc}; resume with --after the cursor above", EXIT_DATABASE)
    click.echo(f"cursor: {progress.get('cursor')}", err=True)
