"""Machine-readable timestamps (``crawler.text.timestamps``): every form, zone and bound."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from crawler.text.timestamps import DateValue, build, localize, parse_machine_datetime, plausible, zone

CAIRO = ZoneInfo("Africa/Cairo")


def tz(hours: float) -> timezone:
    return timezone(timedelta(hours=hours))


@pytest.mark.parametrize(
    ("text", "default_tz", "expected"),
    [
        # ISO 8601, with every kind of zone
        ("2024-11-05T10:30:00+03:00", None, DateValue(datetime(2024, 11, 5, 10, 30, tzinfo=tz(3)), True, False, True)),
        (
            "2024-11-05T10:30:00-0430",
            None,
            DateValue(datetime(2024, 11, 5, 10, 30, tzinfo=tz(-4.5)), True, False, True),
        ),
        ("2024-11-05T10:30:00+02", None, DateValue(datetime(2024, 11, 5, 10, 30, tzinfo=tz(2)), True, False, True)),
        (
            "2024-11-05 10:30:15.123Z",
            None,
            DateValue(datetime(2024, 11, 5, 10, 30, 15, tzinfo=tz(0)), True, False, True),
        ),
        ("2024-11-05T10:30 EET", None, DateValue(datetime(2024, 11, 5, 10, 30, tzinfo=tz(2)), True, False, True)),
        ("2024-11-05T10:30 irst", None, DateValue(datetime(2024, 11, 5, 10, 30, tzinfo=tz(3.5)), True, False, True)),
        ("2024-11-05T10:30:00+14:00", None, DateValue(datetime(2024, 11, 5, 10, 30, tzinfo=tz(14)), True, False, True)),
        ("2024-11-05T10:30:00+14:01", None, None),  # no such offset: not a timestamp
        ("2024-11-05T10:30:00 XYZ", None, None),  # an unknown zone is not silently UTC
        # no zone: the source's, else UTC (and said so)
        ("2024-11-05T10:30:00", CAIRO, DateValue(datetime(2024, 11, 5, 10, 30, tzinfo=CAIRO), True, False, False)),
        ("2024-11-05T10:30:00", None, DateValue(datetime(2024, 11, 5, 10, 30, tzinfo=UTC), True, True, False)),
        ("2024-11-05T07:05", None, DateValue(datetime(2024, 11, 5, 7, 5, tzinfo=UTC), True, True, False)),
        ("2024-11-05", CAIRO, DateValue(datetime(2024, 11, 5, tzinfo=CAIRO), False, False, False)),
        ("2024-11-05T00:00:00", CAIRO, DateValue(datetime(2024, 11, 5, tzinfo=CAIRO), True, False, False)),
        # bounds
        ("1990-01-01", None, DateValue(datetime(1990, 1, 1, tzinfo=UTC), False, True, False)),
        ("1989-12-31", None, None),
        ("2100-12-31", None, DateValue(datetime(2100, 12, 31, tzinfo=UTC), False, True, False)),
        ("2101-01-01", None, None),
        ("2024-02-30", None, None),
        ("2024-11-05T25:00", None, None),
        # compact
        ("20241105T103000Z", None, DateValue(datetime(2024, 11, 5, 10, 30, tzinfo=tz(0)), True, False, True)),
        ("20241105T1030+0300", None, DateValue(datetime(2024, 11, 5, 10, 30, tzinfo=tz(3)), True, False, True)),
        ("20241105", CAIRO, DateValue(datetime(2024, 11, 5, tzinfo=CAIRO), False, False, False)),
        ("20241105T103045", None, DateValue(datetime(2024, 11, 5, 10, 30, 45, tzinfo=UTC), True, True, False)),
        ("20241105T1030+1500", None, None),  # no such offset: as in the ISO form, not a timestamp
        # RFC 822
        (
            "Tue, 05 Nov 2024 10:30:00 +0300",
            None,
            DateValue(datetime(2024, 11, 5, 10, 30, tzinfo=tz(3)), True, False, True),
        ),
        (
            "Tue, 05 Nov 2024 10:30:00 GMT",
            None,
            DateValue(datetime(2024, 11, 5, 10, 30, tzinfo=UTC), True, False, True),
        ),
        (
            "Tue, 05 Nov 2024 10:30:45 EET",
            None,
            DateValue(datetime(2024, 11, 5, 10, 30, 45, tzinfo=tz(2)), True, False, True),
        ),
        (
            "Tue, 05 Nov 2024 10:30:45 -0000",
            CAIRO,
            DateValue(datetime(2024, 11, 5, 10, 30, 45, tzinfo=CAIRO), True, False, False),
        ),
        (
            "Tue, 05 Nov 2024 10:30:45 -0000",
            None,
            DateValue(datetime(2024, 11, 5, 10, 30, 45, tzinfo=UTC), True, True, False),
        ),
        ("Tue, 05 Nov 1989 10:30:00 +0000", None, None),
        ("Tue, 05 Nov 2101 10:30:00 +0000", None, None),
        ("Tue, 05 Nov 1989 10:30:00 EET", None, None),
        ("Tue, 32 Nov 2024 10:30:00 +0000", None, None),
        # not timestamps
        ("الثلاثاء 5 نوفمبر 2024", None, None),
        ("Nov 5", None, None),
        ("2024", None, None),
        ("", None, None),
        (None, None, None),
        ("Tue," + " " * 40 + "05 Nov 2024 10:30:00 +0300", None, None),  # over 64 characters
    ],
)
def test_parse_machine_datetime(text, default_tz, expected):
    assert parse_machine_datetime(text, default_tz) == expected


def test_a_value_is_compared_and_stored_in_utc():
    value = parse_machine_datetime("2024-11-05T10:30:00+03:00")
    assert value is not None and value.utc() == datetime(2024, 11, 5, 7, 30, tzinfo=UTC)
    assert value.utc().tzinfo is UTC


def test_build_and_localize():
    assert build(2024, 11, 5, 9, None, None, None, CAIRO) == DateValue(datetime(2024, 11, 5, 9, tzinfo=CAIRO), True)
    assert build(2024, 11, 5, None, 30, None, tz(1), None) == DateValue(
        datetime(2024, 11, 5, 0, 30, tzinfo=tz(1)), False, explicit_zone=True
    )
    assert localize(datetime(2024, 1, 1), None) == (datetime(2024, 1, 1, tzinfo=UTC), True)
    assert localize(datetime(2024, 1, 1), CAIRO) == (datetime(2024, 1, 1, tzinfo=CAIRO), False)
    assert zone("Asia/Riyadh") == ZoneInfo("Asia/Riyadh") and zone(None) is None and zone("") is None


def test_plausible_is_neither_future_nor_before_the_web():
    now = datetime(2024, 11, 5, 12, 0, tzinfo=UTC)
    at = lambda value: DateValue(value, True)  # noqa: E731
    assert plausible(at(now + timedelta(hours=2)), now) and not plausible(at(now + timedelta(hours=2, seconds=1)), now)
    assert plausible(at(now + timedelta(hours=5)), now, timedelta(hours=6))
    assert plausible(at(datetime(1990, 1, 1, tzinfo=UTC)), now)
    assert not plausible(at(datetime(1989, 12, 31, 23, tzinfo=UTC)), now)
