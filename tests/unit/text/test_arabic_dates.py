from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from crawler.extraction.arabic_dates import find_dates, parse_arabic_date
from crawler.text.timestamps import parse_machine_datetime

CAIRO = ZoneInfo("Africa/Cairo")
NOW = datetime(2025, 11, 11, 12, 0, tzinfo=UTC)


def utc(text: str, tz=CAIRO):
    value = parse_arabic_date(text, tz, NOW)
    assert value is not None, text
    return value.utc().strftime("%Y-%m-%d %H:%M"), value.has_time


@pytest.mark.parametrize(
    "text, expected",
    [
        # Egyptian/Gulf month names, ص/م
        ("الإثنين، 24 أغسطس 2020 09:23 ص", ("2020-08-24 07:23", True)),  # Egypt: no DST in 2020
        ("الأربعاء، 07 أكتوبر 2020 - 12:09 م", ("2020-10-07 10:09", True)),
        ("الثلاثاء, 11 نوفمبر 2025 12:47 PM", ("2025-11-11 10:47", True)),
        # Levantine/Iraqi names, dual forms, مساءً, the connector من
        ("تم نشره الجمعة 24 نيسان / أبريل 2020 09:22 مساءً", ("2020-04-24 19:22", True)),
        ("3 آذار/مارس 2025", ("2025-03-02 22:00", False)),
        ("الاثنين 10 من تشرين الثاني 2025", ("2025-11-09 22:00", False)),
        ("5 كانون الأول 2024", ("2024-12-04 22:00", False)),
        ("12 شباط 2024", ("2024-02-11 22:00", False)),
        # Algerian/Tunisian and Moroccan names
        ("15 جانفي 2024", ("2024-01-14 22:00", False)),
        ("2 فيفري 2024", ("2024-02-01 22:00", False)),
        ("9 جويلية 2024", ("2024-07-08 21:00", False)),
        ("14 أوت 2024", ("2024-08-13 21:00", False)),
        ("20 يوليوز 2023 على الساعة 14:30", ("2023-07-20 11:30", True)),
        ("3 شتنبر 2024", ("2024-09-02 21:00", False)),
        ("18 نونبر 2024", ("2024-11-17 22:00", False)),
        ("1 دجنبر 2024", ("2024-11-30 22:00", False)),
        ("7 غشت 2024", ("2024-08-06 21:00", False)),
        # spelling variants
        ("5 اغسطس 2024", ("2024-08-04 21:00", False)),
        ("5 إبريل 2024", ("2024-04-04 22:00", False)),
        # Arabic-Indic and Persian digits, diacritics, tatweel
        ("١١ نوفمبر ٢٠٢٥", ("2025-11-10 22:00", False)),
        ("۱۱ نوفمبر ۲۰۲۵", ("2025-11-10 22:00", False)),
        ("الخميس ٦ نـوفـمـبـر ٢٠٢٥ ١٠:٠٥ صَبَاحًا", ("2025-11-06 08:05", True)),
        # numeric forms and zones
        ("2020/12/25 - 1:59 صباحًا", ("2020-12-24 23:59", True)),
        ("GMT 17:27 17.03.2020 (محدثة GMT 17:49 17.03.2020)", ("2020-03-17 17:27", True)),
        ("10:30 صباحاً بتوقيت مكة 5 مايو 2024", ("2024-05-05 07:30", True)),
        ("5 أغسطس 2024 الساعة 11:00 بتوقيت القاهرة", ("2024-08-05 08:00", True)),
        ("November 9, 2020", ("2020-11-08 22:00", False)),
        # Hijri
        ("1 رمضان 1446 هـ", ("2025-02-28 22:00", False)),
        # relative times, against the fetch time
        ("منذ ساعتين", ("2025-11-11 10:00", True)),
        ("قبل 3 ساعات", ("2025-11-11 09:00", True)),
        ("منذ 25 دقيقة", ("2025-11-11 11:35", True)),
        ("أمس", ("2025-11-09 22:00", False)),
    ],
)
def test_arabic_dates(text, expected):
    assert utc(text) == expected


def test_twelve_oclock_markers():
    assert utc("1 مايو 2024 12:15 ص")[0] == "2024-04-30 21:15"  # after midnight (Cairo DST +3)
    assert utc("1 مايو 2024 12:15 م")[0] == "2024-05-01 09:15"


