"""Dates written in Arabic (and the English that Arabic pages sometimes print), found in text.

Handles every month system (Egyptian/Gulf يناير…, Levantine/Iraqi كانون الثاني…, Maghreb
جانفي/ماي/يوليوز…, dual forms "نيسان / أبريل"), hamza/ya spelling variants, Arabic-Indic and
Persian digits, day names, the Algerian "21سا40د", the connector "من", ص/م, صباحًا/مساءً and AM/PM, GMT and
"بتوقيت مكة"-style zones, numeric forms (2020/12/25, 17.03.2020), Hijri dates (هـ) and relative
times (منذ ساعتين، قبل 3 ساعات، أمس) resolved against the fetch time.

Pure functions: text in, :class:`FoundDate` values out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from crawler.text.arabic import ascii_digits, strip_diacritics, strip_invisible
from crawler.text.timestamps import DateValue, build

_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("يناير", "كانون الثاني", "جانفي", "جانفييه", "ينير", "january", "jan"),
    2: ("فبراير", "شباط", "فيفري", "فبرير", "february", "feb"),
    3: ("مارس", "آذار", "اذار", "march", "mar"),
    4: ("أبريل", "ابريل", "إبريل", "نيسان", "أفريل", "افريل", "ابريل", "april", "apr"),
    5: ("مايو", "أيار", "ايار", "ماي", "may"),
    6: ("يونيو", "يونيه", "حزيران", "جوان", "يونيو", "june", "jun"),
    7: ("يوليو", "يوليه", "تموز", "جويلية", "جويليه", "يوليوز", "july", "jul"),
    8: ("أغسطس", "اغسطس", "آب", "اب", "أوت", "اوت", "غشت", "august", "aug"),
    9: ("سبتمبر", "أيلول", "ايلول", "شتنبر", "september", "sept", "sep"),
    10: ("أكتوبر", "اكتوبر", "تشرين الأول", "تشرين الاول", "أكتوبر", "october", "oct"),
    11: ("نوفمبر", "تشرين الثاني", "نونبر", "نوفمبر", "november", "nov"),
    12: ("ديسمبر", "كانون الأول", "كانون الاول", "دجنبر", "دسمبر", "december", "dec"),
}
_HIJRI_MONTHS: dict[int, tuple[str, ...]] = {
    1: ("محرم",),
    2: ("صفر",),
    3: ("ربيع الأول", "ربيع الاول", "ربيع أول"),
    4: ("ربيع الثاني", "ربيع الآخر", "ربيع الاخر", "ربيع ثاني"),
    5: ("جمادى الأولى", "جمادى الاولى", "جمادى الأول", "جمادي الاولي"),
    6: ("جمادى الآخرة", "جمادى الثانية", "جمادى الاخرة", "جمادي الاخره"),
    7: ("رجب",),
    8: ("شعبان",),
    9: ("رمضان",),
    10: ("شوال",),
    11: ("ذو القعدة", "ذي القعدة"),
    12: ("ذو الحجة", "ذي الحجة"),
}
# Zones named in text.  Fixed offsets where the country keeps no daylight saving.
_NAMED_ZONES: dict[str, str | float] = {
    "gmt": 0,
    "ت.غ": 0,  # توقيت غرينتش
    "utc": 0,
    "غرينتش": 0,
    "غرينيتش": 0,
    "جرينتش": 0,
    "مكة": 3,
    "مكه": 3,
    "مكة المكرمة": 3,
    "الرياض": 3,
    "السعودية": 3,
    "بغداد": 3,
    "الدوحة": 3,
    "الكويت": 3,
    "المنامة": 3,
    "ابوظبي": 4,
    "أبوظبي": 4,
    "الإمارات": 4,
    "الامارات": 4,
    "دبي": 4,
    "مسقط": 4,
    "الجزائر": 1,
    "تونس": 1,
    "القاهرة": "Africa/Cairo",
    "مصر": "Africa/Cairo",
    "دمشق": "Asia/Damascus",
    "بيروت": "Asia/Beirut",
    "عمان": "Asia/Amman",
    "عمّان": "Asia/Amman",
    "القدس": "Asia/Jerusalem",
    "غزة": "Asia/Gaza",
    "الرباط": "Africa/Casablanca",
    "المغرب": "Africa/Casablanca",
    "طرابلس": "Africa/Tripoli",
    "الخرطوم": "Africa/Khartoum",
    "صنعاء": 3,
}


def _fold(text: str) -> str:
    """Spelling-insensitive form used for matching names (positions are kept: 1 char → 1 char)."""
    return text.replace("أ", "ا").replace("إ", "ا").replace("آ", "ا").replace("ى", "ي").replace("ة", "ه").lower()


def _alternation(names: dict[int, tuple[str, ...]]) -> tuple[str, dict[str, int]]:
    lookup: dict[str, int] = {}
    for month, spellings in names.items():
        for spelling in spellings:
            lookup[_fold(spelling)] = month
    ordered = sorted(lookup, key=len, reverse=True)
    return "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in ordered), lookup


_MONTH_ALT, _MONTH_LOOKUP = _alternation(_MONTH_NAMES)
_HIJRI_ALT, _HIJRI_LOOKUP = _alternation(_HIJRI_MONTHS)
_ZONE_ALT = "|".join(re.escape(_fold(z)) for z in sorted(_NAMED_ZONES, key=len, reverse=True))
_B = r"(?<![\w])"  # word start (Arabic letters are \w)
_E = r"(?![\w])"
_MONTH = rf"{_B}(?P<{{name}}>{_MONTH_ALT}){_E}"
_TIME = (
    # "14:30" and the Algerian "21سا40د" (ساعة / دقيقة)
    r"(?:(?P<zone_pre>gmt|utc)\s*)?(?P<hour>\d{1,2})\s*(?:[:：]|سا)\s*(?P<minute>\d{2})(?:\s*:\s*(?P<second>\d{2}))?"
    r"(?:(?<=\d)د(?![\w]))?"
    r"(?:\s*(?P<ampm>ص|م|صباحا|صباحاً|مساء|مساءا|مساءً|ظهرا|ظهراً|فجرا|فجراً|ليلا|am|pm|a\.m\.|p\.m\.)(?![\w]))?"
    rf"(?:\s*(?:\(?\s*(?:بتوقيت\s+)?(?P<zone>{_ZONE_ALT})\s*(?P<zoffset>[+-]\s*\d{{1,2}})?\s*\)?))?"
)
_SEP = r"[\s,،\-–—|/\\]*"
_DMY = (
    rf"{_B}(?P<day>\d{{1,2}})\s*(?:من\s+)?"
    + _MONTH.format(name="month")
    + r"(?:\s*[/\-(]\s*"
    + _MONTH.format(name="month2")
    + r"\s*\)?)?"
    + r"[\s,،]*(?P<year>\d{4})(?:\s*م(?![\w]))?"
)
_MDY = _MONTH.format(name="month") + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\s*,?\s*(?P<year>\d{4})"
_YMD_NUM = r"(?<!\d)(?P<year>\d{4})\s*([/.\-])\s*(?P<month_num>\d{1,2})\s*\2\s*(?P<day>\d{1,2})(?!\d)"
_DMY_NUM = r"(?<![\d.])(?P<day>\d{1,2})\s*([/.\-])\s*(?P<month_num>\d{1,2})\s*\2\s*(?P<year>\d{4})(?!\d)"
# (kind, pattern, whether every match starts where a run of digits starts): those are tried only
# there, not at every character of the text (see _matches).
_MONTH_FIRST_LETTERS = "".join(sorted({name[0] for name in _MONTH_LOOKUP}))
_DATE_PATTERNS = [
    ("text", re.compile(_DMY, re.IGNORECASE), True),
    # A month name first: a look-ahead for its first letter spares trying ~80 names at each word.
    (
        "text",
        re.compile(_MDY.replace("(?P<month>", f"(?=[{re.escape(_MONTH_FIRST_LETTERS)}])(?P<month>", 1), re.IGNORECASE),
        False,
    ),
    ("numeric", re.compile(_YMD_NUM), True),
    ("numeric", re.compile(_DMY_NUM), True),
]
_TIME_RE = re.compile(_TIME, re.IGNORECASE)
_HIJRI_RE = re.compile(
    rf"{_B}(?P<day>\d{{1,2}})\s*(?:من\s+)?(?P<month>{_HIJRI_ALT}){_E}[\s,،]*(?P<year>1[34]\d\d)\s*(?:هـ|ه|هجري|هجرية)?",
    re.IGNORECASE,
)
_RELATIVE_RE = re.compile(
    # matched on folded text (أ→ا, ة→ه)
    r"(?:منذ|قبل)\s+(?:(?P<n>\d+)\s*)?(?P<unit>دقيقتين|دقيقه|دقائق|ساعتين|ساعه|ساعات|يومين|يوم|ايام|"
    r"اسبوعين|اسبوع|اسابيع)"
    r"|(?P<yesterday>(?<![\w])امس(?![\w]))",
)
_UNIT_SECONDS = {
    "دقيقه": 60,
    "دقيقتين": 120,
    "دقائق": 60,
    "ساعه": 3600,
    "ساعتين": 7200,
    "ساعات": 3600,
    "يوم": 86400,
    "يومين": 172800,
    "ايام": 86400,
    "اسبوع": 604800,
    "اسبوعين": 1209600,
    "اسابيع": 604800,
}
# How far (characters) a time may stand from its date and still belong to it.
TIME_WINDOW = 40


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A date found in text: where, what, and how it was written."""

    value: DateValue
    start: int
    end: int
    kind: str  # "text", "numeric", "hijri", "relative"


