"""Monitoring: `akhbar stats` (per-source health) and `akhbar runs` (recent crawl runs)."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime

import click

from crawler.cli.common import db_option, iso_utc, json_default, open_read_database, source_filter


@click.command()
@source_filter
@click.option("--json", "as_json", is_flag=True, help="One JSON document on stdout (for monitoring).")
@click.option(
    "--prometheus",
    is_flag=True,
    help="Print the Prometheus metrics once (text exposition), e.g. for node_exporter's textfile collector.",
)
@db_option
def stats(source_names: tuple[str, ...], as_json: bool, prometheus: bool, db_url: str | None) -> None:
    """Per-source health: last success, last error, articles in 24 h / 7 days, delay, feeds, next
    poll, and extraction coverage (time, byline, body, language) of the last 24 h against the
    trailing 14 days; a field that dropped by more than 30 points is marked "layout changed?"."""
    from rich.console import Console
    from rich.table import Table

    from crawler.monitoring import coverage_report, exposition
    from crawler.sources.coverage import FIELDS
    from storage.health import age, duration, next_poll, source_health

    engine = open_read_database(db_url, source_names)
    if prometheus:
        click.echo(exposition(engine), nl=False)
        return
    report = source_health(engine, list(source_names))
    coverage = coverage_report(engine, names=list(source_names) or None)
    for row in report:
        row.update(
            coverage[row["source"]].as_dict()
            if row["source"] in coverage
            else {"coverage": {f: {"day": None, "baseline": None} for f in FIELDS}, "drift": []}
        )
    if as_json:
        click.echo(
            json.dumps(
                {"generated_at": datetime.now(UTC), "sources": report},
                ensure_ascii=False,
                default=json_default,
                indent=2,
            )
        )
        return
    table = Table(title="akhbar sources", title_justify="left")
    for column in (
        "source",
        "last success",
        "last error",
        "24 h",
        "7 days",
        "median delay",
        "feeds",
        "next poll",
        "coverage 24 h (14 d)",
    ):
        table.add_column(column, overflow="fold")
    for row in report:
        error = row["last_error"]
        delay = row["median_delay_seconds"]  # publication → ingestion
        table.add_row(
            row["source"],
            age(row["last_success"]),
            "—" if error is None else f"{age(error['at'])}: {error['reason']}",
            str(row["articles_24h"]),
            str(row["articles_7d"]),
            duration(delay),
            ", ".join(f"{k}: {v}" for k, v in sorted(row["feeds"].items())),
            next_poll(row["next_poll"]),
            coverage_cell(row["coverage"], row["drift"]),
        )
    Console(file=sys.stdout, width=180).print(table)


def coverage_cell(coverage: dict[str, dict[str, float | None]], drift: list[str]) -> str:
    """``time 40% (95%) ⚠ layout changed?`` per field, for the stats table."""

    def pct(value: float | None) -> str:
        return "—" if value is None else f"{value * 100:.0f}%"

    lines = [
        f"{field} {pct(v['day'])} ({pct(v['baseline'])})" + (" ⚠ layout changed?" if field in drift else "")
        for field, v in coverage.items()
    ]
    if "extraction" in drift:
        lines.append("every page failed extraction ⚠ layout changed?")
    return "\n".join(lines)


@click.command()
@source_filter
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10000))
@click.option("--json", "as_json", is_flag=True, help="One JSON document on stdout.")
@db_option
def runs(source_names: tuple[str, ...], limit: int, as_json: bool, db_url: str | None) -> None:
    """Recent crawl runs, newest first."""
    from rich.console import Console
    from rich.table import Table

    from storage.health import recent_runs
    from storage.models import RUN_COUNTERS

    rows = recent_runs(open_read_database(db_url, source_names), list(source_names), limit)
    if as_json:
        click.echo(json.dumps({"runs": rows}, ensure_ascii=False, default=json_default, indent=2))
        return
    table = Table(title="akhbar runs", title_justify="left")
    columns = (
        "id",
        "source",
        "started_at",
        "finished_at",
        "status",
        *RUN_COUNTERS,
        "worker",
    )
    for column in columns:
        table.add_column(column.replace("_", " "), overflow="fold")
    for row in rows:
        table.add_row(
            *(
                iso_utc(row[c]) if isinstance(row[c], datetime) else str(row[c] if row[c] is not None else "—")
                for c in columns
            )
        )
    Console(file=sys.stdout, width=200).print(table)
