"""Dates written in Arabic text (``crawler.extraction.arabic_dates``): where each is found, the
time that belongs to it, twelve-hour markers, zones, Hijri and relative dates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from crawler.extraction.arabic_dates import FoundDate, _hour24, _zone_for, find_dates, prepare
from crawler.text.timestamps import DateValue

CAIRO = ZoneInfo("Africa/Cairo")
NOW = datetime(2024, 11, 5, 23, 30, 17, 123, tzinfo=UTC)  # already the 6th in Cairo


@pytest.mark.parametrize(
    ("hour", "marker", "expected"),
    [
        (23, None, 23),
        (24, None, None),
        (24, "م", None),
        (12, "م", 12),
        (1, "م", 13),
        (9, "pm", 21),
        (9, "P.M.", 21),
        (9, "مساءً", 21),
        (8, "مساءا", 20),
        (7, "مساءاً", 19),
        (10, "ليلا", 22),
        (11, "ليلاً", 23),
        (12, "ظهرا", 12),
        (12, "ظهراً", 12),
        (1, "ظهرا", 13),
        (12, "ص", 0),
        (12, "am", 0),
        (11, "صباحا", 11),
        (13, "ص", 13),
        (13, "م", 13),
        (6, "فجرا", 6),
    ],
)
def test_twelve_hour_markers(hour, marker, expected):
    assert _hour24(hour, marker) == expected


def test_zones_by_name_with_or_without_an_offset():
    assert _zone_for("gmt", "+ 3") == timezone(timedelta(hours=3))
    assert _zone_for("gmt", "-2") == timezone(timedelta(hours=-2))
    assert _zone_for("gmt", None) == timezone(timedelta(0))
    assert _zone_for(prepare("مكة"), None) == timezone(timedelta(hours=3))
    assert _zone_for("القاهره", None) == CAIRO
    assert _zone_for(None, "+3") is None and _zone_for("", None) is None


def one(text: str, tz=None, now=None) -> FoundDate:
    found = find_dates(text, tz, now)
    assert len(found) == 1, found
    return found[0]


def test_a_date_with_its_time_after_or_before():
    text = "نشر في 5 نوفمبر 2024 الساعة 10:30:45 مساءً"
    found = one(text, CAIRO)
    assert found.value == DateValue(datetime(2024, 11, 5, 22, 30, 45, tzinfo=CAIRO), True)
    assert (found.start, found.end, found.kind) == (7, len(prepare(text)), "text")
    before = "10:30 - 5/11/2024"
    found = one(before, CAIRO)
    assert found.value == DateValue(datetime(2024, 11, 5, 10, 30, tzinfo=CAIRO), True)
    assert (found.start, found.end, found.kind) == (0, len(before), "numeric")


@pytest.mark.parametrize(
    ("text", "apart"),
    [
        ("5 نوفمبر 2024 الساعة 25:10", False),  # no such hour
        ("5 نوفمبر 2024 الساعة 10:60", False),  # no such minute
        ("10:30 الخبر 5 نوفمبر 2024", True),  # a word between: the time is not this date's
        ("10:30 عام 2023 ثم 5 نوفمبر 2024", True),  # a year between
        ("5 نوفمبر 2024 " + "- " * 25 + "10:30", True),  # too far after
    ],
)
def test_a_time_that_does_not_belong_to_the_date_is_left_out(text, apart):
    found = one(text, CAIRO)
    assert found.value == DateValue(datetime(2024, 11, 5, tzinfo=CAIRO), False)
    if apart:  # (an impossible time next to the date stays inside its span)
        assert found.end - found.start == len(prepare("5 نوفمبر 2024"))


def test_a_time_with_its_zone():
    assert one("5 نوفمبر 2024 10:30 GMT + 3").value == DateValue(
        datetime(2024, 11, 5, 10, 30, tzinfo=timezone(timedelta(hours=3))), True, explicit_zone=True
    )
    assert one("5 نوفمبر 2024 10:30 بتوقيت مكة المكرمة").value.utc() == datetime(2024, 11, 5, 7, 30, tzinfo=UTC)


def test_month_names_spelled_over_several_spaces_and_impossible_months():
    assert one("1 تشرين   الثاني 2024").value.value.date() == datetime(2024, 11, 1).date()
    assert find_dates("2024-13-05") == [] and find_dates("2024-00-05") == []


def test_hijri_dates():
    found = one("الجمعة 5 رمضان 1445 هـ", CAIRO)
    assert found.value == DateValue(datetime(2024, 3, 15, tzinfo=CAIRO), False) and found.kind == "hijri"
    assert one("12 ربيع  الاول 1446 هـ 09:15", CAIRO).value == DateValue(
        datetime(2024, 9, 15, 9, 15, tzinfo=CAIRO), True
    )
    assert find_dates("31 رمضان 1445 هـ") == []  # no such day


def test_relative_dates_against_the_fetch_time():
    minutes = one("منذ 3 ساعات", CAIRO, NOW)
    assert minutes.value == DateValue(datetime(2024, 11, 5, 20, 30, tzinfo=UTC), True, relative=True)
    assert minutes.value.value.tzinfo is UTC and minutes.kind == "relative"
    assert (minutes.start, minutes.end) == (0, len("منذ 3 ساعات"))
    assert one("منذ 23 ساعة", CAIRO, NOW).value.has_time is True
    day = one("منذ يوم", CAIRO, NOW)  # a day or more: the date only, in the source's zone
    assert day.value == DateValue(datetime(2024, 11, 5, tzinfo=CAIRO), False, explicit_zone=True, relative=True)
    two_days = DateValue(datetime(2024, 11, 3, tzinfo=UTC), False, explicit_zone=True, relative=True)
    assert one("منذ يومين", None, NOW).value == two_days
    yesterday = DateValue(datetime(2024, 11, 5, tzinfo=CAIRO), False, explicit_zone=True, relative=True)
    assert one("أمس", CAIRO, NOW).value == yesterday
    assert find_dates("منذ 3 ساعات") == []  # no fetch time: nothing to count from


def test_dates_in_order_none_inside_another():
    text = "تحديث 2024-11-06 ونشر 5 نوفمبر 2024 ثم 5 رمضان 1445"
    found = find_dates(text, CAIRO)
    assert [f.kind for f in found] == ["numeric", "text", "hijri"]
    assert [f.start for f in found] == sorted(f.start for f in found)
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))


def test_a_date_that_is_not_one_does_not_hide_the_next():
    found = find_dates("2024-13-05 ثم 2024-11-05 و 31/02/2024 ثم 6/11/2024", CAIRO)
    assert [f.value.value.date().isoformat() for f in found] == ["2024-11-05", "2024-11-06"]


def test_relative_dates_after_a_hijri_one():
    found = find_dates("5 رمضان 1445 هـ - منذ 3 ساعات", CAIRO, NOW)
    assert [f.kind for f in found] == ["hijri", "relative"]


def test_alif_maqsura_and_hamza_spellings_of_month_names():
    assert one("10 جمادى الأولى 1446 هـ").value.value.date().isoformat() == "2024-11-12"  # 5th Hijri month
    assert one("10 جمادي الاولي 1446").value.value.date().isoformat() == "2024-11-12"
    assert one("3 أكتوبر 2024").value.value.date().isoformat() == "2024-10-03"
