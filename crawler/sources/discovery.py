"""Finding a site's feeds and sitemaps from its homepage and robots.txt; summarising what a feed
or sitemap URL serves.  Pure functions: the ``probe`` spider fetches, these read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html

from crawler.extraction.zones import infer_zone, page_locales
from crawler.feedparse.feed import parse_feed, undeclared_charset
from crawler.feedparse.sitemap import parse_sitemap, robots_sitemaps
from crawler.text.encoding import decode_html
from crawler.text.urls import absolute_http_url

FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
    "application/xml",
    "text/xml",
)
COMMON_FEED_PATHS = (
    "/feed",
    "/feed/",
    "/rss",
    "/rss.xml",
    "/feed.xml",
    "/atom.xml",
    "/index.xml",
    "/rss/",
    "/feeds/posts/default",
    "/?feed=rss2",
)
COMMON_SITEMAP_PATHS = (
    "/sitemap-news.xml",
    "/news-sitemap.xml",
    "/sitemap_news.xml",
    "/googlenews.xml",
    "/sitemap.xml",
    "/sitemap_index.xml",
)


@dataclass(slots=True)
class HomepageFindings:
    declared_feeds: list[str] = field(default_factory=list)
    language: str | None = None
    zone: str | None = None  # the zone akhbar would infer for the site's pages (crawler.extraction.zones)
    zone_why: str | None = None


def read_homepage(body: bytes, url: str, content_type: str | None) -> HomepageFindings:
    """Feeds declared with ``<link rel="alternate">`` and the page's language."""
    text, _ = decode_html(body, content_type)
    findings = HomepageFindings()
    try:
        tree = lxml.html.document_fromstring(text)
    except Exception:
        return findings
    findings.language = (tree.get("lang") or "").split("-")[0].lower() or None
    guess = infer_zone(url, page_locales(tree), tree.text_content()[:20000])
    if guess is not None:
        findings.zone, findings.zone_why = guess.name, guess.why
    for link in tree.xpath("//link[@href]"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower()
        if "alternate" in rel and any(kind.startswith(t) for t in FEED_TYPES):
            href = absolute_http_url(link.get("href"), url)
            if href and href not in findings.declared_feeds:
                findings.declared_feeds.append(href)
    return findings


def candidate_urls(homepage: str) -> tuple[list[str], list[str]]:
    """Common feed and sitemap locations to try on a site (and its robots.txt)."""
    parts = urlsplit(homepage)
    root = f"{parts.scheme}://{parts.netloc}"
    base = homepage if homepage.endswith("/") else homepage + "/"
    feeds = list(
        dict.fromkeys([urljoin(base, p.lstrip("/")) for p in COMMON_FEED_PATHS] + [root + p for p in COMMON_FEED_PATHS])
    )
    sitemaps = list(dict.fromkeys([root + p for p in COMMON_SITEMAP_PATHS] + [root + "/robots.txt"]))
    return feeds, sitemaps


def timezone_guess(homepage: str) -> str | None:
    """The zone of the site's country from its ccTLD alone (when its homepage could not be read)."""
    guess = infer_zone(homepage, [], "")
    return guess.name if guess else None


@dataclass(slots=True)
class Probe:
    """What one URL serves, for ``sources discover`` and ``sources check``."""

    url: str
    status: str = "not fetched"
    kind: str | None = None  # feed, sitemap, sitemap index, robots
    items: int = 0
    newest: datetime | None = None
    problem: str | None = None
    encoding: str | None = None
    encoding_fix: str | None = None
    sitemaps: list[str] = field(default_factory=list)

    @property
    def verified(self) -> bool:
        return self.status == "ok" and self.kind is not None and (self.items > 0 or self.kind == "sitemap index")

    def age_hours(self, now: datetime | None = None) -> float | None:
        if self.newest is None:
            return None
        return round(((now or datetime.now(UTC)) - self.newest).total_seconds() / 3600, 1)

    def as_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "status": self.status,
            "kind": self.kind,
            "items": self.items,
            "newest": self.newest,
            "newest_age_hours": self.age_hours(),
            "problem": self.problem,
            "encoding": self.encoding,
            "encoding_fix": self.encoding_fix,
            "verified": self.verified,
        }


def probe_body(url: str, body: bytes, content_type: str | None) -> Probe:
    """Classify a fetched body as a feed, a sitemap (index) or a robots.txt, and summarise it."""
    probe = Probe(url, status="ok")
    if urlsplit(url).path.endswith("/robots.txt"):
        probe.kind, probe.sitemaps = "robots", robots_sitemaps(body, url)
        probe.items = len(probe.sitemaps)
        return probe
    sitemap = parse_sitemap(body, url)
    if sitemap.is_sitemap:
        probe.kind = "sitemap index" if sitemap.kind == "sitemapindex" else "sitemap"
        probe.items = len(sitemap.children) if sitemap.kind == "sitemapindex" else len(sitemap.entries)
        dates = [d for e in sitemap.entries if (d := e.published_at or e.modified_at) is not None]
        probe.newest = max(dates, default=None)
        probe.problem = sitemap.problem
        return probe
    feed = parse_feed(body, url, content_type)
    if feed.is_feed:
        probe.kind, probe.items = "feed", len(feed.entries)
        probe.newest = max((e.published_at for e in feed.entries if e.published_at), default=None)
        probe.problem, probe.encoding = feed.problem, feed.encoding
        fixed = undeclared_charset(body, content_type)
        if fixed and fixed.lower() not in ("utf-8", "utf8"):
            probe.encoding_fix = f"charset {fixed} (not declared in the HTTP header)"
        return probe
    probe.problem = feed.problem or sitemap.problem
    return probe
