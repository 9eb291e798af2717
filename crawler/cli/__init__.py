"""The ``akhbar`` command line: one module per command group.

Exit codes (for cron and scripts):
  0  the command ran (a crawl with some failed pages or feeds still exits 0)
  1  the crawl itself did not finish normally
  2  bad usage or a bad sources file
  3  the database cannot be reached or migrated
  4  the thing asked for (an article) does not exist
  5  a crawl in which every feed of every selected source failed
  70 an internal error (a bug): one line; AKHBAR_DEBUG=1 shows the traceback
  130 interrupted (Ctrl-C): one line, no half-written output file
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

import click

from crawler import __version__
from crawler.cli.common import EXIT_DATABASE, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_USAGE


class AkhbarGroup(click.Group):
    """The top-level group: whatever a command raises ends as one line on stderr and an exit code
    from the documented table, never as a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("akhbar: interrupted", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except BrokenPipeError:  # `akhbar export | head`: the reader has gone, nothing to say
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115  (no flush error at exit)
            ctx.exit(0)
        except Exception as exc:
            if os.environ.get("AKHBAR_DEBUG"):
                raise
            ctx.exit(report_failure(exc))


def report_failure(exc: Exception) -> int:
    """One line on stderr for an exception no command handled; its exit code."""
    from sqlalchemy.exc import SQLAlchemyError

    from crawler.logmask import mask_passwords

    if isinstance(exc, SQLAlchemyError):  # e.g. "database is locked" past the busy timeout
        reason = " ".join(str(getattr(exc, "orig", None) or exc).split())[:300]
        click.echo(f"akhbar: error: database: {mask_passwords(reason)}", err=True)
        return EXIT_DATABASE
    reason = mask_passwords(" ".join(str(exc).split())[:300])
    if isinstance(exc, OSError):  # an output path that cannot be written, a full disk...
        where = f"{exc.filename}: " if exc.filename else ""
        click.echo(f"akhbar: error: {where}{exc.strerror or reason}", err=True)
        return EXIT_USAGE
    click.echo(
        f"akhbar: error: internal error: {type(exc).__name__}: {reason} "
        "(AKHBAR_DEBUG=1 shows the traceback; please report it)",
        err=True,
    )
    return EXIT_INTERNAL


@click.group(cls=AkhbarGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="akhbar")
def main() -> None:
    """akhbar: crawl Arabic news feeds into a clean, de-duplicated SQL database."""


def entry_point() -> None:
    logging.captureWarnings(True)
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    main()


def _register() -> None:
    from crawler.cli import browse, cluster, crawl, daemon, db, dedup, read, sources, stats, stories

    for command in (
        crawl.crawl,
        crawl.extract,
        read.export,
        read.search,
        read.articles,
        read.show,
        browse.browse,
        crawl.backfill,
        daemon.schedule,
        stats.stats,
        stats.runs,
        sources.sources_group,
        db.db_group,
        dedup.dedup_group,
        stories.stories_group,
        cluster.worker,
        cluster.enqueue,
        cluster.cluster_group,
    ):
        main.add_command(command)


_register()
