"""The ``akhbar`` command line.

Exit codes (for cron and scripts):
  0  the command ran (a crawl with some failed pages or feeds still exits 0)
  1  the crawl itself did not finish normally
  2  bad usage or a bad sources file
  3  the database cannot be reached or migrated
  4  the thing asked for (an article) does not exist
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from dataclasses import asdict
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TextIO

import click

from crawler import __version__
from crawler.sources import SourcesError, load_sources, select_sources
from storage.db import DatabaseUnavailable, make_engine, mask_url, resolve_db_url

EXIT_OK, EXIT_CRAWL_FAILED, EXIT_USAGE, EXIT_DATABASE, EXIT_NOT_FOUND = 0, 1, 2, 3, 4
DEFAULT_SOURCES = "sources.yaml"


def fail(message: str, code: int) -> None:
    click.echo(f"akhbar: error: {message}", err=True)
    sys.exit(code)


def open_database(db_url: str | None, migrate: bool) -> Any:
    """An engine for the database, migrated when ``migrate``; exits 3 with one line on failure."""
    from sqlalchemy.exc import SQLAlchemyError

    from storage.db import check_connection, ensure_schema

    try:
        engine = make_engine(db_url)
        if migrate:
            ensure_schema(engine)
        else:
            check_connection(engine)
        return engine
    except DatabaseUnavailable as exc:
        fail(str(exc), EXIT_DATABASE)
    except SQLAlchemyError as exc:
        fail(f"database {mask_url(resolve_db_url(db_url))}: {str(exc).splitlines()[0]}", EXIT_DATABASE)


def iso_utc(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso_utc(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


db_option = click.option(
    "--db", "db_url", envvar="AKHBAR_DB_URL", default=None, show_envvar=True,
    help="SQLAlchemy database URL [default: sqlite:///data/akhbar.db].",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="akhbar")
def main() -> None:
    """akhbar: crawl Arabic news feeds into a clean, de-duplicated SQL database."""


@main.command()
@click.option("--sources", "sources_file", default=DEFAULT_SOURCES, show_default=True,
              type=click.Path(dir_okay=False), help="The sources file (YAML).")
@click.option("--source", "source_names", multiple=True, metavar="NAME",
              help="Crawl only this source (repeatable; default: all).")
@db_option
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE",
              help="Override a Scrapy setting, as `scrapy crawl -s` does (repeatable).")
@click.option("--log-level", default="WARNING", show_default=True,
              type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False),
              help="Log level of the crawl's log on stderr.")
@click.option("--due", is_flag=True, help="Only sources (and feeds) whose next poll time has come: for cron.")
def crawl(sources_file: str, source_names: tuple[str, ...], db_url: str | None,
          overrides: tuple[str, ...], log_level: str, due: bool) -> None:
    """Crawl the sources once and store new articles; print a summary per source.

    A source being crawled by another process (cron, the scheduler) is skipped and said so.
    """
    import socket

    from sqlalchemy.exc import SQLAlchemyError

    from storage.repository import acquire_source_locks, due_source_names, release_source_locks

    try:
        sources = select_sources(load_sources(sources_file), source_names)
    except SourcesError as exc:
        fail(str(exc), EXIT_USAGE)
    db_url = resolve_db_url(db_url)
    engine = open_database(db_url, migrate=True)
    settings = crawl_settings(db_url, sources_file, overrides, log_level)
    names = [s.name for s in sources]
    if due:
        names = due_source_names(engine, names, datetime.now(timezone.utc))
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
        still_due = due_source_names(engine, names, datetime.now(timezone.utc))
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
        fail(f"{stats['store/failed']} articles could not be stored: database unavailable "
             f"(they will be fetched again by the next crawl)", EXIT_CRAWL_FAILED)
    if stats.get("finish_reason") != "finished":
        fail(f"crawl ended early: {stats.get('finish_reason')}", EXIT_CRAWL_FAILED)


def crawl_settings(db_url: str, sources_file: str, overrides: tuple[str, ...], log_level: str) -> Any:
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("AKHBAR_DB_URL", db_url, priority="cmdline")
    settings.set("AKHBAR_SOURCES_FILE", sources_file, priority="cmdline")
    settings.set("LOG_LEVEL", log_level.upper(), priority="cmdline")
    for override in overrides:
        name, sep, value = override.partition("=")
        if not sep or not name.strip():
            fail(f"-s expects NAME=VALUE, got {override!r}", EXIT_USAGE)
        settings.set(name.strip(), value, priority="cmdline")
    return settings


def run_crawl(settings: Any, sources_file: str, names: list[str], due: bool = False,
              progress: bool = False, **spider_args: str) -> dict[str, Any]:
    """Run the ``feeds`` spider in this process and return its final stats."""
    from scrapy.crawler import CrawlerProcess

    from spiders.feeds import FeedsSpider

    process = CrawlerProcess(settings, install_root_handler=True)
    crawler = process.create_crawler(FeedsSpider)
    process.crawl(crawler, sources=sources_file, source=",".join(names), due="1" if due else "0", **spider_args)
    if progress:
        from crawler.progress import CrawlProgress

        with CrawlProgress(crawler):
            process.start()
    else:
        process.start()
    return dict(crawler.stats.get_stats()) if crawler.stats else {}


def print_summary(names: list[str], stats: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="akhbar crawl", title_justify="left")
    columns = [("feeds fetched", "feeds_fetched"), ("not modified", "feeds_not_modified"),
               ("feeds failed", "feeds_failed"),
               ("entries", "entries_seen"), ("new articles", "articles_new"),
               ("duplicates", "duplicates"), ("pages failed", "pages_failed")]
    table.add_column("source")
    for label, _ in columns:
        table.add_column(label, justify="right")
    for name in names:
        table.add_row(name, *(str(stats.get(f"source/{name}/{key}", 0)) for _, key in columns))
    Console(file=sys.stdout, width=120).print(table)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--url", default=None, help="The page's URL (default: file:// of each file; "
              "give the real URL for canonical and site-name checks).")
@click.option("--timezone", "tz_name", default=None, help="IANA zone for times printed without an offset.")
@click.option("--source", "source_name", default="local", show_default=True, help="Source name to report.")
def extract(files: tuple[str, ...], url: str | None, tz_name: str | None, source_name: str) -> None:
    """Run the extraction on saved HTML files and print one JSON object per file."""
    from crawler.dates import zone
    from crawler.extract import ExtractionError, extract_article

    try:
        default_tz = zone(tz_name)
    except Exception:
        fail(f"unknown time zone {tz_name!r}", EXIT_USAGE)
    status = EXIT_OK
    for path in files:
        page_url = url or Path(path).resolve().as_uri().replace("file://", "http://localhost")
        try:
            item = extract_article(page_url, Path(path).read_bytes(), source=source_name,
                                   fetched_at=datetime.now(timezone.utc), default_tz=default_tz)
        except ExtractionError as exc:
            click.echo(f"akhbar: {path}: {exc}", err=True)
            status = EXIT_USAGE
            continue
        record = {"file": path, **asdict(item)}
        click.echo(json.dumps(record, ensure_ascii=False, default=json_default))
    sys.exit(status)


EXPORT_FIELDS = ("id", "source", "url", "canonical_url", "title", "author", "authors", "published_at",
                 "published_has_time", "published_from", "modified_at", "fetched_at", "language",
                 "description", "image_url", "categories", "tags", "duplicate_of", "similarity", "text")


def article_record(article: Any, source_name: str) -> dict[str, Any]:
    record = {field: getattr(article, field, None) for field in EXPORT_FIELDS if field != "source"}
    record["source"] = source_name
    return {field: record.get(field) for field in EXPORT_FIELDS}


def parse_since(value: str | None) -> datetime | None:
    """``2024-11-01``, ``2024-11-01T08:00+03:00``, or an age: ``30m``, ``24h``, ``7d``."""
    if not value:
        return None
    from crawler.dates import parse_machine_datetime
    from crawler.sources import parse_interval

    try:
        return datetime.now(timezone.utc) - timedelta(seconds=parse_interval(value))
    except ValueError:
        pass
    parsed = parse_machine_datetime(value)
    if parsed is None:
        fail(f"--since: not a time or an age: {value!r} (e.g. 2024-11-01, 24h, 7d)", EXIT_USAGE)
    return parsed.utc()


since_option = click.option("--since", default=None, metavar="TIME",
                            help="Only articles published (else fetched) at or after TIME: "
                                 "2024-11-01, an ISO time, or an age such as 24h or 7d.")
source_filter = click.option("--source", "source_names", multiple=True, metavar="NAME",
                             help="Only this source (repeatable).")


@main.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]), default="jsonl", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write here instead of stdout (required for parquet).")
@source_filter
@since_option
@click.option("--after", default=None, metavar="CURSOR",
              help="Only rows added after the cursor printed by an earlier export.")
@db_option
def export(fmt: str, output: str | None, source_names: tuple[str, ...], since: str | None,
           after: str | None, db_url: str | None) -> None:
    """Export articles (schema: docs/schema.md); prints `cursor: VALUE` on stderr at the end."""
    from crawler.export import write_export
    from storage.db import read_engine
    from storage.queries import CursorError, export_rows

    if fmt == "parquet" and not output:
        fail("parquet needs -o FILE", EXIT_USAGE)
    engine = read_engine(open_database(db_url, migrate=False))
    try:
        count, rows, cursor = export_rows(engine, source_names, parse_since(since), after)
    except CursorError as exc:
        fail(str(exc), EXIT_USAGE)
    records = (article_record(article, name) for article, name in rows)
    written = write_export(records, fmt, output, count, progress=count >= PROGRESS_MIN_ROWS)
    click.echo(f"exported {written} articles", err=True)
    click.echo(f"cursor: {cursor}", err=True)


PROGRESS_MIN_ROWS = 2000


@main.command()
@click.argument("query")
@source_filter
@since_option
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per hit instead of a table.")
@db_option
def search(query: str, source_names: tuple[str, ...], since: str | None, limit: int, as_json: bool,
           db_url: str | None) -> None:
    """Full-text search with Arabic normalisation (hamza forms, diacritics, tatweel, ة/ه, ى/ي)."""
    from crawler.textnorm import search_key
    from storage.db import read_engine
    from storage.queries import search as run_search

    engine = read_engine(open_database(db_url, migrate=False))
    hits = run_search(engine, search_key(query), source_names, parse_since(since), limit)
    if as_json:
        for hit in hits:
            click.echo(json.dumps(asdict(hit), ensure_ascii=False, default=json_default))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(hits)} results for {query!r}", title_justify="left", show_lines=True)
    for column in ("id", "title", "source", "published (UTC)", "snippet"):
        table.add_column(column, overflow="fold")
    for hit in hits:
        table.add_row(str(hit.article_id), hit.title or "", hit.source, iso_utc(hit.published_at) or "", hit.snippet)
    Console(file=sys.stdout, width=160).print(table)


@main.command()
@source_filter
@since_option
@click.option("--limit", default=30, show_default=True, type=click.IntRange(1, 10000))
@db_option
def articles(source_names: tuple[str, ...], since: str | None, limit: int, db_url: str | None) -> None:
    """List the newest articles as a table."""
    from rich.console import Console
    from rich.table import Table

    from storage.db import read_engine
    from storage.queries import list_articles

    engine = read_engine(open_database(db_url, migrate=False))
    table = Table(title="articles", title_justify="left")
    for column in ("id", "published (UTC)", "source", "title", "author", "copy of"):
        table.add_column(column, overflow="fold")
    for article, name in list_articles(engine, source_names, parse_since(since), limit):
        table.add_row(str(article.id), iso_utc(article.published_at) or "—", name, article.title or "",
                      article.author or "", str(article.duplicate_of or ""))
    Console(file=sys.stdout, width=160).print(table)


@main.command()
@click.argument("ref", metavar="ID|URL")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document instead of text.")
def show(ref: str, db_url: str | None, as_json: bool) -> None:
    """Show one article: every field, the URLs that lead to it, its copies, its crawl run."""
    from sqlalchemy.orm import Session

    from storage.db import read_engine
    from storage.repository import article_details, find_article

    engine = read_engine(open_database(db_url, migrate=False))
    with Session(engine) as session:
        article = find_article(session, ref)
        if article is None:
            fail(f"no article {ref!r}", EXIT_NOT_FOUND)
        details = article_details(session, article)
        record = article_record(article, details["source"]) | {
            key: getattr(article, key) for key in ("crawl_run_id", "content_hash", "feed_guid")
        } | {k: details[k] for k in ("aliases", "copies", "crawl_run")}
    if as_json:
        click.echo(json.dumps(record, ensure_ascii=False, default=json_default, indent=2))
        return
    text = record.pop("text")
    for key, value in record.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            click.echo(f"{key}:")
            for entry in value:
                click.echo("  - " + ", ".join(f"{k}={json_default(v) if isinstance(v, datetime) else v}"
                                              for k, v in entry.items()))
        else:
            shown = json.dumps(value, ensure_ascii=False, default=json_default) if not isinstance(value, str) else value
            click.echo(f"{key}: {shown}")
    click.echo(f"text:\n{text}")


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8001, show_default=True, type=int)
def browse(db_url: str | None, host: str, port: int) -> None:
    """Browse the SQLite database in Datasette (install the extra: pip install -e '.[browse]')."""
    import importlib.util

    from sqlalchemy.engine import make_url

    from crawler.browse import datasette_metadata

    url = make_url(resolve_db_url(db_url))
    if url.get_backend_name() != "sqlite" or not url.database:
        fail("browse works on the SQLite database only (use psql for PostgreSQL)", EXIT_USAGE)
    if importlib.util.find_spec("datasette") is None:
        fail("Datasette is not installed: pip install -e '.[browse]' (or -r requirements-browse.txt)", EXIT_USAGE)
    open_database(db_url, migrate=True).dispose()
    path = Path(url.database)
    metadata = path.with_name(f"{path.stem}.datasette.json")  # rewritten at every start
    metadata.write_text(json.dumps(datasette_metadata(path.stem), ensure_ascii=False), encoding="utf-8")
    click.echo(f"serving {path} on http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    command = [sys.executable, "-m", "datasette", "serve", str(path), "--metadata", str(metadata),
               "--host", host, "--port", str(port), "--setting", "sql_time_limit_ms", "5000"]
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, command)  # Datasette takes over this process: signals reach it directly


@main.command()
@click.argument("source_name", metavar="SOURCE")
@click.option("--since", "since", required=True, metavar="DATE", help="First day to ingest (YYYY-MM-DD).")
@click.option("--until", "until", default=None, metavar="DATE", help="Last day to ingest (default: today).")
@click.option("--sources", "sources_file", default=DEFAULT_SOURCES, show_default=True,
              type=click.Path(dir_okay=False), help="The sources file (YAML).")
@db_option
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE", help="Override a Scrapy setting.")
@click.option("--log-level", default="ERROR", show_default=True,
              type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False))
def backfill(source_name: str, since: str, until: str | None, sources_file: str, db_url: str | None,
             overrides: tuple[str, ...], log_level: str) -> None:
    """Ingest a source's older articles from its sitemaps and date-archive sitemaps.

    Interrupted (Ctrl-C) and started again with the same dates, it continues: sitemaps already
    finished are skipped, and stored articles are never fetched again.
    """
    import socket

    from spiders.feeds import backfill_window
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
        stats = run_crawl(settings, sources_file, [source_name], progress=True,
                          since=since, until=until or "")
    finally:
        release_source_locks(engine, [source_name], holder)
        engine.dispose()
    print_summary([source_name], stats)
    click.echo(f"sitemaps finished: {stats.get('backfill/sitemaps_done', 0)}; "
               f"skipped as already done: {stats.get(f'source/{source_name}/children_done', 0)}", err=True)
    if stats.get("finish_reason") != "finished":
        fail(f"backfill interrupted ({stats.get('finish_reason')}): run the same command to continue",
             EXIT_CRAWL_FAILED)


@main.command()
@click.option("--sources", "sources_file", default=DEFAULT_SOURCES, show_default=True,
              type=click.Path(dir_okay=False), help="The sources file (YAML).")
@db_option
@click.option("--time-limit", default=None, type=float, metavar="SECONDS",
              help="Kill a crawl that runs longer [default: AKHBAR_CRAWL_TIME_LIMIT, 1800].")
@click.option("--grace", default=30.0, show_default=True, type=float, metavar="SECONDS",
              help="On SIGTERM/SIGINT, how long running crawls may finish before they are stopped.")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE",
              help="Scrapy setting passed to every crawl (repeatable).")
def schedule(sources_file: str, db_url: str | None, time_limit: float | None, grace: float,
             overrides: tuple[str, ...]) -> None:
    """Run the scheduler daemon: each source crawled at its own interval, in child processes."""
    from scheduler import SchedulerConfig, run_daemon

    try:
        sources = load_sources(sources_file)
    except SourcesError as exc:
        fail(str(exc), EXIT_USAGE)
    db_url = resolve_db_url(db_url)
    open_database(db_url, migrate=True).dispose()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s [%(name)s] %(levelname)s: %(message)s")
    limit = time_limit if time_limit is not None else crawl_settings(db_url, sources_file, (), "WARNING").getfloat(
        "AKHBAR_CRAWL_TIME_LIMIT")
    crawl_args = tuple(arg for override in overrides for arg in ("-s", override))
    config = SchedulerConfig(sources_file, db_url, limit, grace, crawl_args)
    sys.exit(run_daemon(config, sources))


@main.command()
@source_filter
@click.option("--json", "as_json", is_flag=True, help="One JSON document on stdout (for monitoring).")
@db_option
def stats(source_names: tuple[str, ...], as_json: bool, db_url: str | None) -> None:
    """Per-source health: last success, last error, articles in 24 h / 7 days, delay, feeds, next poll."""
    from rich.console import Console
    from rich.table import Table

    from storage.db import read_engine
    from storage.health import age, duration, source_health

    report = source_health(read_engine(open_database(db_url, migrate=False)), list(source_names))
    if as_json:
        click.echo(json.dumps({"generated_at": datetime.now(timezone.utc), "sources": report},
                              ensure_ascii=False, default=json_default, indent=2))
        return
    table = Table(title="akhbar sources", title_justify="left")
    for column in ("source", "last success", "last error", "24 h", "7 days", "median delay", "feeds", "next poll"):
        table.add_column(column, overflow="fold")
    for row in report:
        error = row["last_error"]
        delay = row["median_delay_seconds"]  # publication → ingestion
        table.add_row(
            row["source"], age(row["last_success"]),
            "—" if error is None else f"{age(error['at'])}: {error['reason']}",
            str(row["articles_24h"]), str(row["articles_7d"]),
            duration(delay),
            ", ".join(f"{k}: {v}" for k, v in sorted(row["feeds"].items())), age(row["next_poll"]),
        )
    Console(file=sys.stdout, width=160).print(table)


@main.command()
@source_filter
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10000))
@click.option("--json", "as_json", is_flag=True, help="One JSON document on stdout.")
@db_option
def runs(source_names: tuple[str, ...], limit: int, as_json: bool, db_url: str | None) -> None:
    """Recent crawl runs, newest first."""
    from rich.console import Console
    from rich.table import Table

    from storage.db import read_engine
    from storage.health import recent_runs

    rows = recent_runs(read_engine(open_database(db_url, migrate=False)), list(source_names), limit)
    if as_json:
        click.echo(json.dumps({"runs": rows}, ensure_ascii=False, default=json_default, indent=2))
        return
    table = Table(title="akhbar runs", title_justify="left")
    columns = ("id", "source", "started_at", "finished_at", "status", "feeds_fetched", "feeds_not_modified",
               "feeds_failed", "entries_seen", "articles_new", "duplicates", "pages_failed", "bytes_downloaded")
    for column in columns:
        table.add_column(column.replace("_", " "), overflow="fold")
    for row in rows:
        table.add_row(*(iso_utc(row[c]) if isinstance(row[c], datetime) else str(row[c] if row[c] is not None else "—")
                        for c in columns))
    Console(file=sys.stdout, width=200).print(table)


@main.group()
def sources() -> None:
    """Find and check feeds and sitemaps."""


def run_probe(settings: Any, **spider_args: str) -> Any:
    """Run the ``probe`` spider and return it (its ``probes`` hold the results)."""
    from scrapy.crawler import CrawlerProcess

    from spiders.probe import ProbeSpider

    process = CrawlerProcess(settings, install_root_handler=True)
    crawler = process.create_crawler(ProbeSpider)
    process.crawl(crawler, **spider_args)
    process.start()
    return crawler.spider


@sources.command()
@click.argument("url")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE", help="Override a Scrapy setting.")
def discover(url: str, overrides: tuple[str, ...]) -> None:
    """Propose a sources entry for a site: its declared and common feeds, news sitemaps (also from
    robots.txt), language and a time-zone guess; says which candidates were verified."""
    import yaml

    from crawler.discovery import timezone_guess
    from crawler.urls import is_http_url, registered_domain

    if not is_http_url(url):
        fail(f"not an http(s) URL: {url!r}", EXIT_USAGE)
    settings = crawl_settings(resolve_db_url(None), DEFAULT_SOURCES, overrides, "ERROR")
    spider = run_probe(settings, homepage=url)
    probes = spider.probes
    feeds, seen_items = [], set()
    for candidate in spider.declared + [u for u in probes if u not in spider.declared]:
        probe = probes.get(candidate)
        if probe and probe.verified and probe.kind == "feed":
            signature = (probe.items, probe.newest)
            if signature not in seen_items:  # /feed and /feed/ serve the same feed
                seen_items.add(signature)
                feeds.append(candidate)
    sitemaps = [u for u, p in probes.items() if p.verified and p.kind in ("sitemap", "sitemap index")]
    news = [u for u in sitemaps if "news" in u.lower()]
    chosen_sitemaps = (news or sitemaps)[:2]
    domain = registered_domain(url) or "site"
    entry: dict[str, Any] = {"name": re.sub(r"[^a-z0-9-]+", "-", domain.split(".")[0].lower()).strip("-") or "site",
                             "feeds": feeds[:3], "sitemaps": chosen_sitemaps, "homepage": url,
                             "language": spider.language or "ar"}
    zone_name = timezone_guess(url)
    if zone_name:
        entry["timezone"] = zone_name
    entry["verified"] = False
    click.echo("# candidates (✓ verified: answered and parsed with items):", err=True)
    for candidate, probe in probes.items():
        if probe.status == "not fetched":
            continue
        mark = "✓" if probe.verified else "✗"
        detail = f"{probe.kind}, {probe.items} items" if probe.kind else (probe.problem or probe.status)
        declared = " (declared in <link rel=alternate>)" if candidate in spider.declared else ""
        click.echo(f"#  {mark} {candidate}: {probe.status if probe.status != 'ok' else detail}{declared}", err=True)
    if not feeds and not chosen_sitemaps:
        click.echo("# no working feed or sitemap found", err=True)
    if zone_name:
        click.echo(f"# timezone guessed from the domain: check it", err=True)
    click.echo(yaml.safe_dump({"sources": [entry]}, allow_unicode=True, sort_keys=False).split("\n", 1)[1], nl=False)


@sources.command()
@click.option("--sources", "sources_file", default=DEFAULT_SOURCES, show_default=True,
              type=click.Path(dir_okay=False), help="The sources file (YAML).")
@click.option("--source", "source_names", multiple=True, metavar="NAME", help="Only this source (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="One JSON document on stdout.")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE", help="Override a Scrapy setting.")
def check(sources_file: str, source_names: tuple[str, ...], as_json: bool, overrides: tuple[str, ...]) -> None:
    """Fetch every configured feed and sitemap once: status, items, newest item's age, parse
    problems, encoding fixes.  Exit 0 even when some fail (the report says which)."""
    try:
        chosen = select_sources(load_sources(sources_file), source_names)
    except SourcesError as exc:
        fail(str(exc), EXIT_USAGE)
    urls = {url: source.name for source in chosen for url in (*source.feeds, *source.sitemaps)}
    settings = crawl_settings(resolve_db_url(None), sources_file, overrides, "ERROR")
    spider = run_probe(settings, urls="\n".join(urls))
    report = [{"source": urls[u], **spider.probes[u].as_dict()} for u in urls]
    if as_json:
        click.echo(json.dumps({"checked_at": datetime.now(timezone.utc), "feeds": report},
                              ensure_ascii=False, default=json_default, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="akhbar sources check", title_justify="left")
    for column in ("source", "url", "status", "kind", "items", "newest", "problem / encoding"):
        table.add_column(column, overflow="fold")
    for row in report:
        newest = "—" if row["newest_age_hours"] is None else f"{row['newest_age_hours']} h ago"
        notes = "; ".join(x for x in (row["problem"], row["encoding_fix"]) if x) or ""
        table.add_row(row["source"], row["url"], ("✓ " if row["verified"] else "✗ ") + row["status"],
                      row["kind"] or "—", str(row["items"]), newest, notes)
    Console(file=sys.stdout, width=180).print(table)


@main.group()
def db() -> None:
    """Database maintenance."""


@db.command()
@db_option
def upgrade(db_url: str | None) -> None:
    """Apply the schema migrations (creates the database if it is new)."""
    engine = open_database(db_url, migrate=True)
    click.echo(f"database {mask_url(str(engine.url.render_as_string(False)))} is at the latest schema")


def entry_point() -> None:
    logging.captureWarnings(True)
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    main()


if __name__ == "__main__":
    entry_point()
