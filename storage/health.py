"""Per-source health for ``akhbar stats`` and recent runs for ``akhbar runs``."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, case, func, or_, select
from sqlalchemy.orm import Session

from storage.models import RUN_COUNTERS, Article, CrawlRun, Feed, Source, utcnow

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

DELAY_SAMPLE = 500  # newest articles per source used for the median publication→ingestion delay


def source_health(engine: Engine, names: list[str] | None = None) -> list[dict[str, Any]]:
    now = utcnow()
    report = []
    with Session(engine) as session:
        sources = session.scalars(select(Source).order_by(Source.name)).all()
        for source in sources:
            if names and source.name not in names:
                continue
            last_ok = session.scalar(
                select(func.max(CrawlRun.finished_at)).where(
                    CrawlRun.source_id == source.id, CrawlRun.status.in_(("ok", "partial"))
                )
            )
            last_run = session.scalars(
                select(CrawlRun)
                .where(CrawlRun.source_id == source.id)
                .order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc())
                .limit(1)
            ).first()
            feeds = session.scalars(select(Feed).where(Feed.source_id == source.id).order_by(Feed.url)).all()
            failing = [
                f
                for f in feeds
                if f.last_error_at is not None and (f.last_ok_at is None or f.last_error_at > f.last_ok_at)
            ]
            last_error = max(failing, key=lambda f: f.last_error_at or EPOCH, default=None)  # (all set)
            failed_run = session.scalars(
                select(CrawlRun)
                .where(CrawlRun.source_id == source.id, CrawlRun.status.in_(("failed", "killed", "interrupted")))
                .order_by(CrawlRun.started_at.desc())
                .limit(1)
            ).first()

            def count_since(delta: timedelta, source: Source = source) -> int:
                return int(
                    session.scalar(
                        select(func.count(Article.id)).where(
                            Article.source_id == source.id, Article.fetched_at >= now - delta
                        )
                    )
                    or 0
                )

            pairs = session.execute(
                select(Article.published_at, Article.fetched_at)
                .where(
                    Article.source_id == source.id,
                    Article.published_at.is_not(None),
                    Article.published_has_time.is_not(False),
                    Article.fetched_at >= now - timedelta(days=7),
                )
                .order_by(Article.id.desc())
                .limit(DELAY_SAMPLE)
            ).all()
            delays = [
                (fetched - published).total_seconds()
                for published, fetched in pairs
                if published is not None and fetched >= published
            ]
            error = None
            if last_error is not None:
                error = {"at": last_error.last_error_at, "reason": last_error.status, "feed": last_error.url}
            elif failed_run is not None and (last_ok is None or failed_run.started_at > last_ok):
                error = {
                    "at": failed_run.started_at,
                    "reason": f"run {failed_run.status}: {failed_run.finish_reason}",
                    "feed": None,
                }
            next_polls = [f.next_fetch_at for f in feeds if f.next_fetch_at is not None]
            report.append(
                {
                    "source": source.name,
                    "last_success": last_ok,
                    "last_run": None
                    if last_run is None
                    else {"status": last_run.status, "started_at": last_run.started_at},
                    "last_error": error,
                    "articles_24h": count_since(timedelta(days=1)),
                    "articles_7d": count_since(timedelta(days=7)),
                    "median_delay_seconds": statistics.median(delays) if delays else None,
                    "feeds": dict(Counter(f.status or "never fetched" for f in feeds)),
                    "next_poll": min(next_polls) if next_polls else None,
                }
            )
    return report


def recent_runs(engine: Engine, names: list[str] | None = None, limit: int = 20) -> list[dict[str, Any]]:
    with Session(engine) as session:
        statement = (
            select(CrawlRun, Source.name)
            .join(Source, Source.id == CrawlRun.source_id)
            .order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc())
            .limit(limit)
        )
        if names:
            statement = statement.where(Source.name.in_(names))
        rows = session.execute(statement).all()
    fields = (
        "id",
        "started_at",
        "finished_at",
        "status",
        "finish_reason",
        *RUN_COUNTERS,
        "worker",
    )
    return [{"source": name, **{f: getattr(run, f) for f in fields}} for run, name in rows]


def _span(seconds: int) -> str:
    """``"3d"``, ``"5h"``, ``"34m"``, ``"12s"``: the largest whole unit."""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def age(value: datetime | None, now: datetime | None = None) -> str:
    """When something happened: ``"3m ago"``, ``"in 5m"`` (a clock ahead), ``"—"``."""
    if value is None:
        return "—"
    seconds = int(((now or utcnow()) - value).total_seconds())
    return f"{_span(seconds)} ago" if seconds >= 0 else f"in {_span(-seconds)}"


def next_poll(value: datetime | None, now: datetime | None = None) -> str:
    """When a poll is due: ``"in 5m"``, ``"overdue by 34m"`` (not "34m ago": it has not happened),
    ``"due now"`` within the minute, ``"—"``."""
    if value is None:
        return "—"
    seconds = int((value - (now or utcnow())).total_seconds())
    if abs(seconds) < 60:
        return "due now"
    return f"in {_span(seconds)}" if seconds > 0 else f"overdue by {_span(-seconds)}"


def duration(seconds: float | None) -> str:
    """``"42 min"``, ``"3.5 h"``, ``"12 d"``."""
    if seconds is None:
        return "—"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 86400 * 2:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.0f} d"


BASELINE_LENGTH_SAMPLE = 500  # newest baseline articles per source whose body length is read


def coverage_counts(engine: Engine, day_start: datetime, baseline_start: datetime) -> list[tuple[Any, ...]]:
    """Per source and window (``day``: ingested since ``day_start``, else ``baseline``): articles,
    and how many have a time of day, a byline, the source's language.  One aggregate query: no
    article text is read."""
    window = case((Article.fetched_at >= day_start, "day"), else_="baseline")
    expected = or_(Source.language.is_(None), Article.language == Source.language)
    with Session(engine) as session:
        return [
            tuple(row)
            for row in session.execute(
                select(
                    Source.name,
                    window,
                    func.count(Article.id),
                    func.sum(case((Article.published_has_time.is_(True), 1), else_=0)),
                    func.sum(case((Article.author.is_not(None), 1), else_=0)),
                    func.sum(case((expected, 1), else_=0)),
                )
                .join(Source, Source.id == Article.source_id)
                .where(
                    Article.source_id.in_(select(Source.id)), Article.fetched_at >= baseline_start
                )  # (source, time) index
                .group_by(Source.name, window)
            ).all()
        ]


def coverage_lengths(
    engine: Engine, day_start: datetime, baseline_start: datetime, sample: int = BASELINE_LENGTH_SAMPLE
) -> list[tuple[str, str, int]]:
    """(source, window, body length): every article of the day, and the newest ``sample``
    articles of each source's baseline (enough for its median)."""
    length = func.coalesce(func.length(Article.text), 0)
    newest = func.row_number().over(partition_by=Article.source_id, order_by=Article.id.desc()).label("newest")
    baseline = (
        select(Article.id, newest)  # ranks only: the texts of the sample alone are read below
        .where(
            Article.source_id.in_(select(Source.id)),
            Article.fetched_at >= baseline_start,
            Article.fetched_at < day_start,
        )
        .subquery()
    )
    with Session(engine) as session:
        day = session.execute(
            select(Source.name, length)
            .join(Source, Source.id == Article.source_id)
            .where(Article.source_id.in_(select(Source.id)), Article.fetched_at >= day_start)
        ).all()
        before = session.execute(
            select(Source.name, length)
            .join(baseline, baseline.c.id == Article.id)
            .join(Source, Source.id == Article.source_id)
            .where(baseline.c.newest <= sample)
        ).all()
    return [(name, "day", int(n)) for name, n in day] + [(name, "baseline", int(n)) for name, n in before]


