"""The publication time of an article, decided from all its evidence.

Every timestamp the page and its feed entry give is a :class:`DateCandidate`: the machine-readable
ones (JSON-LD, article:published_time, itemprop, ``<time>``), the feed entry's, the day in the URL,
and the dates printed on the page, each with its role (publication, modification, print edition)
and its place (by the headline, after the body, in an embedded post or a related block: see
:mod:`crawler.extraction.date_lines`).  :func:`choose_published` picks one and says why:

* a modification, an edition date and a date inside an embed or a related block are never the
  publication;
* a machine-readable time whose clock is the local clock printed on the page, marked ``Z``, is
  that local time (the ``Z`` is a CMS bug);
* candidates vote by day: the highest-ranked one (machine-readable, then the feed, the page, the
  URL) stands unless it is alone against a day on which two independent kinds of evidence agree
  (a CMS rebuild time in ``datePublished`` against the date line and the URL);
* a day without a time takes the time of a same-day candidate; a relative time ("منذ 3 ساعات")
  only when there is no absolute date; htmldate's guess last.

Pure functions of the parsed page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from crawler.extraction.arabic_dates import find_dates
from crawler.extraction.date_lines import (
    IGNORED_PLACES,
    PrintedDate,
    dates_after_headline,
    headline_dates,
    headline_window,
)
from crawler.extraction.pagemeta import PageMetadata
from crawler.extraction.zones import ZoneGuess
from crawler.items import FeedEntry
from crawler.text.timestamps import DateValue, build, parse_machine_datetime, plausible

FUTURE_SKEW = timedelta(hours=2)
AGREEING_DAYS = 1  # two dates a day apart agree (a late-evening time, a zone, a print day)
INDEPENDENT_KINDS = 2  # how many kinds of evidence it takes to overrule the highest-ranked one

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
# The other origins, in the order they rank after the machine-readable ones: a Hijri date line
# after a Gregorian one (its conversion can be a day or two off the local calendar).
LATER_ORIGINS = ("feed", "visible", "hijri", "url")
_URL_DATE_RE = re.compile(r"/((?:19|20)\d\d)(?:/|-|_)?(0[1-9]|1[0-2])(?:/|-|_)?(0[1-9]|[12]\d|3[01])(?=[/_\-.]|$)")


@dataclass(frozen=True, slots=True)
class DateCandidate:
    """One timestamp with its evidence: the value, where it came from (``jsonld:datePublished``,
    ``meta:…``, ``itemprop:…``, ``time:…``, ``feed``, ``url``, ``visible``, ``relative``,
    ``htmldate``), its role (published, modified, edition), its place on the page (visible ones)
    and its text."""

    value: DateValue
    origin: str
    role: str = "published"
    place: str | None = None
    raw: str = ""


@dataclass(frozen=True, slots=True)
class DateDecision:
    """The publication time, where it came from (``published_from``) and why, with every candidate."""

    value: DateValue | None
    origin: str | None
    reason: str
    candidates: list[DateCandidate] = field(default_factory=list)


def _parse_meta_value(text: str, default_tz: tzinfo | None) -> DateValue | None:
    value = parse_machine_datetime(text, default_tz)
    if value is None:  # some CMSs print Arabic text in article:published_time
        found = find_dates(text, default_tz)
        value = found[0].value if found else None
    return value


def machine_candidates(meta: PageMetadata, default_tz: tzinfo | None, now: datetime) -> list[DateCandidate]:
    """The page's machine-readable timestamps (publication, then modification), plausible ones only."""
    found = []
    for role, pairs in (("published", meta.published), ("modified", meta.modified)):
        for label, text in pairs:
            value = _parse_meta_value(text, default_tz)
            if value is not None and plausible(value, now, FUTURE_SKEW):
                found.append(DateCandidate(value, label, role, None, text))
    return found


def url_candidate(url: str | None, default_tz: tzinfo | None, now: datetime) -> DateCandidate | None:
    """The day in an address such as ``/2025/03/09/slug`` or ``/20250309/``."""
    match = _URL_DATE_RE.search(url.split("?", 1)[0]) if url else None
    if match is None:
        return None
    year, month, day = (int(part) for part in match.groups())
    value = build(year, month, day, None, None, None, None, default_tz)
    if value is None or not plausible(value, now, FUTURE_SKEW):
        return None
    return DateCandidate(value, "url", "published", None, match.group(0))


