"""Downloader middlewares."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request

from crawler.urls import is_http_url

logger = logging.getLogger(__name__)


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
            raise IgnoreRequest(f"refused non-http(s) URL {request.url}")
