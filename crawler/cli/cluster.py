"""`akhbar worker`, `akhbar enqueue` and `akhbar cluster status`: crawling on several machines
(crawler.cluster; docs/cluster.md)."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from crawler.cli.common import (
    EXIT_CRAWL_FAILED,
    EXIT_DATABASE,
    EXIT_USAGE,
    SourcesError,
    crawl_settings,
    db_option,
    fail,
    load_sources,
    log_level_option,
    open_database,
    select_sources,
    settings_option,
    sources_option,
)
from storage.db import resolve_db_url

redis_option = click.option(
    "--redis",
    "redis_url",
    envvar="AKHBAR_REDIS_URL",
    show_envvar=True,
    required=True,
    metavar="URL",
    help="The cluster's Redis, e.g. redis://:PASSWORD@HOST:6379/0.",
)
prefix_option = click.option(
    "--prefix",
    default="akhbar",
    show_default=True,
    envvar="AKHBAR_REDIS_PREFIX",
    help="Prefix of every Redis key (one cluster per prefix).",
)


def open_redis(redis_url: str, prefix: str, worker: str | None = None) -> Any:
    """A checked link to Redis; one line and exit 3 when it does not answer."""
    from crawler.cluster.connection import RedisLink, RedisUnavailable

    try:
        link = RedisLink(redis_url, prefix, worker)
        link.check()
    except RedisUnavailable as exc:
        fail(str(exc), EXIT_DATABASE)
    except ValueError as exc:  # not a redis:// URL
        fail(f"--redis: {exc}", EXIT_USAGE)
    return link


def worker_settings(settings: Any, redis_url: str, prefix: str, name: str) -> Any:
    settings.set("AKHBAR_REDIS_URL", redis_url, priority="cmdline")
    settings.set("AKHBAR_REDIS_PREFIX", prefix, priority="cmdline")
    settings.set("AKHBAR_WORKER_NAME", name, priority="cmdline")
    return settings


@click.command()
@redis_option
@db_option
@sources_option
@prefix_option
@click.option(
    "--name", default=None, help="This worker's id in the database and in `cluster status` [default: HOST:PID]."
)
@settings_option()
@log_level_option("INFO")
def worker(
    redis_url: str,
    db_url: str | None,
    sources_file: str,
    prefix: str,
    name: str | None,
    overrides: tuple[str, ...],
    log_level: str,
) -> None:
    """Take feed, sitemap and article fetches from Redis and store the articles, until SIGTERM.

    Idles while the queue is empty.  SIGTERM or Ctrl-C: finishes the downloads it holds, gives
    back what it has not started, and exits 0 (a second signal stops at once; what it held is
    then done by another worker after the visibility timeout).
    """
    from crawler.cli.crawl import run_crawl
    from crawler.cluster.connection import default_worker_name

    try:
        load_sources(sources_file)
    except SourcesError as exc:
        fail(str(exc), EXIT_USAGE)
    db_url = resolve_db_url(db_url)
    open_database(db_url, migrate=True).dispose()
    name = name or default_worker_name()
    open_redis(redis_url, prefix, name).close()
    settings = worker_settings(crawl_settings(db_url, sources_file, overrides, log_level), redis_url, prefix, name)
    click.echo(f"akhbar worker {name}: waiting for work (SIGTERM or Ctrl-C to stop)", err=True)
    stats = run_crawl(settings, sources_file, [])
    reason = stats.get("finish_reason")
    click.echo(
        f"akhbar worker {name}: stopped ({reason}); requests finished: {stats.get('cluster/acked', 0)}, "
        f"articles stored: {stats.get('store/inserted', 0)}",
        err=True,
    )
    if reason == "database_unavailable" or stats.get("store/failed"):
        fail("the database went away: the requests held are done again by another worker", EXIT_DATABASE)
    if reason not in ("shutdown", "finished"):
        fail(f"worker ended early: {reason}", EXIT_CRAWL_FAILED)


@click.command()
@redis_option
@db_option
@sources_option
@prefix_option
@click.option("--source", "source_names", multiple=True, metavar="NAME", help="Only this source (repeatable).")
@click.option("--due", is_flag=True, help="Only sources (and feeds) whose next poll time has come: for cron.")
def enqueue(
    redis_url: str, db_url: str | None, sources_file: str, prefix: str, source_names: tuple[str, ...], due: bool
) -> None:
    """Queue the sources' feeds and sitemaps for the workers, and exit (the cron form)."""
    from crawler.cluster.connection import RedisDown
    from crawler.cluster.enqueue import enqueue_sources

    try:
        sources = select_sources(load_sources(sources_file), source_names)
    except SourcesError as exc:
        fail(str(exc), EXIT_USAGE)
    engine = open_database(resolve_db_url(db_url), migrate=True)
    link = open_redis(redis_url, prefix)
    try:
        result = enqueue_sources(link, engine, sources_file, sources, due)
    except RedisDown:
        fail("Redis went away while queueing: run the command again", EXIT_DATABASE)
    finally:
        engine.dispose()
        link.close()
    for name, holder in result.busy.items():
        click.echo(f"akhbar: skipped {name}: being crawled by {holder}", err=True)
    if due and result.not_due:
        click.echo(f"akhbar: not due: {len(result.not_due)} source(s)", err=True)
    click.echo(
        f"akhbar: queued {result.queued} feed(s) and sitemap(s); {result.already_queued} already queued "
        "or being fetched",
        err=True,
    )


@click.group("cluster")
def cluster_group() -> None:
    """Look at the cluster's queue and workers."""


@cluster_group.command("status")
@redis_option
@prefix_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object (queued, in_flight, workers, ...).")
def status(redis_url: str, prefix: str, as_json: bool) -> None:
    """Queue length, requests in flight per worker, workers alive and Redis memory."""
    from crawler.cluster.status import cluster_status

    link = open_redis(redis_url, prefix)
    try:
        report = cluster_status(link)
    finally:
        link.close()
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    console = Console(file=sys.stdout, width=120)
    console.print(
        f"queued: {report['queued']}   in flight: {report['in_flight_total']}   "
        f"Redis memory: {report['redis_memory_bytes'] / 1e6:.1f} MB"
    )
    table = Table("worker", "host", "pid", "last seen", "in flight", "requests finished")
    for w in report["workers"]:
        table.add_row(
            w["name"],
            w["host"] or "",
            str(w["pid"]),
            f"{w['seconds_since_seen']:.0f} s ago",
            str(w["in_flight"]),
            str(w["requests_finished"]),
        )
    console.print(table)
    for name, count in report["in_flight_of_gone_workers"].items():
        console.print(
            f"[yellow]{name}: no heartbeat, {count} request(s) in flight: taken over after the "
            "visibility timeout[/yellow]"
        )
    if not report["workers"]:
        console.print("no worker alive")