def feed_candidate(entry: FeedEntry | None, now: datetime) -> DateCandidate | None:
    if entry is None or entry.published_at is None:
        return None
    value = DateValue(entry.published_at, True, explicit_zone=True)
    return (
        DateCandidate(value, "feed", "published", None, entry.published_at.isoformat())
        if plausible(value, now, FUTURE_SKEW)
        else None
    )


def _printed(date: PrintedDate) -> DateCandidate:
    origin = date.kind if date.kind in ("relative", "hijri") else "visible"
    return DateCandidate(date.value, origin, date.role, date.place, date.raw)


def date_candidates(
    meta: PageMetadata,
    entry: FeedEntry | None,
    url: str | None,
    visible_text: str,
    title: str | None,
    default_tz: tzinfo | None,
    now: datetime,
) -> list[DateCandidate]:
    """Every candidate of the page; the text after the body is read only when nothing nearer
    gives an absolute publication time."""
    found = machine_candidates(meta, default_tz, now)
    found += [c for c in (feed_candidate(entry, now), url_candidate(url, default_tz, now)) if c is not None]
    window = headline_window(visible_text, title)
    found += [_printed(d) for d in headline_dates(visible_text, window, default_tz, now)]
    if not any(_usable(c) and c.value.has_time and c.origin not in ("relative", "url") for c in found):
        later = dates_after_headline(visible_text, window, default_tz, now)
        if later is not None:
            found.append(_printed(later))
    return found


def _usable(candidate: DateCandidate) -> bool:
    return candidate.role == "published" and candidate.place not in IGNORED_PLACES


def _is_machine(candidate: DateCandidate) -> bool:
    """A machine-readable timestamp: its origin is ``jsonld:…``, ``meta:…``, ``itemprop:…``, ``time:…``."""
    return ":" in candidate.origin


def _rank(candidate: DateCandidate) -> int:
    if candidate.origin in PUBLISHED_PRIORITY:
        return PUBLISHED_PRIORITY.index(candidate.origin)
    if _is_machine(candidate):
        return len(PUBLISHED_PRIORITY)
    return len(PUBLISHED_PRIORITY) + 1 + LATER_ORIGINS.index(candidate.origin)


def _kind(candidate: DateCandidate) -> str:
    """Kinds of evidence that are independent of each other: the machine-readable ones are all
    written by the same CMS."""
    return "machine" if _is_machine(candidate) else "visible" if candidate.origin == "hijri" else candidate.origin


def _day(value: DateValue, zone: tzinfo | None) -> date:
    return value.value.astimezone(zone).date() if value.has_time and zone is not None else value.value.date()


def _agree(a: DateCandidate, b: DateCandidate, zone: tzinfo | None) -> bool:
    return abs((_day(a.value, zone) - _day(b.value, zone)).days) <= AGREEING_DAYS


def _false_z(candidate: DateCandidate, printed: Sequence[DateCandidate], zone: tzinfo | None) -> DateValue | None:
    """The local time a machine timestamp marked UTC really is: its clock is the clock printed on
    the page in the source's zone (which is not UTC then), so the ``Z`` is a CMS bug."""
    value = candidate.value
    if zone is None or not (value.explicit_zone and value.has_time) or value.value.utcoffset() != timedelta(0):
        return None
    clock = value.value.replace(tzinfo=None, second=0, microsecond=0)
    local = clock.replace(tzinfo=zone)
    if local.utcoffset() == timedelta(0):
        return None
    for other in printed:
        shown = other.value
        if shown.has_time and not shown.explicit_zone and shown.value.replace(tzinfo=None, second=0) == clock:
            return DateValue(local, True)
    return None