def prepare(text: str) -> str:
    """The searchable form of ``text``: ASCII digits, no diacritics or tatweel, folded spellings.

    Removing diacritics changes positions, so positions refer to this prepared text.
    """
    return _fold(strip_diacritics(strip_invisible(ascii_digits(text))))


def _zone_for(name: str | None, offset: str | None) -> tzinfo | None:
    if not name:
        return None
    value = next((v for k, v in _NAMED_ZONES.items() if _fold(k) == name.lower()), None)
    if value is None:
        return None
    if offset:
        return timezone(timedelta(hours=int(offset.replace(" ", ""))))
    return ZoneInfo(value) if isinstance(value, str) else timezone(timedelta(hours=value))


def _hour24(hour: int, ampm: str | None) -> int | None:
    if hour > 23:
        return None
    if not ampm:
        return hour
    # Without dots, trailing alef and tanween: "P.M." → "pm", "مساءً" → "مساء", "ليلاً" → "ليل".
    marker = ampm.lower().replace(".", "").rstrip("اً")
    pm = marker in ("م", "pm", "ظهر", "ليل") or marker.startswith("مساء")  # 12 ظهرا stays 12
    if hour > 12:
        return hour
    if pm:
        return 12 if hour == 12 else hour + 12
    return 0 if hour == 12 else hour


