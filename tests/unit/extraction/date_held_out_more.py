"""A second held-out set of date pages, in the Joomla and WordPress/Jannah styles of
byline_held_out, written after the first held-out fixes: other labels, zones, month names and
arrangements.  First run: 22 of 24.  The misses: "العدد الورقي 8123 بتاريخ 7 فبراير 2025" above
the headline (a print issue's word the edition labels lacked: الورقي now marks an edition).
24 of 24 after.

Each case: (class, dateline, extra parts: head, above the headline; zone, fetch time, expected
local publication time).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from tests.unit.extraction.byline_held_out import THIRD_STYLES

STYLES = THIRD_STYLES


def page(style, dateline: str, parts: dict[str, str]) -> bytes:  # type: ignore[no-untyped-def]
    """The page of a case, with the markup said to stand above the headline put there."""
    parts = dict(parts)
    above = parts.pop("above", "")
    built: bytes = style(dateline, **parts)
    if not above:
        return built
    anchor = b"<h1" if b"<h1" in built else b"<div class='page-header'>"
    return built.replace(anchor, above.encode() + anchor, 1)


K = ZoneInfo("Asia/Kuwait")
R = ZoneInfo("Africa/Casablanca")
T = ZoneInfo("Africa/Tunis")
D = ZoneInfo("Asia/Damascus")
C = ZoneInfo("Africa/Cairo")
F = datetime(2025, 2, 8, 9, 0, tzinfo=UTC)


def ld(**fields: str) -> str:
    return (
        '<script type="application/ld+json">'
        + json.dumps({"@type": "NewsArticle", "headline": "x", **fields})
        + "</script>"
    )


HELD_OUT: list[tuple[str, str, dict[str, str], ZoneInfo, datetime, datetime]] = [
    (
        "time element with offset",
        "<dd class='published'><time datetime='2025-02-06T13:45:00+03:00' itemprop='datePublished'>06 فبراير 2025</time></dd><dd class='modified'>آخر تعديل: 07 فبراير 2025</dd>",
        {},
        K,
        F,
        datetime(2025, 2, 6, 13, 45),
    ),
    (
        "relative shown, jsonld time",
        "<span class='date meta-item'>منذ 3 أيام</span>",
        {"head": ld(datePublished="2025-02-05T10:00:00+03:00")},
        K,
        F,
        datetime(2025, 2, 5, 10, 0),
    ),
    (
        "label table, modified first",
        "<table><tr><td>تاريخ آخر تحديث</td><td>2025-02-07 08:00</td></tr><tr><td>تاريخ النشر</td><td>2025-02-06 13:45</td></tr></table>",
        {},
        K,
        F,
        datetime(2025, 2, 6, 13, 45),
    ),
    ("GMT time", "06 فبراير 2025 13:45 بتوقيت غرينتش", {}, K, F, datetime(2025, 2, 6, 16, 45)),
    (
        "Moroccan month",
        "الخميس 6 نونبر 2025 - 13:45",
        {},
        R,
        datetime(2025, 11, 8, 9, 0, tzinfo=UTC),
        datetime(2025, 11, 6, 13, 45),
    ),
    ("Tunisian month, على الساعة", "الخميس 6 جانفي 2025 على الساعة 13:45", {}, T, F, datetime(2025, 1, 6, 13, 45)),
    ("Levantine dual month", "6 شباط/فبراير 2025 | 13:45", {}, D, F, datetime(2025, 2, 6, 13, 45)),
    ("English PM on Arabic page", "Feb 6, 2025 1:45 PM", {}, C, F, datetime(2025, 2, 6, 13, 45)),
    ("Arabic-Indic with م", "نشر في: الخميس، ٦ فبراير ٢٠٢٥ - ١:٤٥ م", {}, C, F, datetime(2025, 2, 6, 13, 45)),
    (
        "breaking ticker above",
        "06 فبراير 2025 - 13:45",
        {"above": "<div class='ticker'>عاجل | 08 فبراير 2025 09:00 | انقطاع الكهرباء في العاصمة</div>"},
        C,
        F,
        datetime(2025, 2, 6, 13, 45),
    ),
    (
        "print issue with بتاريخ",
        "06 فبراير 2025 - 23:10",
        {"above": "<p class='issue'>العدد الورقي 8123 بتاريخ 7 فبراير 2025</p>"},
        K,
        F,
        datetime(2025, 2, 6, 23, 10),
    ),
    (
        "updated label after the date",
        "06/02/2025 13:45 (آخر تحديث 07/02/2025 08:00)",
        {},
        K,
        F,
        datetime(2025, 2, 6, 13, 45),
    ),
]
