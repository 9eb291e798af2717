"""A progress display on stderr for long crawls (backfill): pages fetched, articles stored,
duplicates, failures, driven by Scrapy signals."""

from __future__ import annotations

import sys
from typing import Any

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from scrapy import signals


class CrawlProgress:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=Console(file=sys.stderr),
            transient=False,
        )
        self.task = self.progress.add_task("starting")
        self.counts = {"pages": 0, "stored": 0, "dropped": 0}

    def __enter__(self) -> CrawlProgress:
        self.crawler.signals.connect(self._response, signal=signals.response_received)
        self.crawler.signals.connect(self._stored, signal=signals.item_scraped)
        self.crawler.signals.connect(self._dropped, signal=signals.item_dropped)
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._update()
        self.progress.stop()

    def _update(self) -> None:
        c = self.counts
        self.progress.update(
            self.task,
            description=(
                f"{c['pages']} pages fetched, {c['stored']} articles stored, {c['dropped']} skipped (duplicates, too short)"
            ),
        )

    def _response(self, **_: Any) -> None:
        self.counts["pages"] += 1
        self._update()

    def _stored(self, **_: Any) -> None:
        self.counts["stored"] += 1
        self._update()

    def _dropped(self, **_: Any) -> None:
        self.counts["dropped"] += 1
        self._update()