def _time_near(text: str, start: int, end: int) -> re.Match[str] | None:
    """The time written right after (or right before) a date, if any."""
    after = _TIME_RE.search(text, end, min(len(text), end + TIME_WINDOW))
    # (``text`` is prepared: folded and lower-case, so "الساعة" reads "الساعه".)
    if after and not re.search(r"[\w]{4,}", text[end : after.start()].replace("الساعه", "")):
        return after
    window_start = max(0, start - TIME_WINDOW)
    before = None
    for match in _TIME_RE.finditer(text, window_start, start):
        before = match
    if (
        before
        and not re.search(r"\d{4}", text[before.end() : start])
        and not re.search(r"[\w]{4,}", text[before.end() : start])
    ):
        return before
    return None


def _with_time(
    year: int, month: int, day: int, time_match: re.Match[str] | None, default_tz: tzinfo | None
) -> DateValue | None:
    if time_match is None:
        return build(year, month, day, None, None, None, None, default_tz)
    hour = _hour24(int(time_match.group("hour")), time_match.group("ampm"))
    minute = int(time_match.group("minute"))
    if hour is None or minute > 59:
        return build(year, month, day, None, None, None, None, default_tz)
    second = int(time_match.group("second")) if time_match.group("second") else None
    zone = _zone_for(time_match.group("zone") or time_match.group("zone_pre"), time_match.group("zoffset"))
    return build(year, month, day, hour, minute, second, zone, default_tz)


