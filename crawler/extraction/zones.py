"""Which time zone a page's local times are in, when the operator configured none.

In order: what the page itself says (an offset on another of its timestamps, "بتوقيت مكة
المكرمة", "بتوقيت غرينتش", "GMT+3", "ت.غ"), then the site's country (the ccTLD, ``og:locale``,
``hreflang`` or ``<html lang>`` such as ``ar_MA`` or ``ar-SA``), then the regional month names
it prints (نونبر/شتنبر: Morocco; جانفي/فيفري/أوت: Algeria and Tunisia; كانون/تشرين/آذار: the
Levant and Iraq).  A zone found this way is a guess: callers record it as ``inferred`` (or
``page`` when the page stated it) and never as configured.  Pure functions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, timedelta, timezone, tzinfo
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

COUNTRY_ZONES = {
    "EG": "Africa/Cairo",
    "SA": "Asia/Riyadh",
    "AE": "Asia/Dubai",
    "QA": "Asia/Qatar",
    "KW": "Asia/Kuwait",
    "BH": "Asia/Bahrain",
    "OM": "Asia/Muscat",
    "JO": "Asia/Amman",
    "LB": "Asia/Beirut",
    "SY": "Asia/Damascus",
    "IQ": "Asia/Baghdad",
    "PS": "Asia/Gaza",
    "YE": "Asia/Aden",
    "SD": "Africa/Khartoum",
    "LY": "Africa/Tripoli",
    "TN": "Africa/Tunis",
    "DZ": "Africa/Algiers",
    "MA": "Africa/Casablanca",
    "MR": "Africa/Nouakchott",
    "SO": "Africa/Mogadishu",
    "DJ": "Africa/Djibouti",
    "KM": "Indian/Comoro",
}
# Named zones printed in Arabic ("بتوقيت ..."), normalised with normalize_key.
NAMED_ZONES = {
    "مكه المكرمه": "Asia/Riyadh",
    "مكه": "Asia/Riyadh",
    "الرياض": "Asia/Riyadh",
    "السعوديه": "Asia/Riyadh",
    "القاهره": "Africa/Cairo",
    "مصر": "Africa/Cairo",
    "ابوظبي": "Asia/Dubai",
    "الامارات": "Asia/Dubai",
    "دبي": "Asia/Dubai",
    "الدوحه": "Asia/Qatar",
    "بيروت": "Asia/Beirut",
    "دمشق": "Asia/Damascus",
    "بغداد": "Asia/Baghdad",
    "القدس": "Asia/Hebron",
    "الكويت": "Asia/Kuwait",
    "المنامه": "Asia/Bahrain",
    "مسقط": "Asia/Muscat",  # not عمان (Amman or Oman?) nor طرابلس (two countries) "الخرطوم": "Africa/Khartoum",
    "تونس": "Africa/Tunis",
    "الجزائر": "Africa/Algiers",
    "الرباط": "Africa/Casablanca",
    "المغرب": "Africa/Casablanca",
    "غرينتش": "UTC",
    "جرينتش": "UTC",
    "غرينيتش": "UTC",
    "جرينيتش": "UTC",
}
# The letters that Arabic spelling varies (hamza seats on alef, ta marbuta, alef maqsura), so
# that the patterns below run on the raw page text: normalising 20,000 characters of a page
# twice cost ~4 ms a page, this costs a few tenths.
_VARIANTS = {"ا": "[اأإآٱ]", "ه": "[هة]", "ي": "[يى]"}


def _raw_pattern(key: str) -> str:
    """A regex matching the raw spellings of a normalised word (``normalize_key`` with ة folded)."""
    marks = "[\u064b-\u0652\u0670\u0640]*"  # diacritics and tatweel the page may put between letters
    return marks.join(_VARIANTS.get(c, r"\s+" if c == " " else re.escape(c)) for c in key)


def _words_re(words: Iterable[str]) -> re.Pattern[str]:
    alternatives = "|".join(_raw_pattern(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


NAMED_ZONE_RE = re.compile(
    r"(?:بتوقيت|توقيت)\s+("
    + "|".join(f"(?P<z{i}>{_raw_pattern(name)})" for i, name in enumerate(NAMED_ZONES))
    + r")(?!\w)"
)
GMT_OFFSET_RE = re.compile(r"\b(?:GMT|UTC|غرينتش|جرينتش)\s*([+\-−])\s*(\d{1,2})(?::?(\d{2}))?\b", re.IGNORECASE)
GMT_ALONE_RE = re.compile(r"(?:\bت\s?\.?\s?غ\b|\(GMT\)|\bGMT\b(?!\s*[+-]))")
# Regional month names (normalised), by the zone they point to.
# (آب, August in the Levant, is left out: as a bare word it is more often أب, "father".)
REGIONAL_MONTHS = tuple(
    (_words_re(months), zone, why)
    for months, zone, why in (
        ({"نونبر", "شتنبر", "دجنبر", "يوليوز", "غشت"}, "Africa/Casablanca", "Moroccan month names"),
        ({"جانفي", "فيفري", "افريل", "جوان", "جويليه", "اوت"}, "Africa/Algiers", "Maghreb month names"),
        (
            {"كانون", "تشرين", "اذار", "نيسان", "ايار", "حزيران", "تموز", "ايلول", "شباط"},
            "Asia/Baghdad",
            "Levantine month names",
        ),
    )
)
LOCALE_RE = re.compile(r"^[a-z]{2,3}[-_]([A-Za-z]{2})$")


@dataclass(frozen=True, slots=True)
class ZoneGuess:
    zone: tzinfo
    name: str  # IANA name or "UTC+03:00"
    source: str  # "page" (the page states it) or "inferred"
    why: str


def _fixed(sign: str, hours: str, minutes: str | None) -> tuple[tzinfo, str] | None:
    total = int(hours) * 60 + int(minutes or 0)
    if total > 14 * 60:
        return None
    factor = -1 if sign in ("-", "−") else 1
    offset = timedelta(minutes=factor * total)
    return timezone(offset), f"UTC{'+' if factor > 0 else '-'}{total // 60:02d}:{total % 60:02d}"


def stated_zone(text: str) -> ZoneGuess | None:
    """A zone the page states in words ("بتوقيت مكة المكرمة", "GMT+3", "ت.غ")."""
    match = GMT_OFFSET_RE.search(text)
    if match:
        fixed = _fixed(match.group(1), match.group(2), match.group(3))
        if fixed:
            return ZoneGuess(fixed[0], fixed[1], "page", f"the page says {match.group(0).strip()!r}")
    match = NAMED_ZONE_RE.search(text)
    if match:
        index = next(int(key[1:]) for key, value in match.groupdict().items() if value)
        name = list(NAMED_ZONES.values())[index]
        return ZoneGuess(ZoneInfo(name), name, "page", f"the page says {match.group(0)!r}")
    if GMT_ALONE_RE.search(text):
        return ZoneGuess(UTC, "UTC", "page", "the page gives times in GMT")
    return None


def country_of(url: str | None, locales: list[str]) -> tuple[str, str] | None:
    """(country code, why) from the URL's ccTLD, then ``og:locale``/``hreflang``/``lang`` values."""
    host = (urlsplit(url).hostname or "") if url else ""
    tld = host.rsplit(".", 1)[-1].upper() if "." in host else ""
    if tld in COUNTRY_ZONES:
        return tld, f"the domain .{tld.lower()}"
    for locale in locales:
        match = LOCALE_RE.match((locale or "").strip())
        if match and match.group(1).upper() in COUNTRY_ZONES:
            return match.group(1).upper(), f"the locale {locale.strip()!r}"
    return None


