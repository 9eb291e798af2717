"""Machine-readable timestamps (ISO 8601, RFC 822) → timezone-aware datetimes.

A value printed without an offset is in the source's time zone (``default_tz``) when one is
known; without either it is taken as UTC, and that is said in ``assumed_utc``.  Dates without a
time of day keep ``has_time=False`` so nobody mistakes midnight for a real time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

# Zone abbreviations seen on Arabic news sites (fixed offsets; a named IANA zone is better
# where the source file gives one).
ZONE_ABBREVIATIONS = {
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "UT": 0,
    "EET": 2,
    "EEST": 3,
    "CET": 1,
    "CEST": 2,
    "WET": 0,
    "WEST": 1,
    "AST": 3,
    "GST": 4,
    "MSK": 3,
    "IRST": 3.5,
    "TRT": 3,
    "BST": 1,
}
ISO_RE = re.compile(
    r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2}|[+-]\d{2}|[A-Z]{2,5})?\s*$",
    re.IGNORECASE,
)
COMPACT_RE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2})?)?\s*(Z|[+-]\d{4})?\s*$")
EARLIEST_YEAR = 1990


@dataclass(frozen=True, slots=True)
class DateValue:
    """A parsed timestamp: ``value`` is aware; ``has_time`` is False for a bare date."""

    value: datetime
    has_time: bool
    assumed_utc: bool = False
    explicit_zone: bool = False  # the text itself gave the offset or zone
    relative: bool = False  # "منذ 3 ساعات": resolved against the fetch time

    def utc(self) -> datetime:
        return self.value.astimezone(UTC)


def zone(name: str | None) -> tzinfo | None:
    return ZoneInfo(name) if name else None


def _offset(text: str | None) -> tzinfo | None:
    if not text:
        return None
    text = text.upper()
    if text in ZONE_ABBREVIATIONS:
        return timezone(timedelta(hours=ZONE_ABBREVIATIONS[text]))
    match = re.match(r"^([+-])(\d{2}):?(\d{2})?$", text)
    if not match:
        return None
    sign = -1 if match.group(1) == "-" else 1
    minutes = int(match.group(2)) * 60 + int(match.group(3) or 0)
    if minutes > 14 * 60:
        return None
    return timezone(sign * timedelta(minutes=minutes))


def localize(naive: datetime, default_tz: tzinfo | None) -> tuple[datetime, bool]:
    """Attach the source zone to a naive datetime (UTC when none is known)."""
    if default_tz is None:
        return naive.replace(tzinfo=UTC), True
    return naive.replace(tzinfo=default_tz), False


def build(
    year: int,
    month: int,
    day: int,
    hour: int | None,
    minute: int | None,
    second: int | None,
    tz: tzinfo | None,
    default_tz: tzinfo | None,
) -> DateValue | None:
    """A checked :class:`DateValue` from its parts, or None when the parts are not a date."""
    if not EARLIEST_YEAR <= year <= 2100:
        return None
    try:
        naive = datetime(year, month, day, hour or 0, minute or 0, second or 0)
    except ValueError:
        return None
    if tz is not None:
        return DateValue(naive.replace(tzinfo=tz), hour is not None, explicit_zone=True)
    value, assumed = localize(naive, default_tz)
    return DateValue(value, hour is not None, assumed)


def parse_machine_datetime(text: str | None, default_tz: tzinfo | None = None) -> DateValue | None:
    """Parse an ISO 8601 or RFC 822 timestamp; None when ``text`` is not one (e.g. Arabic words)."""
    if not text or not isinstance(text, str):
        return None
    text = text.strip()
    if len(text) > 64:
        return None
    match = ISO_RE.match(text) or COMPACT_RE.match(text)
    if match is None:
        return _parse_rfc822(text, default_tz)
    *parts, tz_text = match.groups()
    tz = _offset(tz_text)
    if tz_text and tz is None:  # a zone we do not know is not silently UTC
        return None
    year, month, day, hour, minute, second = (int(part) if part else None for part in parts)
    assert year is not None and month is not None and day is not None  # (the patterns require them)
    return build(year, month, day, hour, minute, second, tz, default_tz)


def _parse_rfc822(text: str, default_tz: tzinfo | None) -> DateValue | None:
    if not re.search(r"[A-Za-z]{3}", text) or not re.search(r"\d{4}", text):
        return None
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed is None:
        return None
    has_time = bool(re.search(r"\d{1,2}:\d{2}", text))
    if parsed.tzinfo is None:  # no offset, or "-0000": a zone abbreviation email.utils does not know, or none
        abbreviation = re.search(r"\b([A-Z]{2,5})\s*$", text)
        tz = _offset(abbreviation.group(1)) if abbreviation else None
        hour = parsed.hour if has_time else None
        return build(parsed.year, parsed.month, parsed.day, hour, parsed.minute, parsed.second, tz, default_tz)
    if not EARLIEST_YEAR <= parsed.year <= 2100:
        return None
    return DateValue(parsed, has_time, explicit_zone=True)


def plausible(value: DateValue, now: datetime, future_skew: timedelta = timedelta(hours=2)) -> bool:
    """Not in the future beyond a small skew, and not before news went on the web."""
    return value.value.year >= EARLIEST_YEAR and value.value <= now + future_skew
