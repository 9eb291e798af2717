"""The dates printed on a page, each with its evidence: its role (the label before it: نشر is the
publication, تحديث a modification, "العدد 16423" a print edition's issue date) and its place
(before or after the headline, after the body, inside an embedded post or a related-news block).

Pure functions of the page's visible text (:func:`crawler.extraction.page.page_text`), which
marks embedded posts and related-news blocks with the private-use characters below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import NamedTuple

from crawler.extraction.arabic_dates import find_dates, prepare
from crawler.text.arabic import normalize_key
from crawler.text.timestamps import DateValue, plausible

FUTURE_SKEW = timedelta(hours=2)

# page_text wraps the text of a tweet, Facebook or Instagram post (EMBED) and of a related-news or
# most-read block (RELATED) in these: dates there belong to other posts and articles.
EMBED_START, EMBED_END = "\ue000", "\ue001"
RELATED_START, RELATED_END = "\ue002", "\ue003"
_MARKED_RE = re.compile(f"({EMBED_START}|{RELATED_START})[^{EMBED_END}{RELATED_END}]*[{EMBED_END}{RELATED_END}]?")
_MARK_PLACES = {EMBED_START: "embed", RELATED_START: "related"}
IGNORED_PLACES = frozenset(_MARK_PLACES.values())

# Characters of page text searched for dates before and after the headline.
HEADLINE_WINDOW_BEFORE = 400
HEADLINE_WINDOW_AFTER = 700
LABEL_LOOKBACK = 60  # a label this close before a date (and after the previous date) is its label

# Labels as prepare() spells them (hamza seats and ta marbuta folded, lower case).
_MODIFIED = (
    "تحديث",
    "التحديث",
    "محدث",
    "محدثه",
    "تعديل",
    "التعديل",
    "عدل",
    "معدل",
    "updated",
    "modified",
    "last update",
)
_PUBLISHED = ("نشر", "النشر", "نشرت", "منشور", "تاريخ الخبر", "الاضافه", "اضيف", "published", "posted")
_EDITION = (r"(?:العدد|عدد)\s*(?:رقم\s*|الورقي\s*)?[:\-–]?\s*\d+", "الطبعه", "الورقي", "الورقيه", r"issue\s*\d+")
_LABEL_RE = re.compile(
    rf"(?<![\w])(?:(?P<modified>{'|'.join(_MODIFIED)})|(?P<published>{'|'.join(_PUBLISHED)})"
    rf"|(?P<edition>{'|'.join(_EDITION)}))(?![\w])",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class PrintedDate:
    """A date printed on the page: its value, role (published, modified, edition), place
    (before-headline, after-headline, after-body, embed, related), distance from the headline in
    characters (those under it counted half: the usual place of a date line), its text, and how it
    was written (text, numeric, hijri, relative: see FoundDate)."""

    value: DateValue
    role: str
    place: str
    distance: int
    raw: str
    kind: str = "text"


# Words that may stand between a label and its date ("آخر تحديث: الأحد 09 مارس", "نشر في يوم ...");
# any other word means the label word belongs to something else (a headline ending "... تحديث
# نظام المرور" just above the date line).
_FILLER = frozenset(
    prepare(word)
    for word in ("في", "يوم", "بتاريخ", "تاريخ", "الساعة", "على", "on", "at", "الأحد", "الاثنين", "الإثنين")
    + ("الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "monday", "tuesday", "wednesday", "thursday")
    + ("friday", "saturday", "sunday")
)
_WORD_RE = re.compile(r"[^\W\d_]+")


def _role(prepared: str, start: int, floor: int) -> str:
    """The role the label just before ``start`` gives (after ``floor``, the previous date's end,
    with nothing but :data:`_FILLER` words between): published when there is none."""
    labels = list(_LABEL_RE.finditer(prepared, max(floor, start - LABEL_LOOKBACK), start))
    last = labels[-1] if labels else None
    if last is None or any(w not in _FILLER for w in _WORD_RE.findall(prepared, last.end(), start)):
        return "published"
    return last.lastgroup or "published"


def _marked(prepared: str) -> list[tuple[int, int, str]]:
    if EMBED_START not in prepared and RELATED_START not in prepared:
        return []
    return [(m.start(), m.end(), _MARK_PLACES[m.group(1)]) for m in _MARKED_RE.finditer(prepared)]


def printed_dates(
    text: str, default_tz: tzinfo | None, now: datetime, centre: int = 0, after: str = "after-headline"
) -> list[PrintedDate]:
    """Every plausible date in ``text`` with its role and place; ``centre`` is where the headline
    starts (dates before it are ``before-headline``, the others take the place ``after``)."""
    prepared = prepare(text)
    marked = _marked(prepared)
    found: list[PrintedDate] = []
    floor = 0
    for date in find_dates(prepared, default_tz, now, already_prepared=True):
        role = _role(prepared, date.start, floor)
        floor = date.end
        if not plausible(date.value, now, FUTURE_SKEW):
            continue
        place = next((kind for start, end, kind in marked if start <= date.start < end), None)
        if place is None:
            place = "before-headline" if date.start < centre else after
        distance = abs(date.start - centre) // (2 if date.start >= centre else 1)
        found.append(PrintedDate(date.value, role, place, distance, prepared[date.start : date.end], date.kind))
    return found


class HeadlineWindow(NamedTuple):
    """The page text around the headline (normalised), where the headline starts in it, and the
    window's bounds in the page text (near enough where the headline was found only normalised)."""

    text: str
    centre: int
    start: int
    end: int


