"""The sources file: which outlets to crawl and how.  Loaded and validated in one place.

Every problem is reported with the source and field it concerns, e.g.
``sources.yaml: source #3 'enab-baladi': field 'timezone': unknown IANA time zone 'Damascus'``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

DEFAULT_INTERVAL_SECONDS = 15 * 60
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,99}$")
INTERVAL_RE = re.compile(r"^\s*(\d+)\s*([smhd])\s*$")
INTERVAL_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
KNOWN_FIELDS = {
    "name",
    "feeds",
    "sitemaps",
    "homepage",
    "language",
    "timezone",
    "interval",
    "verified",
    "notes",
    "country",
    "archive",
}


class SourcesError(ValueError):
    """The sources file cannot be used; the message names the file, source and field."""


@dataclass(frozen=True, slots=True)
class Source:
    name: str
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    homepage: str | None = None
    language: str = "ar"
    timezone: str | None = None
    interval_seconds: int = DEFAULT_INTERVAL_SECONDS
    verified: bool = False
    country: str | None = None
    notes: str | None = None
    archive: str | None = None  # date-archive sitemap pattern with {yyyy}, {mm}, {dd} (backfill)


def parse_interval(value: str | int) -> int:
    """``"30s"``, ``"15m"``, ``"2h"``, ``"1d"`` (or a number of seconds) → seconds."""
    if isinstance(value, bool):
        raise ValueError(f"not an interval: {value!r}")
    if isinstance(value, int):
        seconds = value
    else:
        match = INTERVAL_RE.match(str(value))
        if not match:
            raise ValueError(f"not an interval: {value!r} (use e.g. 30s, 15m, 2h, 1d)")
        seconds = int(match.group(1)) * INTERVAL_UNITS[match.group(2)]
    if seconds <= 0:
        raise ValueError(f"interval must be positive: {value!r}")
    return seconds


def _http_url(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"not a URL: {value!r}")
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {value!r}")
    return str(value)


def _url_list(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise ValueError(f"expected a list of URLs, got {type(value).__name__}")
    urls = tuple(_http_url(v) for v in value)
    if len(set(urls)) != len(urls):
        raise ValueError("lists the same URL twice")
    return urls


def _source_from_mapping(raw: dict[str, Any]) -> Source:
    """Build one source; raises ``KeyError``-free ``ValueError`` tagged with the field name."""

    def check(field_name: str, convert: Any) -> Any:
        try:
            return convert(raw.get(field_name))
        except ValueError as exc:
            raise SourcesError(f"field {field_name!r}: {exc}") from None

    def name(value: Any) -> str:
        if not isinstance(value, str) or not NAME_RE.match(value):
            raise ValueError(f"must be a slug of a-z, 0-9, '-' or '_', got {value!r}")
        return value

    def optional_url(value: Any) -> str | None:
        return None if value is None else _http_url(value)

    def language(value: Any) -> str:
        if value is None:
            return "ar"
        if not isinstance(value, str) or not re.match(r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$", value):
            raise ValueError(f"not a language code: {value!r}")
        return value

    def tz(value: Any) -> str | None:
        if value is None:
            return None
        try:
            ZoneInfo(str(value))
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown IANA time zone {value!r}") from None
        return str(value)

    def optional_text(value: Any) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            raise ValueError(f"expected text, got {value!r}")
        return value.strip() or None

    def archive_pattern(value: Any) -> str | None:
        if value is None:
            return None
        url = _http_url(value)
        if "{yyyy}" not in url:
            raise ValueError(f"needs {{yyyy}} (and usually {{mm}}, {{dd}}): {url!r}")
        try:
            url.format(yyyy="2024", mm="01", dd="01")
        except (KeyError, IndexError, ValueError):
            raise ValueError(f"only {{yyyy}}, {{mm}} and {{dd}} may appear in braces: {url!r}") from None
        return url

    def interval(value: Any) -> int:
        return DEFAULT_INTERVAL_SECONDS if value is None else parse_interval(value)

    def boolean(value: Any) -> bool:
        if value is None:
            return False
        if not isinstance(value, bool):
            raise ValueError(f"expected true or false, got {value!r}")
        return value

    unknown = sorted(set(raw) - KNOWN_FIELDS)
    if unknown:
        raise SourcesError(f"field {unknown[0]!r}: unknown field (known: {', '.join(sorted(KNOWN_FIELDS))})")
    source = Source(
        name=check("name", name),
        feeds=check("feeds", _url_list),
        sitemaps=check("sitemaps", _url_list),
        homepage=check("homepage", optional_url),
        language=check("language", language),
        timezone=check("timezone", tz),
        interval_seconds=check("interval", interval),
        verified=check("verified", boolean),
        country=check("country", optional_text),
        notes=check("notes", optional_text),
        archive=check("archive", archive_pattern),
    )
    if not source.feeds and not source.sitemaps:
        raise SourcesError("field 'feeds': a source needs at least one feed or sitemap")
    return source


def parse_sources(text: str, origin: str = "<sources>") -> list[Source]:
    """Parse and validate the YAML text of a sources file."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SourcesError(f"{origin}: not valid YAML: {exc}") from None
    if not isinstance(document, dict) or not isinstance(document.get("sources"), list):
        raise SourcesError(f"{origin}: expected a mapping with a 'sources:' list")
    sources: list[Source] = []
    seen: set[str] = set()
    for index, raw in enumerate(document["sources"], start=1):
        label = f"source #{index}"
        if not isinstance(raw, dict):
            raise SourcesError(f"{origin}: {label}: expected a mapping, got {type(raw).__name__}")
        if isinstance(raw.get("name"), str):
            label += f" {raw['name']!r}"
        try:
            source = _source_from_mapping(raw)
        except SourcesError as exc:
            raise SourcesError(f"{origin}: {label}: {exc}") from None
        if source.name in seen:
            raise SourcesError(f"{origin}: {label}: field 'name': duplicate source name")
        seen.add(source.name)
        sources.append(source)
    if not sources:
        raise SourcesError(f"{origin}: the 'sources:' list is empty")
    return sources


def load_sources(path: str | Path) -> list[Source]:
    """Read and validate a sources file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SourcesError(f"{path}: cannot read sources file: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise SourcesError(f"{path}: not UTF-8: {exc}") from None
    return parse_sources(text, origin=str(path))


def select_sources(sources: list[Source], names: list[str] | tuple[str, ...]) -> list[Source]:
    """The sources named (all when ``names`` is empty); an unknown name is an error."""
    if not names:
        return list(sources)
    by_name = {s.name: s for s in sources}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise SourcesError(unknown_source_message(unknown[0], sorted(by_name)))
    return [by_name[n] for n in dict.fromkeys(names)]


def unknown_source_message(name: str, known: list[str], shown: int = 40) -> str:
    """One line for a ``--source`` that names no source: the close matches, then the known names."""
    import difflib

    label = name if len(name) <= 80 else name[:80] + "…"
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    listed = ", ".join(known[:shown]) + (f", … ({len(known) - shown} more)" if len(known) > shown else "")
    return f"unknown source {label!r}{hint}; known: {listed or 'none'}"
