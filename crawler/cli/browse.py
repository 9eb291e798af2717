"""`akhbar browse`: the SQLite database in Datasette."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from crawler.cli.common import EXIT_USAGE, db_option, fail, open_read_database
from storage.db import resolve_db_url


@click.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(1, 65535))
def browse(db_url: str | None, host: str, port: int) -> None:
    """Browse the SQLite database in Datasette, opening on the operators' dashboards
    (/-/dashboards/akhbar: articles per hour, failures by reason, delay, extraction coverage,
    syndicated copies) with facets on the articles table.  Needs the extra: pip install -r
    requirements-browse.txt.

    PostgreSQL: Datasette reads SQLite only; import docs/grafana-dashboard.json into Grafana
    (a PostgreSQL data source on the akhbar database) for the same panels."""
    import importlib.util

    from sqlalchemy.engine import make_url

    from crawler.cli.datasette import datasette_metadata

    url = make_url(resolve_db_url(db_url))
    if url.get_backend_name() != "sqlite" or not url.database:
        fail(
            "browse works on the SQLite database only (PostgreSQL: docs/grafana-dashboard.json for Grafana, or psql)",
            EXIT_USAGE,
        )
    if importlib.util.find_spec("datasette") is None:
        fail("Datasette is not installed: pip install -e '.[browse]' (or -r requirements-browse.txt)", EXIT_USAGE)
    open_read_database(db_url).dispose()
    path = Path(url.database)
    metadata = path.with_name(f"{path.stem}.datasette.json")  # rewritten at every start
    metadata.write_text(json.dumps(datasette_metadata(path.stem), ensure_ascii=False), encoding="utf-8")
    click.echo(
        f"serving {path} on http://{host}:{port}/ — dashboards: http://{host}:{port}/-/dashboards/akhbar "
        "(Ctrl-C to stop)",
        err=True,
    )
    command = [
        sys.executable,
        "-m",
        "datasette",
        "serve",
        str(path),
        "--metadata",
        str(metadata),
        "--host",
        host,
        "--port",
        str(port),
        "--setting",
        "sql_time_limit_ms",
        "5000",
    ]
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, command)  # Datasette takes over this process: signals reach it directly
