"""The publication time of an article: which of the page's timestamps is its publication, in
which zone, and on which calendar day.

Machine-readable page metadata first (JSON-LD, article:published_time, itemprop, ``<time>``),
then the feed entry, then the Arabic date printed next to the headline; a modification line
("آخر تحديث") is never the publication.  Pure functions of the parsed page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from crawler.extraction.arabic_dates import FoundDate, find_dates
from crawler.extraction.pagemeta import PageMetadata
from crawler.extraction.zones import ZoneGuess
from crawler.items import FeedEntry
from crawler.text.arabic import normalize_key
from crawler.text.timestamps import DateValue, parse_machine_datetime, plausible

FUTURE_SKEW = timedelta(hours=2)

# Characters of page text searched for the visible date before and after the headline.
HEADLINE_WINDOW_BEFORE = 400

HEADLINE_WINDOW_AFTER = 700
SAME_LINE_CHARS = 90  # a date-only and a timed date this close are one date line

MODIFIED_WORDS = ("تحديث", "محدث", "محدثه", "عدل", "معدل", "updated", "modified")
MODIFIED_MARKERS_RE = re.compile(rf"({'|'.join(MODIFIED_WORDS)})\W*$", re.IGNORECASE)  # just before a date
_ANY_MODIFIED_WORD_RE = re.compile("|".join(MODIFIED_WORDS), re.IGNORECASE)

PUBLISHED_PRIORITY = (
    "jsonld:datePublished",
    "meta:article:published_time",
    "itemprop:datePublished",
    "time:published",
    "meta:pubdate",
    "meta:publishdate",
    "meta:publish-date",
    "meta:og:published_time",
    "meta:dc.date.issued",
    "meta:parsely-pub-date",
    "meta:sailthru.date",
    "meta:date",
    "meta:dc.date",
    "jsonld:dateCreated",
    "itemprop:dateCreated",
    "time:datetime",
)


@dataclass(slots=True)
class DateChoice:
    value: DateValue
    origin: str


def _parse_meta_value(text: str, default_tz: tzinfo | None) -> DateValue | None:
    value = parse_machine_datetime(text, default_tz)
    if value is None:  # some CMSs print Arabic text in article:published_time
        found = find_dates(text, default_tz)
        value = found[0].value if found else None
    return value


def _machine_dates(candidates: list[tuple[str, str]], default_tz: tzinfo | None, now: datetime) -> list[DateChoice]:
    rank = {label: i for i, label in enumerate(PUBLISHED_PRIORITY)}
    parsed: list[tuple[int, DateChoice]] = []
    for label, text in candidates:
        value = _parse_meta_value(text, default_tz)
        if value is None or not plausible(value, now, FUTURE_SKEW):
            continue
        parsed.append((rank.get(label, len(rank)), DateChoice(value, label)))
    parsed.sort(key=lambda pair: pair[0])
    return [choice for _, choice in parsed]


def _best_with_time(choices: list[DateChoice]) -> DateChoice | None:
    """The highest-ranked date; if it has no time, a same-day one that has (e.g. itemprop gives
    the day and article:published_time the minute)."""
    if not choices:
        return None
    best = choices[0]
    if best.value.has_time:
        return best
    day = best.value.value.date()
    for other in choices[1:]:
        if other.value.has_time and other.value.value.astimezone(best.value.value.tzinfo).date() == day:
            return other
    return best


def headline_dates(
    text: str, title: str | None, default_tz: tzinfo | None, now: datetime, published_wanted: bool = True
) -> tuple[DateValue | None, DateValue | None]:
    """(published, modified) printed next to the headline in the page's visible text.  With
    ``published_wanted`` False only the modification date is sought: none without its word."""
    if not title:
        return None, None
    # Find the headline in the raw text first (the usual case), so that only a window around it
    # is normalised; otherwise normalise the whole page text once.
    raw = " ".join(title.split())[:60]
    position = text.find(raw) if raw else -1
    if position >= 0:
        start = max(0, position - HEADLINE_WINDOW_BEFORE)
        window = normalize_key(text[start : position + len(raw) + HEADLINE_WINDOW_AFTER + 200])
        centre = len(normalize_key(text[start:position]))
    else:
        folded = normalize_key(text)
        title_key = normalize_key(title)
        found_at = folded.find(title_key[:60]) if title_key else -1
        if found_at < 0:
            return None, None
        # normalize_key changes lengths a little; the window is generous enough for that.
        window = folded[max(0, found_at - HEADLINE_WINDOW_BEFORE) : found_at + len(title_key) + HEADLINE_WINDOW_AFTER]
        centre = min(found_at, HEADLINE_WINDOW_BEFORE)
    if not published_wanted and not _ANY_MODIFIED_WORD_RE.search(window):
        return None, None
    candidates: list[tuple[int, FoundDate]] = []
    modified: DateValue | None = None
    for found in find_dates(window, default_tz, now):
        if not plausible(found.value, now, FUTURE_SKEW):
            continue
        before = window[max(0, found.start - 25) : found.start]
        if MODIFIED_MARKERS_RE.search(before):
            modified = modified or found.value
            continue
        distance = abs(found.start - centre)
        if found.start > centre:
            distance //= 2  # dates under the headline are the usual place
        candidates.append((distance, found))
    absolute = [c for c in candidates if c[1].kind != "relative"]
    if not absolute and candidates:
        # "منذ 3 ساعات" beside the headline loses to an absolute date printed anywhere in the
        # article (even after the body); resolved against the fetch time only when there is none.
        later = absolute_dates_elsewhere(text, default_tz, now)
        if later is not None:
            return later, modified
        chosen = min(candidates, key=lambda c: c[0])[1]
        return DateValue(
            chosen.value.value,
            chosen.value.has_time,
            chosen.value.assumed_utc,
            chosen.value.explicit_zone,
            relative=True,
        ), modified
    if not absolute:
        return None, modified
    chosen = min(absolute, key=lambda c: c[0])[1]
    if not chosen.value.has_time:
        # One date line with a Hijri date, a Gregorian date and the time ("السبت 2 رجب 1447هـ - 20
        # ديسمبر 2025م | 08:40 مساءً"): the dated time on the same line is the publication.
        same_line = [f for _, f in absolute if f.value.has_time and abs(f.start - chosen.start) <= SAME_LINE_CHARS]
        if same_line:
            chosen = min(same_line, key=lambda f: abs(f.start - chosen.start))
    return chosen.value, modified


def absolute_dates_elsewhere(text: str, default_tz: tzinfo | None, now: datetime) -> DateValue | None:
    """The first absolute publication date of the whole page text (not a modification line)."""
    folded = normalize_key(text)
    for found in find_dates(folded, default_tz, now):
        if found.kind == "relative" or not plausible(found.value, now, FUTURE_SKEW):
            continue
        if MODIFIED_MARKERS_RE.search(folded[max(0, found.start - 25) : found.start]):
            continue
        return found.value
    return None


def htmldate_day(html_text: str) -> str | None:
    """htmldate's fast (non-extensive) guess at the day, the last resort."""
    from htmldate import find_date

    try:
        return find_date(html_text, extensive_search=False, original_date=True, outputformat="%Y-%m-%d")
    except Exception:  # htmldate raises a variety of errors on odd pages; a guess is optional
        return None