def failed_pages_since(engine: Engine, since: datetime) -> dict[str, int]:
    """Pages that gave no article, per source, in the runs started since ``since``."""
    with Session(engine) as session:
        rows = session.execute(
            select(Source.name, func.sum(CrawlRun.pages_failed))
            .join(Source, Source.id == CrawlRun.source_id)
            .where(CrawlRun.started_at >= since)
            .group_by(Source.name)
        ).all()
    return {name: int(total or 0) for name, total in rows}


def monitoring_counters(engine: Engine) -> dict[str, dict[str, Any]]:
    """Per source, the monotonic totals that monitoring exposes: articles stored, syndicated
    copies linked, duplicates found by the crawls, failed pages by reason, feed fetches by
    outcome, and whether a crawl is running."""
    with Session(engine) as session:
        names = dict(session.execute(select(Source.id, Source.name)).all())
        report: dict[str, dict[str, Any]] = {
            name: {
                "articles": 0,
                "copies": 0,
                "duplicates": 0,
                "failures": Counter(),
                "fetches": Counter(),
                "running": 0,
            }
            for name in names.values()
        }
        for source_id, total, copies in session.execute(
            select(Article.source_id, func.count(Article.id), func.count(Article.duplicate_of)).group_by(
                Article.source_id
            )
        ):
            report[names[source_id]].update(articles=int(total), copies=int(copies))
        for source_id, duplicates, running in session.execute(
            select(
                CrawlRun.source_id,
                func.coalesce(func.sum(CrawlRun.duplicates), 0),
                func.count(CrawlRun.id).filter(CrawlRun.status == "running"),
            ).group_by(CrawlRun.source_id)
        ):
            report[names[source_id]].update(duplicates=int(duplicates), running=int(running))
        for source_id, pages_failed, reasons in session.execute(
            select(CrawlRun.source_id, CrawlRun.pages_failed, CrawlRun.failure_reasons).where(CrawlRun.pages_failed > 0)
        ):
            counted = {str(k): int(v) for k, v in (reasons or {}).items()}
            if sum(counted.values()) < pages_failed:  # runs recorded before reasons were kept
                counted["unknown"] = counted.get("unknown", 0) + pages_failed - sum(counted.values())
            report[names[source_id]]["failures"].update(counted)
        for source_id, ok, not_modified, failed in session.execute(
            select(
                Feed.source_id,
                func.sum(Feed.fetches_ok),
                func.sum(Feed.fetches_not_modified),
                func.sum(Feed.fetches_failed),
            ).group_by(Feed.source_id)
        ):
            report[names[source_id]]["fetches"].update(
                {"ok": int(ok or 0), "not_modified": int(not_modified or 0), "failed": int(failed or 0)}
            )
    return report


def ingest_delays(engine: Engine, since: datetime) -> dict[str, list[float]]:
    """Per source, seconds from publication to storage of the articles stored since ``since``
    whose publication time is known to the minute (date-only times would say nothing)."""
    delays: dict[str, list[float]] = {}
    with Session(engine) as session:
        for name, published, fetched in session.execute(
            select(Source.name, Article.published_at, Article.fetched_at)
            .join(Source, Source.id == Article.source_id)
            .where(Article.fetched_at >= since, Article.published_at.is_not(None), Article.published_has_time.is_(True))
        ):
            if published is not None and fetched >= published:  # (selected not null)
                delays.setdefault(name, []).append((fetched - published).total_seconds())
    return delays
