"""The ``akhbar`` command line: one module per command group.

Exit codes (for cron and scripts):
  0  the command ran (a crawl with some failed pages or feeds still exits 0)
  1  the crawl itself did not finish normally
  2  bad usage or a bad sources file
  3  the database cannot be reached or migrated
  4  the thing asked for (an article) does not exist
"""

from __future__ import annotations

import logging
import os

import click

from crawler import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="akhbar")
def main() -> None:
    """akhbar: crawl Arabic news feeds into a clean, de-duplicated SQL database."""


def entry_point() -> None:
    logging.captureWarnings(True)
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    main()


def _register() -> None:
    from crawler.cli import browse, crawl, db, health, read, schedule, sources

    for command in (crawl.crawl, crawl.extract, read.export, read.search, read.articles, read.show,
                    browse.browse, crawl.backfill, schedule.schedule, health.stats, health.runs,
                    sources.sources_group, db.db_group):
        main.add_command(command)


_register()
