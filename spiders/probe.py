"""The ``probe`` spider behind ``akhbar sources discover`` and ``akhbar sources check``: fetches
a homepage (and robots.txt) or a list of feed/sitemap URLs once, and reads what they serve.
Everything goes through Scrapy (robots.txt, size caps, the address guard)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import scrapy
from scrapy.http import Request, Response
from twisted.python.failure import Failure

from crawler.sources.discovery import Probe, candidate_urls, probe_body, read_homepage
from spiders.responses import failure_reason


class ProbeSpider(scrapy.Spider):
    name = "probe"
    custom_settings = {"ROBOTSTXT_OBEY": False, "ITEM_PIPELINES": {}, "RETRY_TIMES": 0}

    def __init__(self, homepage: str | None = None, urls: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.homepage = homepage
        self.urls = [u for u in (urls or "").split("\n") if u]
        self.probes: dict[str, Probe] = {}
        self.language: str | None = None
        self.zone: str | None = None
        self.zone_why: str | None = None
        self.declared: list[str] = []

    def _probe(self, url: str, **meta: Any) -> Request:
        self.probes.setdefault(url, Probe(url))
        return Request(
            url,
            callback=self.parse_probe,
            errback=self.probe_failed,
            dont_filter=True,
            meta={"akhbar_kind": "probe", **meta},
        )

    async def start(self) -> AsyncIterator[Request]:
        if self.homepage:
            yield Request(self.homepage, callback=self.parse_homepage, errback=self.probe_failed, dont_filter=True)
            feeds, sitemaps = candidate_urls(self.homepage)
            for url in feeds + sitemaps:
                yield self._probe(url)
        for url in self.urls:
            yield self._probe(url)

    def parse_homepage(self, response: Response) -> Any:
        findings = read_homepage(
            response.body, response.url, (response.headers.get("Content-Type") or b"").decode("latin-1") or None
        )
        self.language = findings.language
        self.zone, self.zone_why = findings.zone, findings.zone_why
        self.declared = findings.declared_feeds
        for url in findings.declared_feeds:
            if url not in self.probes:
                yield self._probe(url)

    def parse_probe(self, response: Response) -> Any:
        original = response.meta.get("redirect_urls", [response.url])[0]
        probe = probe_body(
            response.url, response.body, (response.headers.get("Content-Type") or b"").decode("latin-1") or None
        )
        probe.url = original
        self.probes[original] = probe
        for url in probe.sitemaps:  # from robots.txt
            if url not in self.probes:
                yield self._probe(url)

    def probe_failed(self, failure: Failure) -> None:
        url = failure.request.url  # type: ignore[attr-defined]
        probe = self.probes.setdefault(url, Probe(url))
        probe.status = failure_reason(failure)