def infer_zone(url: str | None, locales: list[str], text: str, offsets: Sequence[tzinfo] = ()) -> ZoneGuess | None:
    """The page's zone when the operator gave none (see the module's documentation), or None."""
    stated = stated_zone(text)
    if stated is not None:
        return stated
    for offset in offsets:  # another timestamp of the page carries an offset
        delta = offset.utcoffset(None)
        if delta is not None:
            minutes = int(delta.total_seconds() // 60)
            fixed = _fixed("-" if minutes < 0 else "+", str(abs(minutes) // 60), str(abs(minutes) % 60))
            if fixed:
                return ZoneGuess(fixed[0], fixed[1], "page", "an offset on another timestamp of the page")
    country = country_of(url, locales)
    if country is not None:
        name = COUNTRY_ZONES[country[0]]
        return ZoneGuess(ZoneInfo(name), name, "inferred", country[1])
    for months, name, why in REGIONAL_MONTHS:
        if months.search(text):
            return ZoneGuess(ZoneInfo(name), name, "inferred", why)
    return None


def page_locales(tree: object) -> list[str]:
    """``og:locale``, ``hreflang`` of alternates and ``<html lang>`` values of a parsed page."""
    xpath = getattr(tree, "xpath", None)
    if xpath is None:
        return []
    values = [
        *xpath("//meta[@property='og:locale']/@content"),
        *xpath("//html/@lang"),
        *xpath("//link[@rel='alternate'][@hreflang]/@hreflang"),
    ]
    return [str(v) for v in values if v][:20]
