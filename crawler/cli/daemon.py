"""`akhbar schedule`: the scheduler daemon (scheduler.py)."""

from __future__ import annotations

import logging
import sys

import click

from crawler.cli.common import (
    EXIT_USAGE,
    SourcesError,
    crawl_settings,
    db_option,
    fail,
    load_sources,
    open_database,
    settings_option,
    sources_option,
)
from storage.db import resolve_db_url


@click.command()
@sources_option
@db_option
@click.option(
    "--time-limit",
    default=None,
    type=click.FloatRange(min=1),
    metavar="SECONDS",
    help="Kill a crawl that runs longer [default: AKHBAR_CRAWL_TIME_LIMIT, 1800].",
)
@click.option(
    "--grace",
    default=30.0,
    show_default=True,
    type=click.FloatRange(min=0),
    metavar="SECONDS",
    help="On SIGTERM/SIGINT, how long running crawls may finish before they are stopped.",
)
@settings_option("Scrapy setting passed to every crawl (repeatable).")
@click.option(
    "--metrics-port",
    default=None,
    type=click.IntRange(1, 65535),
    metavar="PORT",
    help="Serve Prometheus metrics on http://HOST:PORT/metrics (docs/monitoring.md).",
)
@click.option("--metrics-host", default="127.0.0.1", show_default=True, help="Address the metrics endpoint listens on.")
@click.option(
    "--redis",
    "redis_url",
    default=None,
    metavar="URL",
    help="Queue each source's due feeds in this Redis for `akhbar worker`s instead of crawling here.",
)
@click.option("--prefix", "redis_prefix", default="akhbar", show_default=True, help="Redis key prefix (with --redis).")
def schedule(
    sources_file: str,
    db_url: str | None,
    time_limit: float | None,
    grace: float,
    overrides: tuple[str, ...],
    metrics_port: int | None,
    metrics_host: str,
    redis_url: str | None,
    redis_prefix: str,
) -> None:
    """Run the scheduler daemon: each source crawled at its own interval, in child processes
    (with --redis: queued for the cluster's workers at its own interval)."""
    from scheduler import SchedulerConfig, run_daemon

    try:
        sources = load_sources(sources_file)
    except SourcesError as exc:
        fail(str(exc), EXIT_USAGE)
    db_url = resolve_db_url(db_url)
    engine = open_database(db_url, migrate=True)
    if redis_url:
        from crawler.cli.cluster import open_redis

        open_redis(redis_url, redis_prefix).close()
    if metrics_port is not None:
        from crawler.monitoring import serve_metrics

        try:
            serve_metrics(engine, metrics_port, metrics_host)
        except OSError as exc:
            fail(f"--metrics-port {metrics_port}: cannot listen on {metrics_host}: {exc.strerror or exc}", EXIT_USAGE)
        click.echo(f"metrics on http://{metrics_host}:{metrics_port}/metrics", err=True)
    else:
        engine.dispose()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s [%(name)s] %(levelname)s: %(message)s")
    limit = (
        time_limit
        if time_limit is not None
        else crawl_settings(db_url, sources_file, (), "WARNING").getfloat("AKHBAR_CRAWL_TIME_LIMIT")
    )
    crawl_args = tuple(arg for override in overrides for arg in ("-s", override))
    config = SchedulerConfig(
        sources_file, db_url, limit, grace, crawl_args, redis_url=redis_url, redis_prefix=redis_prefix
    )
    sys.exit(run_daemon(config, sources))
