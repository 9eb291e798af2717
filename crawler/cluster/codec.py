"""Requests as JSON for the Redis queue (the ``SCHEDULER_SERIALIZER`` of scrapy-redis).

scrapy-redis pickles requests by default: whoever can write to Redis could then run code in every
worker.  This codec writes JSON and rebuilds only plain values and the few dataclasses a request
of akhbar's carries (feed entries and feed states).  A :class:`~crawler.sources.config.Source` is
written as its name and looked up again in the worker's own sources file when read, so a worker
always uses its current configuration.
"""

from __future__ import annotations

import base64
import dataclasses
import json
from datetime import datetime
from typing import Any

from crawler.items import FeedEntry
from crawler.sources.config import Source
from storage.feed_state import FeedState

DATACLASSES: dict[str, type] = {"FeedEntry": FeedEntry, "FeedState": FeedState}


class UnknownSource(ValueError):
    """A queued request names a source the worker's sources file does not have."""


def encode(value: Any) -> Any:
    """``value`` as JSON-ready data, tagged where JSON has no type of its own."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, bytes):
        return {"$b": base64.b64encode(value).decode("ascii")}
    if isinstance(value, datetime):
        return {"$t": value.isoformat()}
    if isinstance(value, Source):
        return {"$source": value.name}
    if dataclasses.is_dataclass(value) and type(value).__name__ in DATACLASSES:
        return {
            "$c": type(value).__name__,
            "f": {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)},
        }
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith("$") for k in value):
            return {k: encode(v) for k, v in value.items()}
        return {"$d": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [encode(v) for v in value]
    raise TypeError(f"cannot queue a value of type {type(value).__name__}")


def decode(value: Any, sources: dict[str, Source]) -> Any:
    if isinstance(value, list):
        return [decode(v, sources) for v in value]
    if not isinstance(value, dict):
        return value
    if "$b" in value:
        return base64.b64decode(value["$b"])
    if "$t" in value:
        return datetime.fromisoformat(value["$t"])
    if "$source" in value:
        try:
            return sources[value["$source"]]
        except KeyError:
            raise UnknownSource(f"source {value['$source']!r} is not in this worker's sources file") from None
    if "$c" in value:
        cls = DATACLASSES[value["$c"]]
        return cls(**{k: decode(v, sources) for k, v in value["f"].items()})
    if "$d" in value:
        return {decode(k, sources): decode(v, sources) for k, v in value["$d"]}
    return {k: decode(v, sources) for k, v in value.items()}


def dumps(obj: dict[str, Any]) -> bytes:
    return json.dumps(encode(obj), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def loads(data: bytes | str, sources: dict[str, Source] | None = None) -> dict[str, Any]:
    return decode(json.loads(data), sources or {})  # type: ignore[no-any-return]
