"""Helpers shared by the command modules: exit codes, one-line failures, opening the database,
the common options, and JSON/time formatting."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any, NoReturn, TypeVar

import click

from crawler.sources.config import SourcesError as SourcesError  # re-exported for the commands
from crawler.sources.config import load_sources as load_sources
from crawler.sources.config import select_sources as select_sources
from storage.db import DatabaseUnavailable, make_engine, mask_url, resolve_db_url

EXIT_OK, EXIT_CRAWL_FAILED, EXIT_USAGE, EXIT_DATABASE, EXIT_NOT_FOUND = 0, 1, 2, 3, 4
EXIT_ALL_FEEDS_FAILED, EXIT_INTERNAL, EXIT_INTERRUPTED = 5, 70, 130


DEFAULT_SOURCES = "sources.yaml"


def fail(message: str, code: int) -> NoReturn:
    click.echo(f"akhbar: error: {message}", err=True)
    sys.exit(code)


def _database_failure(db_url: str | None, exc: Exception) -> None:
    from sqlalchemy.exc import SQLAlchemyError

    if isinstance(exc, DatabaseUnavailable):
        fail(str(exc), EXIT_DATABASE)
    if isinstance(exc, SQLAlchemyError):
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        fail(f"database {mask_url(resolve_db_url(db_url))}: {reason}", EXIT_DATABASE)
    raise exc


def open_database(db_url: str | None, migrate: bool = True) -> Any:
    """An engine for writing: the database is created or migrated (``migrate``); a database
    written by a newer akhbar is refused.  Exits 3 with one line on failure."""
    from sqlalchemy.exc import SQLAlchemyError

    from storage.db import check_connection, ensure_schema

    try:
        engine = make_engine(db_url)
        if migrate:
            ensure_schema(engine)
        else:
            check_connection(engine)
        return engine
    except (DatabaseUnavailable, SQLAlchemyError) as exc:
        _database_failure(db_url, exc)


def open_read_database(db_url: str | None, source_names: tuple[str, ...] | list[str] = ()) -> Any:
    """An engine for the read commands: SQLite opened read-only (a missing file is an error, never
    created), the schema checked (none, or older than this akhbar needs: run akhbar db upgrade).
    Exits 3 with one line on failure, and 2 when one of ``source_names`` is unknown."""
    from sqlalchemy.exc import SQLAlchemyError

    from storage.db import check_schema

    try:
        engine = make_engine(db_url, read_only=True)
        check_schema(engine)
        check_source_names(engine, source_names)
        return engine
    except (DatabaseUnavailable, SQLAlchemyError) as exc:
        _database_failure(db_url, exc)


def check_source_names(engine: Any, names: tuple[str, ...] | list[str], sources_file: str = DEFAULT_SOURCES) -> None:
    """Exit 2 with one line when a ``--source`` is in neither the database nor the sources file."""
    if not names:
        return
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from crawler.sources.config import unknown_source_message
    from storage.models import Source

    with Session(engine) as session:
        known = set(session.scalars(select(Source.name)))
    try:
        known |= {source.name for source in load_sources(sources_file)}
    except SourcesError:
        pass  # the read commands do not need a sources file
    for name in names:
        if name not in known:
            fail(unknown_source_message(name, sorted(known)), EXIT_USAGE)


def iso_utc(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso_utc(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


db_option = click.option(
    "--db",
    "db_url",
    envvar="AKHBAR_DB_URL",
    default=None,
    show_envvar=True,
    help="SQLAlchemy database URL [default: sqlite:///data/akhbar.db].",
)

sources_option = click.option(
    "--sources",
    "sources_file",
    default=DEFAULT_SOURCES,
    show_default=True,
    type=click.Path(dir_okay=False),
    help="The sources file (YAML).",
)


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
    from crawler.writing.writer import writer_mode

    try:
        writer_mode(settings)
    except ValueError as exc:
        fail(f"-s {exc}", EXIT_USAGE)
    return settings


EXPORT_FIELDS = (
    "id",
    "source",
    "url",
    "canonical_url",
    "title",
    "title_from",
    "author",
    "authors",
    "author_from",
    "author_organization",
    "published_at",
    "published_date",
    "published_has_time",
    "published_from",
    "published_tz_from",
    "modified_at",
    "fetched_at",
    "language",
    "description",
    "image_url",
    "categories",
    "tags",
    "duplicate_of",
    "similarity",
    "copy_kind",
    "series_of",
    "story_id",
    "worker",
    "text",
)


def article_record(article: Any, source_name: str) -> dict[str, Any]:
    record = {field: getattr(article, field, None) for field in EXPORT_FIELDS if field != "source"}
    record["source"] = source_name
    return {field: record.get(field) for field in EXPORT_FIELDS}


def parse_since(value: str | None) -> datetime | None:
    """``2024-11-01``, ``2024-11-01T08:00+03:00``, or an age: ``30m``, ``24h``, ``7d``."""
    if not value:
        return None
    from crawler.sources.config import parse_interval
    from crawler.text.timestamps import parse_machine_datetime

    try:
        return datetime.now(UTC) - timedelta(seconds=parse_interval(value))
    except ValueError:
        pass
    parsed = parse_machine_datetime(value)
    if parsed is None:
        fail(f"--since: not a time or an age: {value!r} (e.g. 2024-11-01, 24h, 7d)", EXIT_USAGE)
    return parsed.utc()


since_option = click.option(
    "--since",
    default=None,
    metavar="TIME",
    help="Only articles published (else fetched) at or after TIME: "
    "2024-11-01, an ISO time, or an age such as 24h or 7d.",
)


source_filter = click.option(
    "--source", "source_names", multiple=True, metavar="NAME", help="Only this source (repeatable)."
)


LOG_LEVELS = click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False)


Decorated = TypeVar("Decorated", bound=Callable[..., Any])


def settings_option(help_text: str = "Override a Scrapy setting (repeatable).") -> Callable[[Decorated], Decorated]:
    """``-s/--set NAME=VALUE`` (repeatable), as ``scrapy crawl -s``; the values land in ``overrides``."""
    return click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE", help=help_text)


def log_level_option(default: str, help_text: str | None = None) -> Callable[[Decorated], Decorated]:
    """``--log-level`` with the command's own default."""
    return click.option("--log-level", default=default, show_default=True, type=LOG_LEVELS, help=help_text)
