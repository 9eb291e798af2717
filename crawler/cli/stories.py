"""`akhbar stories`: the events the outlets reported, and `akhbar stories rebuild`."""

from __future__ import annotations

import json
import sys

import click

from crawler.cli.common import (
    db_option,
    iso_utc,
    json_default,
    open_database,
    open_read_database,
    parse_since,
    since_option,
    source_filter,
)


@click.group("stories", invoke_without_command=True)
@source_filter
@since_option
@click.option(
    "--min-sources",
    default=1,
    show_default=True,
    type=click.IntRange(1),
    help="Only stories this many outlets reported.",
)
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10000))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per story instead of text.")
@db_option
@click.pass_context
def stories_group(
    ctx: click.Context,
    source_names: tuple[str, ...],
    since: str | None,
    min_sources: int,
    limit: int,
    as_json: bool,
    db_url: str | None,
) -> None:
    """List stories (newest report first): their outlets, who reported first and when, the titles.

    A story is the articles of several outlets (or one) reporting the same event; its id is the
    `story_id` of its articles (docs/schema.md)."""
    if ctx.invoked_subcommand is not None:
        return
    from sqlalchemy.orm import Session

    from storage.stories import list_stories

    engine = open_read_database(db_url, source_names)
    with Session(engine) as session:
        found = list_stories(session, parse_since(since), source_names, min_sources, limit)
    for row in found:
        story = row.story
        reports = [
            {"source": name, "reported_at": at, "article_id": article_id, "title": title}
            for name, at, article_id, title in row.outlets
        ]
        if as_json:
            record = {
                "story_id": story.id,
                "title": story.title,
                "first_reported_at": story.first_reported_at,
                "first_source": reports[0]["source"] if reports else None,
                "last_reported_at": story.last_reported_at,
                "articles": story.articles,
                "sources": story.sources,
                "reports": reports,
            }
            click.echo(json.dumps(record, ensure_ascii=False, default=json_default))
            continue
        first = reports[0] if reports else None
        click.echo(
            f"story {story.id}: {story.sources} outlets, {story.articles} articles; first "
            f"{first['source'] if first else '?'} at {iso_utc(story.first_reported_at) or '?'}"
        )
        click.echo(f"  {story.title or ''}")
        for name, at, article_id, title in row.outlets:
            click.echo(f"  - {iso_utc(at) or '?'}  {name}  [{article_id}] {title or ''}")
    if not found and not as_json:
        click.echo("no stories", err=True)


@stories_group.command("rebuild")
@since_option
@db_option
def rebuild(since: str | None, db_url: str | None) -> None:
    """Decide the stories of the stored articles again (those reported since TIME, else all),
    in order of report time, as the write path does; for rows stored before stories existed."""
    from crawler.writing.stories import rebuild_stories

    engine = open_database(db_url)
    show = sys.stderr.isatty()
    if show:
        from crawler.cli.writers import counted_progress

        with counted_progress() as bar:
            task = bar.add_task("stories", total=None)
            done = rebuild_stories(
                engine, parse_since(since), lambda n, total: bar.update(task, completed=n, total=total)
            )
    else:
        done = rebuild_stories(engine, parse_since(since))
    click.echo(f"stories decided for {done} articles", err=True)