_DIGITS_RE = re.compile(r"\d+")


def _matches(pattern: re.Pattern[str], text: str, starts: list[int]) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for a pattern whose every match starts at one of ``starts`` (in
    order): the same matches, each position tried once."""
    end = 0
    for start in starts:
        if start >= end and (match := pattern.match(text, start)) is not None:
            end = match.end()
            yield match


def find_dates(
    text: str, default_tz: tzinfo | None = None, now: datetime | None = None, *, already_prepared: bool = False
) -> list[FoundDate]:
    """Every date in ``text`` in order of appearance (positions index :func:`prepare`'d text;
    ``already_prepared``: ``text`` is that already)."""
    prepared = text if already_prepared else prepare(text)
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    digit_runs = [run.start() for run in _DIGITS_RE.finditer(prepared)]
    for kind, pattern, digit_led in _DATE_PATTERNS:
        for match in _matches(pattern, prepared, digit_runs) if digit_led else pattern.finditer(prepared):
            if not free(match.start(), match.end()):
                continue
            groups = match.groupdict()
            if groups.get("month"):
                month = _MONTH_LOOKUP.get(re.sub(r"\s+", " ", groups["month"].lower()))
            else:
                month = int(groups["month_num"])
            if not month or not 1 <= month <= 12:
                continue
            time_match = _time_near(prepared, match.start(), match.end())
            value = _with_time(int(groups["year"]), month, int(groups["day"]), time_match, default_tz)
            if value is None:
                continue
            start = min(match.start(), time_match.start()) if time_match else match.start()
            end = max(match.end(), time_match.end()) if time_match else match.end()
            taken.append((start, end))
            found.append(FoundDate(value, start, end, kind))
    for match in _matches(_HIJRI_RE, prepared, digit_runs):
        if not free(match.start(), match.end()):
            continue
        value = _hijri(match, prepared, default_tz)
        if value is not None:
            taken.append((match.start(), match.end()))
            found.append(FoundDate(value, match.start(), match.end(), "hijri"))
    if now is not None:
        for match in _RELATIVE_RE.finditer(prepared):
            if free(match.start(), match.end()):
                value = _relative(match, now, default_tz)
                if value is not None:
                    found.append(FoundDate(value, match.start(), match.end(), "relative"))
    return sorted(found, key=lambda f: f.start)


def _hijri(match: re.Match[str], prepared: str, default_tz: tzinfo | None) -> DateValue | None:
    from hijridate import Hijri

    month = _HIJRI_LOOKUP.get(re.sub(r"\s+", " ", match.group("month").lower()))
    if month is None:
        return None
    try:
        gregorian = Hijri(int(match.group("year")), month, int(match.group("day"))).to_gregorian()
    except (ValueError, OverflowError):
        return None
    time_match = _time_near(prepared, match.start(), match.end())
    return _with_time(gregorian.year, gregorian.month, gregorian.day, time_match, default_tz)


def _relative(match: re.Match[str], now: datetime, default_tz: tzinfo | None) -> DateValue | None:
    """A relative time resolved against ``now``, marked ``relative`` (a day for أمس and units of days)."""
    if match.group("yesterday"):
        local = now.astimezone(default_tz or UTC) - timedelta(days=1)
    else:
        seconds = _UNIT_SECONDS.get(_fold(match.group("unit")))
        if seconds is None:
            return None
        moment = now - timedelta(seconds=seconds * (int(match.group("n")) if match.group("n") else 1))
        if seconds < 86400:
            return DateValue(moment.astimezone(UTC).replace(second=0, microsecond=0), True, relative=True)
        local = moment.astimezone(default_tz or UTC)
    day = build(local.year, local.month, local.day, None, None, None, local.tzinfo, None)
    return replace(day, relative=True) if day is not None else None


def parse_arabic_date(
    text: str | None, default_tz: tzinfo | None = None, now: datetime | None = None
) -> DateValue | None:
    """The first date written in ``text``, or None."""
    if not text:
        return None
    found = find_dates(text, default_tz, now)
    return found[0].value if found else None