def choose_published(candidates: list[DateCandidate], zone: tzinfo | None) -> DateDecision:
    """The publication time among ``candidates`` (``zone``: the source's, for days and the false Z)."""
    usable = sorted((c for c in candidates if _usable(c) and c.origin not in ("relative", "htmldate")), key=_rank)
    printed = [c for c in usable if c.origin == "visible"]
    relative = [c for c in candidates if c.origin == "relative" and _usable(c)]
    notes = []
    ordered = []
    for candidate in usable:
        local = _false_z(candidate, printed, zone) if _is_machine(candidate) else None
        if local is not None:
            notes.append(f"{candidate.origin} {candidate.raw} is the page's local clock marked Z")
            candidate = DateCandidate(local, f"{candidate.origin}+visible", "published", None, candidate.raw)
        ordered.append(candidate)
    if not ordered:
        return _without_absolute(candidates, relative)

    def support(of: DateCandidate) -> set[str]:
        return {_kind(c) for c in ordered if _agree(c, of, zone)}

    first = ordered[0]
    rival = max((c for c in ordered if not _agree(c, first, zone)), key=lambda c: len(support(c)), default=None)
    if rival is not None and len(support(rival)) >= max(INDEPENDENT_KINDS, len(support(first)) + 1):
        notes.append(f"{first.origin} {first.raw} disagrees with {', '.join(sorted(support(rival)))}")
        first = rival
    group = [c for c in ordered if _agree(c, first, zone)]
    chosen = group[0]
    value, origin = chosen.value, chosen.origin
    if not value.has_time:
        # a same-day time: from the group, else "منذ 3 ساعات" that falls on the day the URL gives
        timed = next(
            (c for c in [*group, *relative] if c.value.has_time and _day(c.value, zone) == _day(value, zone)), None
        )
        if timed is not None:
            value = timed.value
            origin = origin if timed.origin == origin else f"{origin}+{timed.origin}"
    agreeing = sorted({_kind(c) for c in group} - {_kind(chosen)})
    reason = f"the {chosen.origin} date" + (f", as the {', '.join(agreeing)} says" if agreeing else "")
    return DateDecision(value, origin, "; ".join([reason, *notes]), candidates)


def _without_absolute(candidates: list[DateCandidate], relative: list[DateCandidate]) -> DateDecision:
    if relative:
        return DateDecision(relative[0].value, "relative", "only a relative time, against the fetch time", candidates)
    guess = [c for c in candidates if c.origin == "htmldate"]
    if guess:
        return DateDecision(guess[0].value, "htmldate", "htmldate's guess from the markup", candidates)
    ignored = sorted({c.role if c.role != "published" else c.place or "" for c in candidates})
    reason = f"no publication date (only: {', '.join(ignored)})" if candidates else "no date on the page"
    return DateDecision(None, None, reason, candidates)


def choose_modified(candidates: Iterable[DateCandidate]) -> DateValue | None:
    """The modification time: the page's machine-readable one, else a labelled line by the headline."""
    modified = [c for c in candidates if c.role == "modified" and c.place not in IGNORED_PLACES]
    machine = [c for c in modified if _is_machine(c)]
    chosen = machine or modified
    return chosen[0].value if chosen else None


def htmldate_day(html_text: str) -> str | None:
    """htmldate's fast (non-extensive) guess at the day, the last resort."""
    from htmldate import find_date

    try:
        return find_date(html_text, extensive_search=False, original_date=True, outputformat="%Y-%m-%d")
    except Exception:  # htmldate raises a variety of errors on odd pages; a guess is optional
        return None


def decide_dates(
    meta: PageMetadata,
    entry: FeedEntry | None,
    url: str | None,
    visible_text: str,
    title: str | None,
    default_tz: tzinfo | None,
    now: datetime,
    html_text: str | None = None,
) -> tuple[DateDecision, DateValue | None]:
    """(the publication decision, the modification time) of a page; htmldate's guess at the day
    only when nothing on the page dates it."""
    candidates = date_candidates(meta, entry, url, visible_text, title, default_tz, now)
    decision = choose_published(candidates, default_tz)
    if decision.value is None and html_text:
        guess = htmldate_day(html_text)
        value = parse_machine_datetime(guess, default_tz) if guess else None
        # htmldate's guesses from copyright lines come out as a bare YYYY-01-01: not a date.
        if value is not None and (value.value.month, value.value.day) != (1, 1) and plausible(value, now):
            decision = choose_published([*candidates, DateCandidate(value, "htmldate", raw=guess or "")], default_tz)
    return decision, choose_modified(candidates)


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
