"""Publication-time helpers (``crawler.extraction.published``) on their own."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from crawler.extraction.date_lines import dates_after_headline
from crawler.extraction.published import default_tz_name, htmldate_day, publication_date
from crawler.text.timestamps import DateValue

CAIRO = ZoneInfo("Africa/Cairo")
NOW = datetime(2024, 11, 6, 8, 0, tzinfo=UTC)


def first_absolute(text: str, tz=CAIRO, now=NOW) -> DateValue | None:
    found = dates_after_headline(text, None, tz, now)
    return found.value if found else None


def test_the_first_absolute_publication_date_of_the_page():
    text = (
        "منذ 3 ساعات | موعد المباراة 20 نوفمبر 2024 | آخر تحديث: 5 نوفمبر 2024 | "
        "نشر في 4 نوفمبر 2024 الساعة 10:30 | 1 نوفمبر 2024"
    )
    assert first_absolute(text) == DateValue(datetime(2024, 11, 4, 10, 30, tzinfo=CAIRO), True)
    assert first_absolute(text, None) == DateValue(datetime(2024, 11, 4, 10, 30, tzinfo=UTC), True, True)
    soon = "نشر في 6 نوفمبر 2024 الساعة 12:30"  # 2.5 h after the fetch (10:00 in Cairo): not yet
    assert first_absolute(soon) is None
    assert first_absolute(soon, now=NOW + timedelta(hours=1)) is not None
    assert first_absolute("منذ 3 ساعات") is None
    assert first_absolute("بلا تاريخ") is None


def test_a_modification_line_is_not_the_publication():
    assert first_absolute("آخر تحديث: 5 نوفمبر 2024") is None
    # the label and the date in elements of their own, a day name and a preposition between
    assert first_absolute("آخر تحديث\nفي يوم الثلاثاء\n5 نوفمبر 2024") is None
    # a label is one when only such words stand between: the word ending a headline is not
    headline = "الحكومة تعلن تحديث نظام المرور\n5 نوفمبر 2024"
    assert first_absolute(headline) == DateValue(datetime(2024, 11, 5, tzinfo=CAIRO), False)
    # nor a label beyond the previous date, or too far before
    assert first_absolute("آخر تحديث: 5 نوفمبر 2024 4 نوفمبر 2024") == DateValue(
        datetime(2024, 11, 4, tzinfo=CAIRO), False
    )
    far = "تحديث" + " -" * 30 + " 5 نوفمبر 2024"
    assert first_absolute(far) == DateValue(datetime(2024, 11, 5, tzinfo=CAIRO), False)
    # an issue number's date is the print edition's
    assert first_absolute("العدد 16423 - الثلاثاء 5 نوفمبر 2024") is None
    assert first_absolute("عدد اليوم الورقي: 5 نوفمبر 2024") is None
    assert first_absolute("النسخة الورقية - 5 نوفمبر 2024") is None


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
