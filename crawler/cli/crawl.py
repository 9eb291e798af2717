"""`akhbar crawl`, `akhbar backfill` and `akhbar extract`: running the spider and the extraction."""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import click

from crawler.cli.common import (
    EXIT_ALL_FEEDS_FAILED,
    EXIT_CRAWL_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    SourcesError,
    crawl_settings,
    db_option,
    fail,
    json_default,
    load_sources,
    log_level_option,
    open_database,
    select_sources,
    settings_option,
    sources_option,
)
from storage.db import resolve_db_url


@click.command()
@sources_option
@click.option(
    "--source", "source_names", multiple=True, metavar="NAME", help="Crawl only this source (repeatable; default: all)."
)
@db_option
@settings_option("Override a Scrapy setting, as `scrapy crawl -s` does (repeatable).")
@log_level_option("WARNING", "Log level of the crawl's log on stderr.")
@click.option("--due", is_flag=True, help="Only sources (and feeds) whose next poll time has come: for cron.")
def crawl(
    sources_file: str,
    source_names: tuple[str, ...],
    db_url: str | None,
    overrides: tuple[str, ...],
    log_level: str,
    due: bool,
) -> None:
    """Crawl the sources once and store new articles; print a summary per source.

    A source being crawled by another process (cron, the scheduler) is skipped and said so.
    """
    import socket

    from sqlalchemy.exc import SQLAlchemyError

    from storage.feed_state import due_source_names
    from storage.repository import acquire_source_locks, release_source_locks

    try:
        sources = select_sources(load_sources(sources_file), source_names)
    except SourcesError as exc:
        fail(str(exc), EXIT_USAGE)
    db_url = resolve_db_url(db_url)
    engine = open_database(db_url, migrate=True)
    settings = crawl_settings(db_url, sources_file, overrides, log_level)
    names = [s.name for s in sources]
    if due:
        names = due_source_names(engine, names, datetime.now(UTC))
        if not names:
            click.echo("akhbar: no source is due", err=True)
            return
    holder = f"{socket.gethostname()}:{os.getpid()}"
    lease = timedelta(seconds=settings.getint("AKHBAR_CRAWL_TIME_LIMIT") + 300)
    busy = acquire_source_locks(engine, names, holder, lease)
    for name, other in busy.items():
        click.echo(f"akhbar: skipped {name}: being crawled by {other}", err=True)
    names = [n for n in names if n not in busy]
    if due and names:  # another process may have crawled them between the check and the lock
        still_due = due_source_names(engine, names, datetime.now(UTC))
        release_source_locks(engine, [n for n in names if n not in still_due], holder)
        names = still_due
    if not names:
        engine.dispose()
        return
    try:
        stats = run_crawl(settings, sources_file, names, due)
    finally:
        try:
            release_source_locks(engine, names, holder)
        except SQLAlchemyError:  # the database went away: the lease expires on its own
            logging.getLogger("akhbar").warning("could not release the source locks (they expire by themselves)")
        engine.dispose()
    print_summary(names, stats)
    if stats.get("store/failed"):
        fail(
            f"{stats['store/failed']} articles could not be stored: "
            f"{stats.get('store/failure_cause') or 'database unavailable'} "
            f"(they will be fetched again by the next crawl)",
            EXIT_CRAWL_FAILED,
        )
    if stats.get("finish_reason") != "finished":
        fail(f"crawl ended early: {stats.get('finish_reason')}", EXIT_CRAWL_FAILED)
    if every_feed_failed(stats):
        fail(
            f"every feed of the {len(names)} source(s) failed ({stats.get('feeds/feeds_failed')} failures: "
            "network, DNS or the sites down?); see akhbar stats",
            EXIT_ALL_FEEDS_FAILED,
        )


def every_feed_failed(stats: dict[str, Any]) -> bool:
    """True when the crawl fetched feeds and every fetch failed (none answered, not even 304)."""
    return (
        bool(stats.get("feeds/feeds_failed"))
        and not stats.get("feeds/feeds_fetched")
        and not stats.get("feeds/feeds_not_modified")
    )


