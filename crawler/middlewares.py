"""Downloader middlewares."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request

from crawler.netguard import Network, forbidden_reason, is_ip_literal, parse_allowlist
from crawler.text.urls import is_http_url

logger = logging.getLogger(__name__)


class RefusedScheme(IgnoreRequest):
    """Not an http(s) URL."""


class ForbiddenRequest(IgnoreRequest):
    """An IP literal in a forbidden range (counted by the spider's errback)."""


class HttpOnlyMiddleware:
    """Refuse any request that is not http(s) (``file:``, ``ftp:``, ``data:``...), redirects
    included, and count it as ``guard/scheme``."""

    def __init__(self, stats: Any) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HttpOnlyMiddleware:
        return cls(crawler.stats)

    def process_request(self, request: Request) -> None:
        if not is_http_url(request.url):
            self.stats.inc_value("guard/scheme")
            logger.warning("refused non-http(s) URL %s", request.url)
            raise RefusedScheme(f"refused non-http(s) URL {request.url}")


class AddressGuardMiddleware:
    """Refuse requests to IP literals in forbidden ranges (loopback, private, link-local,
    multicast, reserved; IPv4 and IPv6).  Hostnames are checked on the address they resolve to
    by :class:`crawler.resolver.GuardedResolver`.  Both are counted as ``guard/private_address``
    by the spider's errback."""

    def __init__(self, stats: Any, allowlist: tuple[Network, ...] = ()) -> None:
        self.stats = stats
        self.allowlist = allowlist

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AddressGuardMiddleware:
        return cls(crawler.stats, parse_allowlist(crawler.settings.get("AKHBAR_PRIVATE_ALLOWLIST")))

    def process_request(self, request: Request) -> None:
        host = urlsplit(request.url).hostname or ""
        if not is_ip_literal(host):
            return
        reason = forbidden_reason(host, self.allowlist)
        if reason is not None:
            logger.warning("refused %s: %s address", request.url, reason)
            raise ForbiddenRequest(f"refused {reason} address {host}")
