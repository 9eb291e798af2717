"""Queries and writes, one function per unit of work.  Every look-up used on the crawl path goes
through a unique index (``article_urls.url_key``, ``articles.content_hash``), so its cost does not
grow with the number of stored articles."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from storage.models import (
    RUN_COUNTERS,
    Article,
    ArticleUrl,
    CrawlRun,
    Feed,
    LshBucket,
    Source,
    SourceLock,
    TextFingerprint,
    table_of,
    utcnow,
)

# SQLite allows 32k bound parameters; keep IN lists well under any backend's limit.
IN_CHUNK = 500


def _insert(engine_or_session: Any) -> Any:
    bind = engine_or_session.get_bind() if isinstance(engine_or_session, Session) else engine_or_session
    return pg_insert if bind.dialect.name == "postgresql" else sqlite_insert


def _chunks(values: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(values), IN_CHUNK):
        yield values[start : start + IN_CHUNK]


@dataclass(frozen=True, slots=True)
class SourceRecord:
    name: str
    homepage: str | None = None
    language: str | None = None
    timezone: str | None = None
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()


def ensure_sources(engine: Engine, sources: Iterable[SourceRecord]) -> dict[str, int]:
    """Insert or update the sources and their feeds; returns ``{name: id}``."""
    ids: dict[str, int] = {}
    with Session(engine) as session, session.begin():
        insert = _insert(session)
        for source in sources:
            values = {
                "name": source.name,
                "homepage": source.homepage,
                "language": source.language,
                "timezone": source.timezone,
                "created_at": utcnow(),
            }
            statement = (
                insert(Source)
                .values(**values)
                .on_conflict_do_update(
                    index_elements=["name"],
                    set_={"homepage": source.homepage, "language": source.language, "timezone": source.timezone},
                )
            )
            session.execute(statement)
            source_id = session.scalar(select(Source.id).where(Source.name == source.name))
            assert source_id is not None
            ids[source.name] = source_id
            for url, kind in [(u, "feed") for u in source.feeds] + [(u, "sitemap") for u in source.sitemaps]:
                session.execute(
                    insert(Feed)
                    .values(source_id=source_id, url=url, kind=kind)
                    .on_conflict_do_update(index_elements=["url"], set_={"source_id": source_id, "kind": kind})
                )
    return ids


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def close_dead_runs(session: Session, source_ids: Iterable[int], stale_after: timedelta) -> int:
    """Mark ``interrupted`` the runs of these sources left ``running`` by a process that is gone:
    on this host, a pid that no longer exists; elsewhere, a run older than ``stale_after``."""
    here = socket.gethostname()
    closed = 0
    runs = session.scalars(
        select(CrawlRun).where(CrawlRun.status == "running", CrawlRun.source_id.in_(list(source_ids)))
    )
    for run in runs:
        if run.host == here and run.pid is not None and run.pid != os.getpid():
            dead = not process_alive(run.pid)
        else:
            dead = run.started_at < utcnow() - stale_after
        if dead:
            run.status, run.finish_reason, run.finished_at = "interrupted", "process died", utcnow()
            closed += 1
    return closed


def close_runs_of_process(engine: Engine, pid: int, status: str, reason: str) -> int:
    """Mark the ``running`` runs of a process on this host (killed by the scheduler) as ``status``."""
    with Session(engine) as session, session.begin():
        result = session.execute(
            update(CrawlRun)
            .where(CrawlRun.status == "running", CrawlRun.pid == pid, CrawlRun.host == socket.gethostname())
            .values(status=status, finish_reason=reason, finished_at=utcnow())
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


def start_runs(
    engine: Engine, source_ids: dict[str, int], stale_after: timedelta = timedelta(hours=6), worker: str | None = None
) -> dict[str, int]:
    """One ``running`` crawl-run row per source (after closing runs left by dead processes);
    returns ``{name: run id}``."""
    runs: dict[str, int] = {}
    with Session(engine) as session, session.begin():
        close_dead_runs(session, source_ids.values(), stale_after)
        for name, source_id in source_ids.items():
            run = CrawlRun(
                source_id=source_id,
                started_at=utcnow(),
                status="running",
                host=socket.gethostname(),
                pid=os.getpid(),
                worker=worker,
            )
            session.add(run)
            session.flush()
            runs[name] = run.id
    return runs


def finish_run(
    engine: Engine,
    run_id: int,
    status: str,
    finish_reason: str | None,
    counts: dict[str, int],
    failure_reasons: dict[str, int] | None = None,
) -> None:
    values: dict[str, Any] = {k: int(v) for k, v in counts.items() if k in RUN_COUNTERS}
    if failure_reasons:
        values["failure_reasons"] = {str(k): int(v) for k, v in failure_reasons.items()}
    with Session(engine) as session, session.begin():
        session.execute(
            update(CrawlRun)
            .where(CrawlRun.id == run_id)
            .values(status=status, finish_reason=finish_reason, finished_at=utcnow(), **values)
        )


def acquire_source_locks(engine: Engine, names: Sequence[str], holder: str, ttl: timedelta) -> dict[str, str]:
    """Take the lock of each source that is free (or whose holder's lease expired); returns
    ``{name: holder}`` for the sources another process holds."""
    others: dict[str, str] = {}
    now = utcnow()
    with Session(engine) as session, session.begin():
        insert = _insert(session)
        for name in names:
            statement = insert(SourceLock).values(
                source_name=name, holder=holder, acquired_at=now, expires_at=now + ttl
            )
            statement = statement.on_conflict_do_update(
                index_elements=["source_name"],
                set_={"holder": holder, "acquired_at": now, "expires_at": now + ttl},
                where=(SourceLock.expires_at < now) | (SourceLock.holder == holder),
            )
            session.execute(statement)
            current = session.scalar(select(SourceLock.holder).where(SourceLock.source_name == name))
            if current is not None and current != holder and holder_is_dead(current):
                session.execute(
                    update(SourceLock)
                    .where(SourceLock.source_name == name, SourceLock.holder == current)
                    .values(holder=holder, acquired_at=now, expires_at=now + ttl)
                )
                current = holder
            if current != holder:
                others[name] = current or "?"
    return others


def holder_is_dead(holder: str) -> bool:
    """A ``host:pid`` lock holder on this host whose process is gone (killed, crashed)."""
    host, _, pid = holder.rpartition(":")
    return host == socket.gethostname() and pid.isdigit() and not process_alive(int(pid))


def release_source_locks(engine: Engine, names: Sequence[str], holder: str) -> None:
    with Session(engine) as session, session.begin():
        session.execute(delete(SourceLock).where(SourceLock.source_name.in_(list(names)), SourceLock.holder == holder))


def known_url_keys(engine: Engine, keys: Sequence[str]) -> set[str]:
    """The subset of ``keys`` already recorded against an article."""
    known: set[str] = set()
    unique = list(dict.fromkeys(keys))
    if not unique:
        return known
    with Session(engine) as session:
        for chunk in _chunks(unique):
            known.update(session.scalars(select(ArticleUrl.url_key).where(ArticleUrl.url_key.in_(chunk))))
    return known


def article_for_url_keys(session: Session, keys: Sequence[str]) -> int | None:
    if not keys:
        return None
    return session.scalar(select(ArticleUrl.article_id).where(ArticleUrl.url_key.in_(list(keys))).limit(1))


def article_for_content(session: Session, source_id: int, content_hash: str) -> int | None:
    return session.scalar(
        select(Article.id)
        .where(Article.content_hash == content_hash, Article.source_id == source_id)
        .order_by(Article.id)
        .limit(1)
    )


def add_aliases(session: Session, article_id: int, urls: dict[str, str], kind: str) -> int:
    """Record ``{url_key: url}`` against an article, ignoring keys already recorded."""
    if not urls:
        return 0
    insert = _insert(session)
    statement = (
        insert(ArticleUrl)
        .values(
            [
                {"url_key": key, "url": url, "article_id": article_id, "kind": kind, "created_at": utcnow()}
                for key, url in urls.items()
            ]
        )
        .on_conflict_do_nothing(index_elements=["url_key"])
    )
    result = session.execute(statement)
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def insert_article(
    session: Session,
    values: dict[str, Any],
    aliases: dict[str, str],
    lsh_keys: Sequence[tuple[int, int]] = (),
    fingerprints: Sequence[int] = (),
) -> int | None:
    """Insert an article, its aliases and its LSH buckets in the caller's transaction; None when
    its ``url_key`` is already stored (a concurrent writer won the race)."""
    insert = _insert(session)
    result = session.execute(
        insert(Article).values(**values).on_conflict_do_nothing(index_elements=["url_key"]).returning(Article.id)
    )
    article_id = result.scalar()
    if article_id is None:
        return None
    add_aliases(session, article_id, aliases, "url")
    if lsh_keys:
        session.execute(
            table_of(LshBucket).insert(),
            [{"band": band, "bucket": bucket, "article_id": article_id} for band, bucket in lsh_keys],
        )
    if fingerprints:
        session.execute(
            table_of(TextFingerprint).insert(),
            [{"fingerprint": value, "article_id": article_id} for value in fingerprints],
        )
    return int(article_id)


def source_id_by_name(session: Session, name: str) -> int | None:
    return session.scalar(select(Source.id).where(Source.name == name))


def find_article(session: Session, article_id: int | None = None, url_key: str | None = None) -> Article | None:
    """An article by id, or by the key of any URL that led to it (the caller computes the key)."""
    if article_id is None and url_key is not None:
        article_id = session.scalar(select(ArticleUrl.article_id).where(ArticleUrl.url_key == url_key))
    return session.get(Article, article_id) if article_id is not None else None


def article_details(session: Session, article: Article) -> dict[str, Any]:
    """Everything known about an article: its aliases, its copies, its original, its crawl run."""
    source = session.get(Source, article.source_id)
    aliases = session.execute(
        select(ArticleUrl.url, ArticleUrl.kind, ArticleUrl.created_at)
        .where(ArticleUrl.article_id == article.id)
        .order_by(ArticleUrl.id)
    ).all()
    copies = session.execute(
        select(Article.id, Source.name, Article.url, Article.copy_kind, Article.similarity)
        .join(Source, Source.id == Article.source_id)
        .where(Article.duplicate_of == article.id)
        .order_by(Article.id)
    ).all()
    head = article.series_of or article.id
    series = session.execute(
        select(Article.id, Source.name, Article.published_at)
        .join(Source, Source.id == Article.source_id)
        .where((Article.series_of == head) | (Article.id == head), Article.id != article.id)
        .order_by(Article.id)
        .limit(50)
    ).all()
    story = (
        session.execute(
            select(Article.id, Source.name, Article.published_at, Article.title)
            .join(Source, Source.id == Article.source_id)
            .where(Article.story_id == article.story_id, Article.id != article.id)
            .order_by(func.coalesce(Article.published_at, Article.fetched_at), Article.id)
            .limit(100)
        ).all()
        if article.story_id is not None
        else []
    )
    run = session.get(CrawlRun, article.crawl_run_id) if article.crawl_run_id else None
    return {
        "source": source.name if source else None,
        "aliases": [{"url": u, "kind": k, "recorded_at": c} for u, k, c in aliases],
        "copies": [{"id": i, "source": n, "url": u, "kind": k, "similarity": sim} for i, n, u, k, sim in copies],
        "series": [{"id": i, "source": n, "published_at": p} for i, n, p in series],
        "story": [{"id": i, "source": n, "published_at": p, "title": t} for i, n, p, t in story],
        "crawl_run": None
        if run is None
        else {
            "id": run.id,
            "started_at": run.started_at,
            "finished_at": run.finished_at,
            "status": run.status,
        },
    }
