"""Monitoring: extraction coverage from the database, and the Prometheus metrics.

Every value is read from the database when it is asked for (a scrape of ``/metrics``, or
``akhbar stats --prometheus``), so the counters are right after restarts and the same whichever
process serves them.  Metric names and meanings are documented in docs/monitoring.md.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from crawler.sources.coverage import BASELINE, DAY, FIELDS, SourceCoverage, WindowCounts, coverage_from_counts

DELAY_WINDOW = timedelta(hours=24)


def coverage_report(
    engine: Any, now: datetime | None = None, names: list[str] | None = None
) -> dict[str, SourceCoverage]:
    """Coverage and drift per source (see :mod:`crawler.sources.coverage`), from aggregate
    queries: the counts of each window, and body lengths of the day and of a baseline sample."""
    from storage.health import coverage_counts, coverage_lengths, failed_pages_since

    now = now or datetime.now(UTC)
    day_start, baseline_start = now - DAY, now - DAY - BASELINE
    counts: dict[str, dict[str, WindowCounts]] = {}
    for name, window, articles, with_time, with_byline, in_language in coverage_counts(
        engine, day_start, baseline_start
    ):
        if not names or name in names:
            counts.setdefault(name, {})[window] = WindowCounts(
                int(articles), int(with_time or 0), int(with_byline or 0), int(in_language or 0)
            )
    for name, window, length in coverage_lengths(engine, day_start, baseline_start):
        if name in counts and window in counts[name]:
            counts[name][window].lengths.append(length)
    failed = {k: v for k, v in failed_pages_since(engine, day_start).items() if not names or k in names}
    return coverage_from_counts(counts, failed, names or ())


class AkhbarCollector:
    """A prometheus-client collector that reads the database at each scrape."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine

    def collect(self) -> Iterator[Any]:
        from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

        from storage.health import ingest_delays, monitoring_counters, source_health

        now = datetime.now(UTC)
        counters = monitoring_counters(self.engine)
        health = {row["source"]: row for row in source_health(self.engine)}
        coverage = coverage_report(self.engine, now)
        delays = ingest_delays(self.engine, now - DELAY_WINDOW)

        stored = CounterMetricFamily(
            "akhbar_articles_stored", "Articles stored (rows in the database).", labels=["source"]
        )
        copies = CounterMetricFamily(
            "akhbar_copies_linked",
            "Stored articles linked as copies of another outlet's original (duplicate_of).",
            labels=["source"],
        )
        duplicates = CounterMetricFamily(
            "akhbar_duplicates",
            "Articles the crawls found already stored (URL variants, the same body).",
            labels=["source"],
        )
        failed = CounterMetricFamily(
            "akhbar_pages_failed", "Article pages that gave no article, by reason.", labels=["source", "reason"]
        )
        fetches = CounterMetricFamily(
            "akhbar_feed_fetches", "Feed and sitemap fetches by outcome.", labels=["source", "status"]
        )
        last_success = GaugeMetricFamily(
            "akhbar_source_last_success_timestamp_seconds",
            "End of the source's last successful crawl (Unix time).",
            labels=["source"],
        )
        next_poll = GaugeMetricFamily(
            "akhbar_source_next_poll_timestamp_seconds",
            "When the source's next feed is due (Unix time).",
            labels=["source"],
        )
        delay = GaugeMetricFamily(
            "akhbar_ingest_delay_seconds",
            "Median delay from publication to storage of the articles stored in the last 24 h.",
            labels=["source"],
        )
        ratio = GaugeMetricFamily(
            "akhbar_extraction_coverage_ratio",
            "Share of the articles stored in the last 24 h with the field (time, byline, body, language).",
            labels=["source", "field"],
        )
        drift = GaugeMetricFamily(
            "akhbar_extraction_drift",
            "1 when a field's coverage dropped by more than 30 points against the 14-day baseline (layout changed?).",
            labels=["source", "field"],
        )
        running = GaugeMetricFamily("akhbar_crawl_running", "Crawls of the source running now.", labels=["source"])
        for name in sorted(counters):
            values = counters[name]
            stored.add_metric([name], values["articles"])
            copies.add_metric([name], values["copies"])
            duplicates.add_metric([name], values["duplicates"])
            for reason, count in sorted(values["failures"].items()):
                failed.add_metric([name, reason], count)
            for status in ("ok", "not_modified", "failed"):
                fetches.add_metric([name, status], values["fetches"].get(status, 0))
            running.add_metric([name], values["running"])
            row = health.get(name, {})
            if row.get("last_success") is not None:
                last_success.add_metric([name], row["last_success"].timestamp())
            if row.get("next_poll") is not None:
                next_poll.add_metric([name], row["next_poll"].timestamp())
            if delays.get(name):
                delay.add_metric([name], statistics.median(delays[name]))
            report = coverage.get(name)
            for field in FIELDS:
                share = report.day.get(field) if report else None
                if share is not None:
                    ratio.add_metric([name, field], share)
                drift.add_metric([name, field], 1.0 if report and field in report.drift else 0.0)
            drift.add_metric([name, "extraction"], 1.0 if report and "extraction" in report.drift else 0.0)
        yield from (stored, copies, duplicates, failed, fetches, last_success, next_poll, delay, ratio, drift, running)


def registry_for(engine: Any) -> Any:
    from prometheus_client import CollectorRegistry

    registry = CollectorRegistry(auto_describe=False)
    registry.register(AkhbarCollector(engine))
    return registry


def exposition(engine: Any) -> str:
    """The Prometheus text exposition of every metric, once (``akhbar stats --prometheus``)."""
    from prometheus_client import generate_latest

    return generate_latest(registry_for(engine)).decode("utf-8")


def serve_metrics(engine: Any, port: int, host: str = "127.0.0.1") -> Any:
    """Serve ``/metrics`` on ``host:port`` from a background thread; returns the server."""
    from prometheus_client import start_http_server

    server, _thread = start_http_server(port, addr=host, registry=registry_for(engine))
    return server
