"""When to poll a feed next: pure policy, no I/O.

* **Adaptive interval** within ``[base/4, base*8]`` (``base`` = the source's ``interval``): a fetch
  where at least half the entries are new halves the interval, a fetch with no new entries
  stretches it by half, and the feed's own hint (RSS ``<ttl>``, ``sy:updatePeriod``) is a floor.
* **Backoff** after failures: the interval doubles per failure point, where soft errors (HTTP
  404, 410, 429, 5xx, timeouts) weigh 1 and hard ones (DNS, refused connection, forbidden
  address, not a feed) weigh 2; ``Retry-After`` is honoured; the wait is capped at a day and
  the feed is never given up for good.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

MAX_BACKOFF = timedelta(days=1)
MIN_FACTOR, MAX_FACTOR = 0.25, 8.0
SOFT_STATUSES = ("HTTP 404", "HTTP 410", "HTTP 429", "timeout")
HARD_WEIGHT, SOFT_WEIGHT = 2.0, 1.0
UPDATE_PERIODS = {"hourly": 3600, "daily": 86400, "weekly": 604800, "monthly": 2592000, "yearly": 31536000}


@dataclass(frozen=True, slots=True)
class PollPlan:
    interval_seconds: int
    next_fetch_at: datetime
    failure_weight: float


def failure_weight(status: str) -> float:
    """How much a failed fetch counts toward backoff (soft 1, hard 2)."""
    if status in SOFT_STATUSES or status.startswith("HTTP 5"):
        return SOFT_WEIGHT
    return HARD_WEIGHT


def retry_after_seconds(value: str | None, now: datetime) -> int | None:
    """``Retry-After`` as seconds: a number, or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return int(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0, int((when - now).total_seconds()))


def hint_seconds(
    ttl_minutes: int | None, update_period: str | None = None, update_frequency: int | None = None
) -> int | None:
    """The feed's own idea of its refresh period (RSS ``ttl``; ``sy:updatePeriod``/``Frequency``)."""
    hints = []
    if ttl_minutes:
        hints.append(ttl_minutes * 60)
    if update_period and update_period.lower() in UPDATE_PERIODS:
        hints.append(UPDATE_PERIODS[update_period.lower()] // max(1, update_frequency or 1))
    return min(hints) if hints else None


def _clamp(interval: float, base: int) -> int:
    return int(min(max(interval, base * MIN_FACTOR), base * MAX_FACTOR))


def after_success(
    now: datetime, base: int, current: int | None, entries: int, new_entries: int, hint: int | None = None
) -> PollPlan:
    """The plan after a fetch that worked (``entries``/``new_entries`` 0 for "not modified")."""
    interval = float(current or base)
    if entries and new_entries * 2 >= entries:
        interval /= 2
    elif new_entries == 0:
        interval *= 1.5
    interval = _clamp(interval, base)
    if hint:
        interval = max(interval, min(hint, base * MAX_FACTOR))
    return PollPlan(int(interval), now + timedelta(seconds=int(interval)), 0.0)


def after_failure(
    now: datetime, base: int, current: int | None, previous_weight: float, status: str, retry_after: int | None = None
) -> PollPlan:
    """The plan after a failed fetch: exponential backoff, Retry-After, capped at a day."""
    weight = previous_weight + failure_weight(status)
    interval = current or base
    wait = min(timedelta(seconds=interval * 2**weight), MAX_BACKOFF)
    if retry_after is not None:
        wait = min(max(wait, timedelta(seconds=retry_after)), MAX_BACKOFF)
    return PollPlan(interval, now + wait, weight)
