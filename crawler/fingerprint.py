"""Request fingerprints by article identity: two feed links that differ only in tracking
parameters, ``www.``/``m.``, AMP form or percent-encoding fingerprint alike, so Scrapy's
duplicate filter downloads the article once per crawl."""

from __future__ import annotations

import hashlib
from typing import Any

from scrapy.http import Request
from scrapy.utils.request import RequestFingerprinter

from crawler.urls import url_key


class UrlKeyFingerprinter:
    def __init__(self, crawler: Any = None) -> None:
        self.default = RequestFingerprinter(crawler)

    @classmethod
    def from_crawler(cls, crawler: Any) -> UrlKeyFingerprinter:
        return cls(crawler)

    def fingerprint(self, request: Request) -> bytes:
        if request.meta.get("akhbar_kind") != "article":
            return self.default.fingerprint(request)
        return hashlib.sha1(f"{request.method} {url_key(request.url)}".encode()).digest()
