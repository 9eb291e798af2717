"""One count, twice: in total and for its source (``source/NAME/KEY``), as ``crawl_runs`` and the
summary table read them."""

from __future__ import annotations

from scrapy.statscollectors import StatsCollector


def count(stats: StatsCollector, source: str, key: str, n: int = 1) -> None:
    stats.inc_value(key, n)
    stats.inc_value(f"source/{source}/{key.split('/')[-1]}", n)