def headline_window(text: str, title: str | None) -> HeadlineWindow | None:
    """The window of the page text around the headline, or None when the headline is not in it.
    Computed once a page: the dates by the headline and after it are both read from it."""
    if not title:
        return None
    # Find the headline in the raw text first (the usual case), so that only a window around it
    # is normalised; otherwise normalise the whole page text once.
    raw = " ".join(title.split())[:60]
    position = text.find(raw) if raw else -1
    if position >= 0:
        start = max(0, position - HEADLINE_WINDOW_BEFORE)
        end = position + len(raw) + HEADLINE_WINDOW_AFTER + 200
        return HeadlineWindow(normalize_key(text[start:end]), len(normalize_key(text[start:position])), start, end)
    folded = normalize_key(text)
    title_key = normalize_key(title)
    found_at = folded.find(title_key[:60]) if title_key else -1
    if found_at < 0:
        return None
    # normalize_key changes lengths a little; the window is generous enough for that.
    end = found_at + len(title_key) + HEADLINE_WINDOW_AFTER
    start = max(0, found_at - HEADLINE_WINDOW_BEFORE)
    return HeadlineWindow(folded[start:end], min(found_at, HEADLINE_WINDOW_BEFORE), start, end)


def headline_dates(
    text: str, window: HeadlineWindow | None, default_tz: tzinfo | None, now: datetime
) -> list[PrintedDate]:
    """The dates printed around the headline (``window`` of the page ``text``), the nearest first."""
    if window is None:
        return []
    found = printed_dates(window.text, default_tz, now, window.centre)
    if any(date.kind == "relative" for date in found):
        shown = _relative_lines(text[window.start : window.end])
        found = [d for d in found if d.kind != "relative" or any(d.raw in line for line in shown)]
    return sorted(found, key=lambda d: d.distance)


# A relative time is a date line ("منذ 3 ساعات" in an element of its own), not a word of the
# article's prose ("أقر المجلس مساء أمس ..."): its line of the page is this short.
RELATIVE_LINE_CHARS = 50
_RELATIVE_WORDS = ("منذ", "قبل", "أمس", "امس")


def _relative_lines(text: str) -> list[str]:
    """The short lines of ``text`` that may hold a relative time, in prepare()'d form."""
    return [
        prepare(normalize_key(line))
        for line in text.split("\n")
        if len(line) <= RELATIVE_LINE_CHARS and any(word in line for word in _RELATIVE_WORDS)
    ]


def dates_after_headline(
    text: str, window: HeadlineWindow | None, default_tz: tzinfo | None, now: datetime
) -> PrintedDate | None:
    """The first absolute publication date printed after the headline's ``window`` (after the
    body: "نشر بتاريخ ..." at the foot of the article), none in an embed or a related block; the
    whole text when the headline was not found."""
    rest = text[window.end :] if window is not None else text
    if not rest:
        return None
    for date in printed_dates(normalize_key(rest), default_tz, now, after="after-body"):
        if date.kind != "relative" and date.role == "published" and date.place not in IGNORED_PLACES:
            return date
    return None