def run_crawl(
    settings: Any, sources_file: str, names: list[str], due: bool = False, progress: bool = False, **spider_args: str
) -> dict[str, Any]:
    """Run the ``feeds`` spider in this process and return its final stats."""
    from scrapy.crawler import CrawlerProcess

    from spiders.feeds import FeedsSpider

    process = CrawlerProcess(settings, install_root_handler=True)
    crawler = process.create_crawler(FeedsSpider)
    process.crawl(crawler, sources=sources_file, source=",".join(names), due="1" if due else "0", **spider_args)
    if progress:
        from crawler.cli.progress import CrawlProgress

        with CrawlProgress(crawler):
            process.start()
    else:
        process.start()
    return dict(crawler.stats.get_stats()) if crawler.stats else {}


def print_summary(names: list[str], stats: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="akhbar crawl", title_justify="left")
    columns = [
        ("feeds fetched", "feeds_fetched"),
        ("not modified", "feeds_not_modified"),
        ("feeds failed", "feeds_failed"),
        ("entries", "entries_seen"),
        ("new articles", "articles_new"),
        ("duplicates", "duplicates"),
        ("pages failed", "pages_failed"),
    ]
    table.add_column("source")
    for label, _ in columns:
        table.add_column(label, justify="right")
    for name in names:
        table.add_row(name, *(str(stats.get(f"source/{name}/{key}", 0)) for _, key in columns))
    Console(file=sys.stdout, width=120).print(table)


def explanation(path: str, article: Any, evidence: dict[str, Any]) -> str:
    """What ``extract --explain`` prints: the byline's and the publication time's candidates with
    their evidence, and each decision."""
    decision = evidence.get("author")
    lines = [f"akhbar: {path}: explain"]
    if decision is not None:
        lines.append(f"  author: {article.author or '—'} (from {decision.origin or '—'}: {decision.reason})")
        for candidate in decision.candidates:
            role = f" [{candidate.role}]" if candidate.role else ""
            names = "، ".join(candidate.names) or "no person"
            lines.append(f"    - {candidate.origin}{role}: {candidate.raw!r} → {names}")
    dated = evidence.get("published")
    reason = f": {dated.reason}" if dated is not None else ""
    lines.append(f"  published_at: {article.published_at or '—'} (from {article.published_from or '—'}{reason})")
    for date in dated.candidates if dated is not None else []:
        where = ", ".join(part for part in (date.role, date.place) if part)
        lines.append(f"    - {date.origin} [{where}]: {date.raw!r} → {date.value.value.isoformat()}")
    lines.append(f"  title: {article.title or '—'} (from {article.title_from or '—'})")
    lines.extend(f"    - {label}: {text!r}" for label, text in evidence.get("titles", []))
    return "\n".join(lines)


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--url",
    default=None,
    help="The page's URL, for the canonical URL, the site name and relative "
    "links (without it the URL fields are null).",
)
@click.option("--timezone", "tz_name", default=None, help="IANA zone for times printed without an offset.")
@click.option("--source", "source_name", default="local", show_default=True, help="Source name to report.")
@click.option(
    "--explain",
    is_flag=True,
    help="Also print, on stderr, every byline, date and title candidate with its evidence and the decisions.",
)
def extract(files: tuple[str, ...], url: str | None, tz_name: str | None, source_name: str, explain: bool) -> None:
    """Run the extraction on saved HTML files and print one JSON object per file."""
    from crawler.extraction.errors import ExtractionError
    from crawler.extraction_pool import extract
    from crawler.items import ArticleItem, Provenance
    from crawler.text.encoding import not_html_reason
    from crawler.text.timestamps import zone
    from crawler.text.urls import is_http_url

    try:
        default_tz = zone(tz_name)
    except Exception:
        fail(f"unknown time zone {tz_name!r}", EXIT_USAGE)
    if url is not None and not is_http_url(url):
        fail(f"--url: not an http(s) URL: {url[:200]!r}", EXIT_USAGE)
    status = EXIT_OK
    for path in files:
        body = Path(path).read_bytes()
        problem = not_html_reason(body, None)
        if problem:
            click.echo(f"akhbar: {path}: not an HTML page ({problem})", err=True)
            status = EXIT_USAGE
            continue
        try:
            fetched_at = datetime.now(UTC)
            evidence: dict[str, Any] = {}
            extraction = extract(
                url=url, body=body, fetched_at=fetched_at, default_tz=default_tz, explain=evidence if explain else None
            )
        except ExtractionError as exc:
            click.echo(f"akhbar: {path}: {exc}", err=True)
            status = EXIT_USAGE
            continue
        item = ArticleItem(extraction.article, Provenance(source_name, fetched_at), extraction.keys)
        record = {"file": path, **item.record()}
        click.echo(json.dumps(record, ensure_ascii=False, default=json_default))
        if explain:
            click.echo(explanation(path, item.article, evidence), err=True)
        if item.article.published_tz_from == "inferred":
            click.echo(
                f"akhbar: {path}: time zone inferred ({item.article.published_tz}), not configured: check it, "
                "or give --timezone",
                err=True,
            )
        elif item.article.published_tz_from == "assumed-utc":
            click.echo(
                f"akhbar: {path}: local times read as UTC (no zone configured, stated or inferable): give --timezone",
                err=True,
            )
    sys.exit(status)


