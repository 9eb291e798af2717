"""The words of `akhbar stats`: when something happened, and when a poll is due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage.health import age, next_poll

NOW = datetime(2024, 11, 5, 12, 0, tzinfo=UTC)


def test_age():
    assert age(NOW - timedelta(minutes=3, seconds=5), NOW) == "3m ago"
    assert age(NOW - timedelta(hours=5), NOW) == "5h ago"
    assert age(NOW - timedelta(days=2, hours=23), NOW) == "2d ago"
    assert age(NOW - timedelta(seconds=12), NOW) == "12s ago"
    assert age(NOW + timedelta(minutes=5), NOW) == "in 5m"  # a clock ahead of ours
    assert age(None, NOW) == "—"


def test_a_poll_in_the_past_is_overdue_not_ago():
    assert next_poll(NOW - timedelta(minutes=34), NOW) == "overdue by 34m"
    assert next_poll(NOW + timedelta(minutes=5, seconds=30), NOW) == "in 5m"
    assert next_poll(NOW + timedelta(hours=2), NOW) == "in 2h"
    assert next_poll(NOW - timedelta(seconds=59), NOW) == "due now"
    assert next_poll(NOW + timedelta(seconds=59), NOW) == "due now"
    assert next_poll(NOW - timedelta(seconds=60), NOW) == "overdue by 1m"
    assert next_poll(None, NOW) == "—"
