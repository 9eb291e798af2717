"""Sitemaps: urlsets (plain and Google News), sitemap indexes, gzip, robots.txt ``Sitemap:`` lines.

A pure function of bytes, like :mod:`crawler.feedparse.feed`.  Scrapy's own ``Sitemap`` class drops the
children of ``<news:news>`` (publication date, title, language, keywords), so entries are read
here with the same safe lxml settings (no entity resolution, no network, recovering parser);
gzip is decompressed with a size cap (a gzip bomb stops early).
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass, field
from datetime import tzinfo

import lxml.etree

from crawler.items import FeedEntry
from crawler.text.timestamps import DateValue, parse_machine_datetime
from crawler.text.urls import absolute_http_url

MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemap protocol's own limit, decompressed


@dataclass(slots=True)
class ParsedSitemap:
    kind: str | None = None  # "urlset", "sitemapindex", or None when it is not a sitemap
    entries: list[FeedEntry] = field(default_factory=list)  # for a urlset
    children: list[tuple[str, DateValue | None]] = field(default_factory=list)  # (url, lastmod)
    problem: str | None = None

    @property
    def is_sitemap(self) -> bool:
        return self.kind in ("urlset", "sitemapindex")


def _local(tag: object) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _text(element: object) -> str | None:
    text = getattr(element, "text", None)
    return " ".join(text.split()) if text and text.strip() else None


class SitemapTooLarge(ValueError):
    """The decompressed sitemap is over the size cap."""


def maybe_gunzip(body: bytes, max_size: int = MAX_SITEMAP_BYTES) -> bytes:
    """The body, decompressed when it is gzip data (``.xml.gz`` served without Content-Encoding).

    Raises :class:`SitemapTooLarge` past ``max_size`` decompressed bytes (without inflating the
    rest) and ``zlib.error``/``EOFError`` on a corrupt or truncated stream."""
    if body[:2] != b"\x1f\x8b":
        return body
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    output = inflater.decompress(body, max_size + 1)
    if len(output) > max_size:
        raise SitemapTooLarge(f"decompressed size over {max_size} bytes")
    if not inflater.eof:
        raise EOFError("truncated gzip stream")
    return output


def parse_sitemap(body: bytes, url: str, default_tz: tzinfo | None = None) -> ParsedSitemap:
    """Parse a sitemap or sitemap index; never raises on bad input."""
    try:
        body = maybe_gunzip(body)
    except Exception as exc:  # a truncated or oversized gzip stream
        return ParsedSitemap(problem=f"gzip: {exc}")
    if not body.strip():
        return ParsedSitemap(problem="empty body")
    result = ParsedSitemap()
    try:
        events = lxml.etree.iterparse(
            io.BytesIO(body),
            events=("start", "end"),
            recover=True,
            resolve_entities=False,
            no_network=True,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        for event, element in events:
            name = _local(element.tag)
            if event == "start":
                if result.kind is None:
                    result.kind = name if name in ("urlset", "sitemapindex") else "other"
                continue
            if name == "url" and result.kind == "urlset":
                entry = _url_entry(element, url, default_tz)
                if entry is not None:
                    result.entries.append(entry)
                element.clear()
            elif name == "sitemap" and result.kind == "sitemapindex":
                loc = absolute_http_url(_text(_child(element, "loc")), url)
                if loc:
                    result.children.append((loc, parse_machine_datetime(_text(_child(element, "lastmod")), default_tz)))
                element.clear()
    except lxml.etree.LxmlError as exc:
        result.problem = f"{type(exc).__name__}: {exc}"
    if result.kind not in ("urlset", "sitemapindex"):
        result.kind = None
        result.problem = result.problem or "not a sitemap"
    return result


def _child(element: object, name: str) -> object | None:
    for child in element:  # type: ignore[attr-defined]
        if _local(child.tag) == name:
            return child  # type: ignore[no-any-return]
    return None


def _url_entry(element: object, base: str, default_tz: tzinfo | None) -> FeedEntry | None:
    link = absolute_http_url(_text(_child(element, "loc")), base)
    if link is None:
        return None
    lastmod = parse_machine_datetime(_text(_child(element, "lastmod")), default_tz)
    news = _child(element, "news")
    title = published = language = None
    keywords: list[str] = []
    if news is not None:
        title = _text(_child(news, "title"))
        published = parse_machine_datetime(_text(_child(news, "publication_date")), default_tz)
        publication = _child(news, "publication")
        language = _text(_child(publication, "language")) if publication is not None else None
        words = _text(_child(news, "keywords"))
        keywords = [w.strip() for w in (words or "").split(",") if w.strip()]
    when = published or lastmod
    return FeedEntry(
        link=link,
        title=title,
        published_at=when.utc() if when else None,
        modified_at=lastmod.utc() if lastmod else None,
        tags=keywords,
        language=language,
    )


def robots_sitemaps(body: bytes, url: str) -> list[str]:
    """The ``Sitemap:`` URLs of a robots.txt (http(s) only)."""
    text = body.decode("utf-8", errors="ignore")
    found = []
    for line in text.splitlines():
        field, sep, value = line.strip().partition(":")
        if sep and field.strip().lower() == "sitemap":
            link = absolute_http_url(value.split("#", 1)[0].strip(), url)
            if link and link not in found:
                found.append(link)
    return found