@click.command()
@click.argument("source_name", metavar="SOURCE")
@click.option("--since", "since", required=True, metavar="DATE", help="First day to ingest (YYYY-MM-DD).")
@click.option("--until", "until", default=None, metavar="DATE", help="Last day to ingest (default: today).")
@sources_option
@db_option
@settings_option("Override a Scrapy setting.")
@log_level_option("ERROR")
def backfill(
    source_name: str,
    since: str,
    until: str | None,
    sources_file: str,
    db_url: str | None,
    overrides: tuple[str, ...],
    log_level: str,
) -> None:
    """Ingest a source's older articles from its sitemaps and date-archive sitemaps.

    Interrupted (Ctrl-C) and started again with the same dates, it continues: sitemaps already
    finished are skipped, and stored articles are never fetched again.
    """
    import socket

    from spiders.sitemaps import backfill_window
    from storage.repository import acquire_source_locks, release_source_locks

    try:
        source = select_sources(load_sources(sources_file), [source_name])[0]
        backfill_window(since, until)
    except (SourcesError, ValueError) as exc:
        fail(str(exc), EXIT_USAGE)
    if not source.sitemaps and not source.archive:
        fail(f"source {source_name!r} has no sitemaps and no archive pattern to backfill from", EXIT_USAGE)
    db_url = resolve_db_url(db_url)
    engine = open_database(db_url, migrate=True)
    settings = crawl_settings(db_url, sources_file, overrides, log_level)
    holder = f"{socket.gethostname()}:{os.getpid()}"
    lease = timedelta(days=2)
    busy = acquire_source_locks(engine, [source_name], holder, lease)
    if busy:
        fail(f"{source_name} is being crawled by {busy[source_name]}: try again later", EXIT_CRAWL_FAILED)
    try:
        stats = run_crawl(settings, sources_file, [source_name], progress=True, since=since, until=until or "")
    except KeyboardInterrupt:
        stats = {"finish_reason": "shutdown"}
    finally:
        release_source_locks(engine, [source_name], holder)
        engine.dispose()
    print_summary([source_name], stats)
    click.echo(
        f"sitemaps finished: {stats.get('backfill/sitemaps_done', 0)}; "
        f"skipped as already done: {stats.get(f'source/{source_name}/children_done', 0)}",
        err=True,
    )
    if stats.get("finish_reason") == "shutdown":  # Ctrl-C or SIGTERM
        fail("backfill interrupted: run the same command to continue", EXIT_INTERRUPTED)
    if stats.get("finish_reason") != "finished":
        fail(
            f"backfill ended early ({stats.get('finish_reason')}): run the same command to continue", EXIT_CRAWL_FAILED
        )
