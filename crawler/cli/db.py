"""`akhbar db upgrade`: schema migrations."""

from __future__ import annotations

import click

from crawler.cli.common import db_option, open_database
from storage.db import mask_url


@click.group(name="db")
def db_group() -> None:
    """Database maintenance."""


@db_group.command()
@db_option
def upgrade(db_url: str | None) -> None:
    """Apply the schema migrations (creates the database if it is new)."""
    engine = open_database(db_url, migrate=True)
    click.echo(f"database {mask_url(str(engine.url.render_as_string(False)))} is at the latest schema")
