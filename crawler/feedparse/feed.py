"""Feed parsing: bytes + response headers → entries.  RSS 0.9x/1.0/2.0 and Atom via feedparser.

feedparser is given the body and the response's Content-Type so a ``charset=`` sent only in the
header is honoured.  Ill-formed feeds are recovered where feedparser can (its "bozo" mode) and
the problem is reported in ``ParsedFeed.problem`` rather than raised.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Any

import feedparser

from crawler.items import FeedEntry
from crawler.text.encoding import detect_encoding
from crawler.text.timestamps import parse_machine_datetime
from crawler.text.urls import absolute_http_url

logger = logging.getLogger(__name__)

MAX_TEXT_FIELD = 10_000


@dataclass(slots=True)
class ParsedFeed:
    """What a feed said: its entries, and whether it was a feed at all."""

    entries: list[FeedEntry] = field(default_factory=list)
    title: str | None = None
    version: str | None = None
    encoding: str | None = None
    problem: str | None = None
    skipped_entries: int = 0
    ttl_minutes: int | None = None
    update_period: str | None = None
    update_frequency: int | None = None

    @property
    def is_feed(self) -> bool:
        return bool(self.version) or bool(self.entries)


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value[:MAX_TEXT_FIELD] or None


def _entry_author(raw: Any) -> str | None:
    author = _text(raw.get("author"))
    if author:
        return author
    found = [_text(a.get("name")) for a in raw.get("authors") or [] if isinstance(a, dict)]
    names = [n for n in found if n]
    return "، ".join(names) if names else None


def _entry_tags(raw: Any) -> list[str]:
    tags: list[str] = []
    for tag in raw.get("tags") or []:
        term = _text(tag.get("term") or tag.get("label")) if isinstance(tag, dict) else None
        if term and term not in tags:
            tags.append(term)
    return tags


def entry_from_raw(raw: Any, base_url: str, default_tz: tzinfo | None) -> FeedEntry | None:
    """One feedparser entry → :class:`FeedEntry`; None without an http(s) link."""
    link = absolute_http_url(raw.get("link"), base_url)
    guid = _text(raw.get("id"))
    if link is None and guid and raw.get("guidislink", False):
        link = absolute_http_url(guid, base_url)
    if link is None:
        return None
    published_text = _text(dict.get(raw, "published") or dict.get(raw, "dc_date"))
    published = parse_machine_datetime(published_text, default_tz)
    # dict.get: FeedParserDict maps a missing "updated" to "published" (with a warning).
    modified = parse_machine_datetime(_text(dict.get(raw, "updated")), default_tz)
    if published is None and modified is not None:
        published = modified  # Atom feeds often carry only <updated>
    summary = raw.get("summary")
    return FeedEntry(
        link=link,
        title=_text(raw.get("title")),
        published_at=published.utc() if published else None,
        published_text=published_text,
        modified_at=modified.utc() if modified else None,
        author=_entry_author(raw),
        guid=guid,
        summary=summary[:MAX_TEXT_FIELD] if isinstance(summary, str) else None,
        tags=_entry_tags(raw),
        language=_text(raw.get("language")),
    )


XML_ENCODING_RE = re.compile(rb"^\s*<\?xml[^>]*encoding=[\"']([A-Za-z0-9_.:-]+)", re.IGNORECASE)
BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def undeclared_charset(body: bytes, content_type: str | None) -> str | None:
    """The charset to tell feedparser when the HTTP header names none: the BOM's, then the XML
    declaration's, then a detected one (legacy Arabic feeds in windows-1256 or ISO-8859-6).
    (Without it feedparser follows RFC 3023 and reads ``text/xml`` as US-ASCII.)"""
    if content_type and "charset=" in content_type.lower():
        return None
    for bom, name in BOMS:
        if body.startswith(bom):
            return name
    declared = XML_ENCODING_RE.match(body[:200])
    if declared:
        return declared.group(1).decode("ascii")
    return detect_encoding(body) or "utf-8"


def parse_feed(
    body: bytes,
    url: str,
    content_type: str | None = None,
    default_tz: tzinfo | None = None,
    max_entries: int | None = None,
) -> ParsedFeed:
    """Parse a feed body.  Never raises on bad input: problems go to ``ParsedFeed.problem``."""
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    declared = undeclared_charset(body, content_type)
    if declared:
        headers["content-type"] = f"{(content_type or 'application/xml').split(';')[0]}; charset={declared}"
    if not body or not body.strip():
        return ParsedFeed(problem="empty body")
    try:
        parsed = feedparser.parse(
            io.BytesIO(body), response_headers=headers, sanitize_html=False, resolve_relative_uris=False
        )
    except Exception as exc:  # feedparser is lenient, but a hostile body must not stop a crawl
        logger.warning("feed parser failed on %s", url, exc_info=True)
        return ParsedFeed(problem=f"parser error: {type(exc).__name__}: {exc}")
    result = ParsedFeed(
        title=_text(parsed.feed.get("title")),
        version=parsed.get("version") or None,
        encoding=parsed.get("encoding"),
    )
    if parsed.get("bozo"):
        bozo = parsed.get("bozo_exception")
        result.problem = f"{type(bozo).__name__}: {bozo}" if bozo else "ill-formed feed"
    ttl = parsed.feed.get("ttl")
    if isinstance(ttl, str) and ttl.strip().isdigit():
        result.ttl_minutes = int(ttl.strip())
    period, frequency = parsed.feed.get("sy_updateperiod"), parsed.feed.get("sy_updatefrequency")
    result.update_period = period.strip() if isinstance(period, str) else None
    if isinstance(frequency, str) and frequency.strip().isdigit():
        result.update_frequency = int(frequency.strip())
    seen: set[str] = set()
    for raw in parsed.entries:
        if max_entries is not None and len(result.entries) >= max_entries:
            result.skipped_entries += 1
            continue
        entry = entry_from_raw(raw, url, default_tz)
        if entry is None or entry.link in seen:
            result.skipped_entries += 1
            continue
        seen.add(entry.link)
        result.entries.append(entry)
    if not result.is_feed:
        result.problem = f"not a feed ({result.problem})" if result.problem else "not a feed"
    return result
