"""Metadata decided from all its evidence: akhbar beside trafilatura on the labelled fixture pages
of each class of issue #25 (the pages the tests build, each class in two CMS styles and regions).

    .venv/bin/python bench/evidence.py

Prints, per class, how many pages each gets right: the publication day and minute (in the
source's zone) for the date classes, the byline (the list of people, or none) for the byline
classes.  trafilatura is run as a user would: ``bare_extraction(..., with_metadata=True)``; it
gives the day only, so its minute column is empty.  The pages are written after common
arrangements, not saved from outlets: they measure the rules on their classes, not on the web.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import trafilatura

from crawler.extraction.article import extract_article
from tests.unit.extraction import byline_held_out, date_held_out_more
from tests.unit.extraction import date_held_out as held_out
from tests.unit.extraction import test_author_evidence as authors
from tests.unit.extraction import test_date_evidence as dates

Case = tuple[str, bytes, str, datetime, object, datetime]  # class, page, url, fetched, zone, expected


def date_cases() -> Iterator[Case]:
    url, fetched = dates.URL, dates.FETCHED
    for style in dates.STYLES:
        for dateline, tz, expected in dates.LABEL_SPLIT.values():
            yield "a modification label in its own element", style(dateline), url, fetched, tz, expected
        for embed, after, tz, (day, hour, minute) in dates.EMBEDS.values():
            page = style("منذ 3 ساعات", inside=embed, after=f'<div class="post-date">{after}</div>')
            yield "dates inside embedded posts", page, url, fetched, tz, datetime(2025, 3, day, hour, minute)
        for relative, absolute, tz, expected in (
            ("منذ 5 ساعات", "نُشر في 12-03-2025 الساعة 07:40", dates.CAIRO, datetime(2025, 3, 12, 7, 40)),
            ("قبل ساعتين", "تاريخ النشر: 12 آذار 2025 - 11:20", dates.BEIRUT, datetime(2025, 3, 12, 11, 20)),
        ):
            page = style(relative, after=f'{dates.RELATED}<div class="date-line">{absolute}</div>')
            yield "relative by the headline, absolute after the body", page, url, fetched, tz, expected
        rebuild = dates.jsonld(datePublished=dates.REBUILD, dateModified=dates.REBUILD) + dates.meta(
            "og:updated_time", dates.REBUILD
        )
        yield (
            "a CMS rebuild time in the machine dates",
            style("الأحد 09 مارس 2025 - 10:30", head=rebuild),
            "https://akhbar.example.com/news/2025/03/09/book-fair",
            dates.AFTER_REBUILD,
            dates.RIYADH,
            datetime(2025, 3, 9, 10, 30),
        )
        other_meta = (
            dates.meta("article:published_time", "2025-11-30T02:00:00Z")
            + dates.meta("article:modified_time", "2025-11-30T02:00:00Z")
            + '<meta itemprop="datePublished" content="2025-03-09">'
        )
        page = style("2025/03/09 10:30", head=other_meta)
        yield (
            "a CMS rebuild time in the machine dates",
            page,
            url,
            dates.AFTER_REBUILD,
            dates.BAGHDAD,
            datetime(2025, 3, 9, 10, 30),
        )
        for head, same_clock, _true, tz, expected_utc in dates.FALSE_Z.values():
            local = expected_utc.replace(tzinfo=UTC).astimezone(tz).replace(tzinfo=None)
            yield "a false Z", style(same_clock, head=head), url, fetched, tz, local
        for name, (dateline, tz, expected) in dates.FORMATS.items():
            yield f"format: {name}", style(dateline), url, fetched, tz, expected
        for tag, tz in dates.EDITIONS.values():
            page = style("الأحد 09 مارس 2025 - 22:15", above=tag)
            yield "a print edition tag above the headline", page, url, fetched, tz, datetime(2025, 3, 9, 22, 15)


def byline_cases() -> Iterator[tuple[str, bytes, list[str]]]:
    for style in (authors.wordpress, authors.custom):
        for name, (byline, head, expected) in authors.CLASSES.items():
            yield name, style(byline, head), expected
        markup, expected = authors.AFTER_BODY["a writer card"]
        yield "a writer card", style("").replace(authors.BODY.encode(), (authors.BODY + markup).encode()), expected


def plain_trafilatura(page: bytes, url: str) -> dict:
    doc = trafilatura.bare_extraction(page.decode(), url=url, with_metadata=True)
    return doc.as_dict() if doc is not None else {}  # type: ignore[union-attr]


def score_date(
    rows: dict[str, list[int]], name: str, page: bytes, url: str, fetched: datetime, tz: Any, expected: datetime
) -> None:
    """akhbar's day and minute, trafilatura's day, on one page."""
    article = extract_article(url, page, fetched_at=fetched, default_tz=tz)
    got = article.published_at.astimezone(tz).replace(tzinfo=None) if article.published_at else None
    theirs = plain_trafilatura(page, url).get("date")
    day = expected.date()
    tally(rows, name, got is not None and got.date() == day, got == expected, theirs == day.isoformat())


def tally(rows: dict[str, list[int]], name: str, *hits: bool) -> None:
    counts = rows.setdefault(name, [0] * (len(hits) + 1))
    counts[0] += 1
    for i, hit in enumerate(hits, 1):
        counts[i] += int(hit)


def print_table(title: str, columns: list[str], rows: dict[str, list[int]]) -> None:
    print(f"\n{title}")
    print(f"{'class':52} {'pages':>5} " + " ".join(f"{c:>12}" for c in columns))
    total = [0] * (len(columns) + 1)
    for name, counts in rows.items():
        print(f"{name[:52]:52} {counts[0]:>5} " + " ".join(f"{n:>12}" for n in counts[1:]))
        total = [a + b for a, b in zip(total, counts, strict=True)]
    print(f"{'all':52} {total[0]:>5} " + " ".join(f"{n:>12}" for n in total[1:]))


def main() -> int:
    date_rows: dict[str, list[int]] = {}
    for name, page, url, fetched, tz, expected in date_cases():
        score_date(date_rows, name, page, url, fetched, tz, expected)
    print_table("publication time", ["akhbar day", "akhbar min", "trafil. day"], date_rows)
    held_rows: dict[str, list[int]] = {}
    for style in held_out.STYLES:
        for name, dateline, parts, tz, url, fetched, expected in held_out.HELD_OUT:
            score_date(held_rows, f"(Drupal, ASP.NET) {name}", style(dateline, **parts), url, fetched, tz, expected)
    for style in date_held_out_more.STYLES:
        for name, dateline, parts, tz, fetched, expected in date_held_out_more.HELD_OUT:
            page = date_held_out_more.page(style, dateline, parts)
            score_date(
                held_rows, f"(Joomla, Jannah) {name}", page, "https://alwatan.example.com/n/1", fetched, tz, expected
            )
    print_table("publication time, held-out pages", ["akhbar day", "akhbar min", "trafil. day"], held_rows)
    byline_rows: dict[str, list[int]] = {}
    url = "https://akhbar.example.com/news/1"
    for name, page, expected in byline_cases():
        article = extract_article(url, page, fetched_at=authors.FETCHED)
        theirs = plain_trafilatura(page, url).get("author")
        their_names = [n.strip() for n in theirs.split(";")] if theirs else []
        tally(byline_rows, name, article.authors == expected, their_names == expected)
    print_table("byline", ["akhbar", "trafilatura"], byline_rows)
    for title, styles, cases in (
        ("byline, held-out pages (Drupal, ASP.NET)", byline_held_out.STYLES, byline_held_out.HELD_OUT),
        ("byline, more held-out pages (Blogger, Next.js)", byline_held_out.MORE_STYLES, byline_held_out.HELD_OUT_MORE),
        ("byline, a third held-out set (Joomla, Jannah)", byline_held_out.THIRD_STYLES, byline_held_out.HELD_OUT_THIRD),
        ("byline, a fourth held-out set (AMP, Ghost)", byline_held_out.FOURTH_STYLES, byline_held_out.HELD_OUT_FOURTH),
        (
            "byline, a fifth held-out set (agency, old portal)",
            byline_held_out.FIFTH_STYLES,
            byline_held_out.HELD_OUT_FIFTH,
        ),
        ("byline, a sixth held-out set (Joomla, AMP)", byline_held_out.SIXTH_STYLES, byline_held_out.HELD_OUT_SIXTH),
    ):
        rows: dict[str, list[int]] = {}
        for style in styles:
            for name, byline, head, parts, expected in cases:
                page = style(byline, head=head, **parts)
                article = extract_article(url, page, fetched_at=authors.FETCHED)
                theirs = plain_trafilatura(page, url).get("author")
                their_names = [n.strip() for n in theirs.split(";")] if theirs else []
                tally(rows, name, article.authors == expected, their_names == expected)
        print_table(title, ["akhbar", "trafilatura"], rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
