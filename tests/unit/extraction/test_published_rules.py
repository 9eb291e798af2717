"""Publication-time helpers (``crawler.extraction.published``) on their own."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from crawler.extraction.published import (
    absolute_dates_elsewhere,
    default_tz_name,
    htmldate_day,
    publication_date,
)
from crawler.text.timestamps import DateValue

CAIRO = ZoneInfo("Africa/Cairo")
NOW = datetime(2024, 11, 6, 8, 0, tzinfo=UTC)


def test_the_first_absolute_publication_date_of_the_page():
    text = (
        "منذ 3 ساعات | موعد المباراة 20 نوفمبر 2024 | آخر تحديث: 5 نوفمبر 2024 | "
        "نشر في 4 نوفمبر 2024 الساعة 10:30 | 1 نوفمبر 2024"
    )
    assert absolute_dates_elsewhere(text, CAIRO, NOW) == DateValue(datetime(2024, 11, 4, 10, 30, tzinfo=CAIRO), True)
    assert absolute_dates_elsewhere(text, None, NOW) == DateValue(datetime(2024, 11, 4, 10, 30, tzinfo=UTC), True, True)
    soon = "نشر في 6 نوفمبر 2024 الساعة 12:30"  # 2.5 h after the fetch (10:00 in Cairo): not yet
    assert absolute_dates_elsewhere(soon, CAIRO, NOW) is None
    assert absolute_dates_elsewhere(soon, CAIRO, NOW + timedelta(hours=1)) is not None
    assert absolute_dates_elsewhere("منذ 3 ساعات", CAIRO, NOW) is None
    assert absolute_dates_elsewhere("بلا تاريخ", CAIRO, NOW) is None


def test_a_modification_line_is_not_the_publication():
    marked = "آخر تحديث: 5 نوفمبر 2024"
    assert absolute_dates_elsewhere(marked, CAIRO, NOW) is None
    # The label is looked for in the 25 characters before the date.
    near = "تحديث" + " -" * 10 + "5 نوفمبر 2024"  # the word starts 25 characters before
    assert absolute_dates_elsewhere(near, CAIRO, NOW) is None
    far = "تحديث" + " -" * 10 + " 5 نوفمبر 2024"  # 26: too far to be its label
    assert absolute_dates_elsewhere(far, CAIRO, NOW) == DateValue(datetime(2024, 11, 5, tzinfo=CAIRO), False)


def test_the_publication_day_where_it_was_published():
    late = DateValue(datetime(2024, 11, 5, 23, 30, tzinfo=UTC), True)
    assert publication_date(late, CAIRO) == date(2024, 11, 6)
    assert publication_date(late, None) == date(2024, 11, 5)
    day_only = DateValue(datetime(2024, 11, 5, tzinfo=UTC), False)
    assert publication_date(day_only, ZoneInfo("America/New_York")) == date(2024, 11, 5)


def test_zone_names():
    assert default_tz_name(CAIRO) == "Africa/Cairo"
    assert default_tz_name(timezone(timedelta(hours=3))) == "UTC+03:00"


def test_htmldate_day_is_a_guess_from_the_markup():
    page = '<html><head><meta property="article:published_time" content="2024-11-04T10:30:00+02:00"></head><body><p>x</p></body></html>'
    assert htmldate_day(page) == "2024-11-04"
    assert htmldate_day("") is None