def test_no_date_in_text():
    assert parse_arabic_date("جميع الحقوق محفوظة 2020", CAIRO, NOW) is None
    assert parse_arabic_date("", CAIRO, NOW) is None
    assert find_dates("32 نوفمبر 2024 و 31 فبراير 2024") == []


def test_several_dates_in_order():
    found = find_dates("نشر 3 مايو 2024 - آخر تحديث 4 مايو 2024 10:00", CAIRO)
    assert [f.value.value.day for f in found] == [3, 4]
    assert found[1].value.has_time


def test_unknown_zone_is_utc_and_said_so():
    value = parse_arabic_date("3 مايو 2024 10:00")
    assert value is not None and value.assumed_utc and value.utc().hour == 10


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2020-06-03T03:01+0400", "2020-06-02T23:01:00+00:00"),
        ("2020-06-03T03:01:00Z", "2020-06-03T03:01:00+00:00"),
        ("2020-03-15 20:18:45 GST", "2020-03-15T16:18:45+00:00"),
        ("Tue, 11 Nov 2025 12:47:00 +0200", "2025-11-11T10:47:00+00:00"),
        ("Tue, 11 Nov 2025 12:47:00 GMT", "2025-11-11T12:47:00+00:00"),
        ("Tue, 11 Nov 2025 12:47:00", "2025-11-11T10:47:00+00:00"),  # no offset: source zone
        ("2025-11-11 12:47", "2025-11-11T10:47:00+00:00"),
    ],
)
def test_machine_dates(text, expected):
    value = parse_machine_datetime(text, CAIRO)
    assert value is not None and value.utc().isoformat() == expected


def test_machine_dates_reject_words_and_keep_date_only():
    assert parse_machine_datetime("الأربعاء، 07 أكتوبر 2020 - 12:09 م") is None
    assert parse_machine_datetime("not a date") is None
    value = parse_machine_datetime("2020-06-03", CAIRO)
    assert value is not None and not value.has_time
    assert parse_machine_datetime("1850-01-01") is None


def test_relative_needs_fetch_time():
    assert find_dates("منذ ساعتين") == []
    assert find_dates("منذ ساعتين", now=NOW)[0].value.utc() == NOW - timedelta(hours=2)


def test_digit_led_patterns_tried_only_where_digits_start_find_what_a_full_scan_finds():
    """find_dates tries its digit-led patterns only where a run of digits starts: the same dates,
    in the same places, as trying every position."""
    import random
    from datetime import datetime

    from crawler.extraction import arabic_dates

    def full_scan(text):
        prepared = arabic_dates.prepare(text)
        found = []
        for _kind, pattern, _digit_led in arabic_dates._DATE_PATTERNS:
            found += [m.span() for m in pattern.finditer(prepared)]
        return sorted(found + [m.span() for m in arabic_dates._HIJRI_RE.finditer(prepared)])

    def tried_at_digits(text):
        prepared = arabic_dates.prepare(text)
        starts = [m.start() for m in arabic_dates._DIGITS_RE.finditer(prepared)]
        found = []
        for _kind, pattern, digit_led in arabic_dates._DATE_PATTERNS:
            matches = arabic_dates._matches(pattern, prepared, starts) if digit_led else pattern.finditer(prepared)
            found += [m.span() for m in matches]
        return sorted(found + [m.span() for m in arabic_dates._matches(arabic_dates._HIJRI_RE, prepared, starts)])

    pieces = [
        "5",
        "05",
        "١٢",
        "2024",
        "٢٠٢٤",
        "1446",
        "/",
        "-",
        ".",
        " ",
        "نوفمبر",
        "تشرين الثاني",
        "Nov",
        "رمضان",
        "ربيع الأول",
        "هـ",
        "م",
        "10:30",
        "١٠:٣٠",
        "مساء",
        "أمس",
        "منذ",
        "ساعتين",
        "x",
        "،",
        "من",
        "(",
        ")",
        "ب",
    ]
    rng = random.Random(11)
    now = datetime(2026, 11, 30, 12, tzinfo=UTC)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 14)))
        assert tried_at_digits(text) == full_scan(text), text
        arabic_dates.find_dates(text, None, now)  # and never raises
