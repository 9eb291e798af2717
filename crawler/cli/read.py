"""The read commands: `akhbar export`, `search`, `articles` and `show`."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from datetime import datetime

import click

from crawler.cli.common import (
    EXIT_NOT_FOUND,
    EXIT_USAGE,
    article_record,
    db_option,
    fail,
    iso_utc,
    json_default,
    open_read_database,
    parse_since,
    since_option,
    source_filter,
)


@click.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]), default="jsonl", show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Write here instead of stdout (required for parquet).",
)
@source_filter
@since_option
@click.option(
    "--after", default=None, metavar="CURSOR", help="Only rows added after the cursor printed by an earlier export."
)
@click.option(
    "--follow", is_flag=True, help="Keep running: write each article as its batch commits, until SIGTERM or Ctrl-C."
)
@click.option(
    "--poll",
    default=1.0,
    show_default=True,
    type=click.FloatRange(0.05, 3600),
    help="--follow: seconds between looks on SQLite (PostgreSQL is woken by NOTIFY).",
)
@click.option(
    "--to", default=None, metavar="redis://HOST:PORT[/DB]/STREAM", help="--follow: XADD to this Redis stream."
)
@click.option(
    "--maxlen", default=100_000, show_default=True, type=click.IntRange(1), help="--to: keep about this many."
)
@db_option
def export(
    fmt: str,
    output: str | None,
    source_names: tuple[str, ...],
    since: str | None,
    after: str | None,
    follow: bool,
    poll: float,
    to: str | None,
    maxlen: int,
    db_url: str | None,
) -> None:
    """Export articles (schema: docs/schema.md); prints `cursor: VALUE` on stderr at the end.

    With --follow, keeps writing the articles as they are committed (to stdout, or to a Redis
    stream with --to) and, on SIGTERM or Ctrl-C, flushes, prints the cursor and exits 0."""
    from crawler.cli.writers import write_export
    from storage.queries import CursorError, export_rows

    if fmt == "parquet" and not output:
        fail("parquet needs -o FILE", EXIT_USAGE)
    if to and not follow:
        fail("--to needs --follow", EXIT_USAGE)
    engine = open_read_database(db_url, source_names)
    if follow:
        from crawler.cli.follow import run_follow

        if output:
            fail("--follow writes to stdout or --to, not -o", EXIT_USAGE)
        run_follow(engine, fmt, source_names, parse_since(since), after, poll, to, maxlen)
        return
    try:
        count, rows, cursor = export_rows(engine, source_names, parse_since(since), after)
    except CursorError as exc:
        fail(str(exc), EXIT_USAGE)
    records = (article_record(article, name) for article, name in rows)
    written = write_export(records, fmt, output, count, progress=count >= PROGRESS_MIN_ROWS)
    click.echo(f"exported {written} articles", err=True)
    click.echo(f"cursor: {cursor}", err=True)


PROGRESS_MIN_ROWS = 2000


@click.command()
@click.argument("query")
@source_filter
@since_option
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per hit instead of a table.")
@db_option
def search(
    query: str, source_names: tuple[str, ...], since: str | None, limit: int, as_json: bool, db_url: str | None
) -> None:
    """Full-text search with Arabic normalisation (hamza forms, diacritics, tatweel, ة/ه, ى/ي)."""
    from crawler.text.arabic import search_key
    from crawler.text.snippets import snippet
    from storage.queries import search as run_search

    engine = open_read_database(db_url, source_names)
    query_key = search_key(query)
    hits = run_search(
        engine, query_key, source_names, parse_since(since), limit, lambda text: snippet(text, query_key, search_key)
    )
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


@click.command()
@source_filter
@since_option
@click.option("--limit", default=30, show_default=True, type=click.IntRange(1, 10000))
@db_option
def articles(source_names: tuple[str, ...], since: str | None, limit: int, db_url: str | None) -> None:
    """List the newest articles as a table."""
    from rich.console import Console
    from rich.table import Table

    from storage.queries import list_articles

    engine = open_read_database(db_url, source_names)
    table = Table(title="articles", title_justify="left")
    for column in ("id", "published (UTC)", "source", "title", "author", "copy of"):
        table.add_column(column, overflow="fold")
    for article, name in list_articles(engine, source_names, parse_since(since), limit):
        table.add_row(
            str(article.id),
            iso_utc(article.published_at) or "—",
            name,
            article.title or "",
            article.author or "",
            str(article.duplicate_of or ""),
        )
    Console(file=sys.stdout, width=160).print(table)


@click.command()
@click.argument("ref", metavar="ID|URL")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document instead of text.")
def show(ref: str, db_url: str | None, as_json: bool) -> None:
    """Show one article: every field, the URLs that lead to it, its copies, its story's other
    articles, its crawl run."""
    from sqlalchemy.orm import Session

    from crawler.text.urls import url_key
    from storage.repository import article_details, find_article

    engine = open_read_database(db_url)
    with Session(engine) as session:
        article = (
            find_article(session, article_id=int(ref))
            if ref.isdigit() and len(ref) <= 18
            else find_article(session, url_key=url_key(ref))
        )
        if article is None:
            fail(f"no article {ref!r}", EXIT_NOT_FOUND)
        details = article_details(session, article)
        record = (
            article_record(article, details["source"])
            | {key: getattr(article, key) for key in ("crawl_run_id", "content_hash", "feed_guid")}
            | {k: details[k] for k in ("aliases", "copies", "series", "story", "crawl_run")}
        )
    if as_json:
        click.echo(json.dumps(record, ensure_ascii=False, default=json_default, indent=2))
        return
    text = record.pop("text")
    for key, value in record.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            click.echo(f"{key}:")
            for entry in value:
                click.echo(
                    "  - "
                    + ", ".join(f"{k}={json_default(v) if isinstance(v, datetime) else v}" for k, v in entry.items())
                )
        else:
            shown = json.dumps(value, ensure_ascii=False, default=json_default) if not isinstance(value, str) else value
            click.echo(f"{key}: {shown}")
    click.echo(f"text:\n{text}")
