"""Extraction coverage per source, and drift: the warning that an outlet changed its layout.

The dangerous failure is silent: a site changes its templates and akhbar keeps storing
articles, now without a time of day, without a byline, or with a body that is half navigation.
For each source, the share of new articles (by ingestion time) that have

* ``time``: a publication time of day (not only a date),
* ``byline``: a person's byline,
* ``body``: a body at least half the source's usual length (the median of the baseline),
* ``language``: the source's expected language,

is compared between the last day and the trailing baseline (14 days before it).  A field whose
share dropped by more than ``DRIFT_POINTS`` with at least ``DRIFT_MIN_ARTICLES`` articles on both
sides is drift; so is a day on which every page of a source that used to give articles failed
extraction (``extraction``).  Pure: rows in, numbers out.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

FIELDS = ("time", "byline", "body", "language")
DAY = timedelta(days=1)
BASELINE = timedelta(days=14)
DRIFT_POINTS = 0.30
DRIFT_MIN_ARTICLES = 10


@dataclass(frozen=True, slots=True)
class ArticleSample:
    """What coverage needs of one stored article."""

    source: str
    fetched_at: datetime
    has_time: bool
    has_byline: bool
    length: int
    language: str | None
    expected_language: str | None


@dataclass(slots=True)
class SourceCoverage:
    source: str
    day_articles: int = 0
    baseline_articles: int = 0
    day: dict[str, float | None] = field(default_factory=dict)  # field → share, None without articles
    baseline: dict[str, float | None] = field(default_factory=dict)
    usual_length: float | None = None
    drift: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "coverage": {f: {"day": self.day.get(f), "baseline": self.baseline.get(f)} for f in FIELDS},
            "articles": {"day": self.day_articles, "baseline": self.baseline_articles},
            "usual_length": self.usual_length,
            "drift": list(self.drift),
        }


@dataclass(slots=True)
class WindowCounts:
    """One source's articles in one window: how many, how many with each field, and body
    lengths (all of them, or a sample for a long baseline)."""

    articles: int = 0
    time: int = 0
    byline: int = 0
    language: int = 0
    lengths: list[int] = field(default_factory=list)


def _shares(counts: WindowCounts, usual_length: float | None) -> dict[str, float | None]:
    if not counts.articles:
        return dict.fromkeys(FIELDS)
    n = counts.articles
    body = (
        sum(usual_length is None or length >= usual_length / 2 for length in counts.lengths) / len(counts.lengths)
        if counts.lengths
        else None
    )
    return {
        "time": round(counts.time / n, 4),
        "byline": round(counts.byline / n, 4),
        "body": None if body is None else round(body, 4),
        "language": round(counts.language / n, 4),
    }


def coverage_from_counts(
    counts: dict[str, dict[str, WindowCounts]],
    failed_pages_day: dict[str, int] | None = None,
    sources: Iterable[str] = (),
) -> dict[str, SourceCoverage]:
    """Coverage and drift per source from per-window counts (``counts[source]["day"|"baseline"]``).

    ``failed_pages_day``: pages that gave no article in the last day, per source (a day on which
    every page failed has no articles at all, and is drift, not silence)."""
    failed = failed_pages_day or {}
    report = {}
    for name in sorted(set(counts) | set(failed) | set(sources)):
        today = counts.get(name, {}).get("day") or WindowCounts()
        before = counts.get(name, {}).get("baseline") or WindowCounts()
        lengths = before.lengths or today.lengths
        usual = float(statistics.median(lengths)) if lengths else None
        result = SourceCoverage(
            name, today.articles, before.articles, _shares(today, usual), _shares(before, usual), usual
        )
        if today.articles >= DRIFT_MIN_ARTICLES and before.articles >= DRIFT_MIN_ARTICLES:
            for f in FIELDS:
                was, now_share = result.baseline[f], result.day[f]
                if was is not None and now_share is not None and was - now_share > DRIFT_POINTS:
                    result.drift.append(f)
        if not today.articles and before.articles and failed.get(name, 0) >= DRIFT_MIN_ARTICLES:
            result.drift.append("extraction")
        report[name] = result
    return report


def source_coverage(
    samples: Iterable[ArticleSample],
    now: datetime,
    failed_pages_day: dict[str, int] | None = None,
    sources: Iterable[str] = (),
) -> dict[str, SourceCoverage]:
    """Coverage and drift per source from individual articles: the last day against the
    trailing baseline before it (see :func:`coverage_from_counts`)."""
    day_start, baseline_start = now - DAY, now - DAY - BASELINE
    counts: dict[str, dict[str, WindowCounts]] = {}
    for sample in samples:
        if sample.fetched_at < baseline_start:
            continue
        window = "day" if sample.fetched_at >= day_start else "baseline"
        tally = counts.setdefault(sample.source, {}).setdefault(window, WindowCounts())
        tally.articles += 1
        tally.time += sample.has_time
        tally.byline += sample.has_byline
        tally.language += sample.expected_language is None or sample.language == sample.expected_language
        tally.lengths.append(sample.length)
    return coverage_from_counts(counts, failed_pages_day, sources)