def choose_dates(
    meta: PageMetadata,
    entry: FeedEntry | None,
    visible_text: str,
    title: str | None,
    default_tz: tzinfo | None,
    now: datetime,
    html_text: str | None = None,
) -> tuple[DateChoice | None, DateValue | None]:
    """(published, modified): page metadata, then the feed entry, then the visible date."""
    machine = _machine_dates(meta.published, default_tz, now)
    modified_choices = _machine_dates(meta.modified, default_tz, now)
    best = _best_with_time(machine)
    # The dates printed by the headline are read only when the machine-readable ones leave a
    # question open (no publication time, or no modification date): most pages answer both.
    visible = visible_modified = None
    published_open = best is None or not best.value.has_time
    if published_open or not modified_choices:
        visible, visible_modified = headline_dates(
            visible_text, title, default_tz, now, published_wanted=published_open
        )
    modified = modified_choices[0].value if modified_choices else visible_modified
    entry_value = None
    if entry is not None and entry.published_at is not None:
        entry_value = DateValue(entry.published_at, True, explicit_zone=True)
        if not plausible(entry_value, now, FUTURE_SKEW):
            entry_value = None
    if best is not None and not best.value.has_time:
        for other, origin in ((entry_value, "feed"), (visible, "visible")):
            if (
                other is not None
                and other.has_time
                and other.value.astimezone(best.value.value.tzinfo).date() == best.value.value.date()
            ):
                return DateChoice(other, f"{best.origin}+{origin}"), modified
    if best is not None:
        return best, modified
    if entry_value is not None:
        return DateChoice(entry_value, "feed"), modified
    if visible is not None:
        return DateChoice(visible, "relative" if visible.relative else "visible"), modified
    fallback_day = htmldate_day(html_text) if html_text else None
    if fallback_day:
        value = parse_machine_datetime(fallback_day, default_tz)
        # htmldate's guesses from copyright lines come out as a bare YYYY-01-01: not a date.
        if value is not None and (value.value.month, value.value.day) != (1, 1) and plausible(value, now):
            return DateChoice(value, "htmldate"), modified
    return None, modified


def explicit_offsets(meta: PageMetadata, now: datetime) -> list[tzinfo]:
    """Offsets that the page's own machine-readable timestamps carry (published, modified)."""
    offsets = []
    for _, text in [*meta.published, *meta.modified]:
        value = parse_machine_datetime(text, None)
        if value is not None and value.explicit_zone and value.has_time and value.value.tzinfo is not None:
            offsets.append(value.value.tzinfo)
    return offsets


def publication_date(value: DateValue, zone_used: tzinfo | None) -> date:
    """The publication's calendar day where it was published: a date-only value keeps its day; a
    time is converted to the source's zone (configured or inferred), else kept in its own offset."""
    if not value.has_time or zone_used is None:
        return value.value.date()
    return value.value.astimezone(zone_used).date()


def zone_origin(value: DateValue, default_tz: tzinfo | None, guess: ZoneGuess | None) -> str:
    """``page`` (the timestamp or the page stated its zone), ``configured``, ``inferred`` or ``assumed-utc``."""
    if value.explicit_zone:
        return "page"
    if default_tz is not None:
        return "configured"
    if guess is not None:
        return "page" if guess.source == "page" else "inferred"
    return "assumed-utc"


def default_tz_name(zone: tzinfo) -> str:
    return getattr(zone, "key", None) or str(zone)
