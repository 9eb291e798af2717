"""`akhbar sources discover` and `akhbar sources check`: finding and checking feeds and sitemaps."""

from __future__ import annotations

import json
import re
import sys
from datetime import UTC, datetime
from typing import Any

import click

from crawler.cli.common import (
    DEFAULT_SOURCES,
    EXIT_USAGE,
    SourcesError,
    crawl_settings,
    fail,
    json_default,
    load_sources,
    select_sources,
    settings_option,
    sources_option,
)
from storage.db import resolve_db_url


@click.group(name="sources")
def sources_group() -> None:
    """Find and check feeds and sitemaps."""


def run_probe(settings: Any, **spider_args: str) -> Any:
    """Run the ``probe`` spider and return it (its ``probes`` hold the results)."""
    from scrapy.crawler import CrawlerProcess

    from spiders.probe import ProbeSpider

    process = CrawlerProcess(settings, install_root_handler=True)
    crawler = process.create_crawler(ProbeSpider)
    process.crawl(crawler, **spider_args)
    process.start()
    if crawler.stats is not None and crawler.stats.get_value("finish_reason") == "shutdown":
        raise KeyboardInterrupt  # Ctrl-C: Scrapy stopped the probe; say so and exit 130
    return crawler.spider


@sources_group.command()
@click.argument("url")
@settings_option("Override a Scrapy setting.")
def discover(url: str, overrides: tuple[str, ...]) -> None:
    """Propose a sources entry for a site: its declared and common feeds, news sitemaps (also from
    robots.txt), language and a time-zone guess; says which candidates were verified."""
    import yaml

    from crawler.sources.discovery import timezone_guess
    from crawler.text.urls import is_http_url, registered_domain

    if not is_http_url(url):
        fail(f"not an http(s) URL: {url!r}", EXIT_USAGE)
    settings = crawl_settings(resolve_db_url(None), DEFAULT_SOURCES, overrides, "ERROR")
    spider = run_probe(settings, homepage=url)
    probes = spider.probes
    feeds, seen_items = [], set()
    for candidate in spider.declared + [u for u in probes if u not in spider.declared]:
        probe = probes.get(candidate)
        if probe and probe.verified and probe.kind == "feed":
            signature = (probe.items, probe.newest)
            if signature not in seen_items:  # /feed and /feed/ serve the same feed
                seen_items.add(signature)
                feeds.append(candidate)
    sitemaps = [u for u, p in probes.items() if p.verified and p.kind in ("sitemap", "sitemap index")]
    news = [u for u in sitemaps if "news" in u.lower()]
    chosen_sitemaps = (news or sitemaps)[:2]
    domain = registered_domain(url) or "site"
    entry: dict[str, Any] = {
        "name": re.sub(r"[^a-z0-9-]+", "-", domain.split(".")[0].lower()).strip("-") or "site",
        "feeds": feeds[:3],
        "sitemaps": chosen_sitemaps,
        "homepage": url,
        "language": spider.language or "ar",
    }
    zone_name = spider.zone or timezone_guess(url)
    zone_why = spider.zone_why or "the domain"
    if zone_name:
        entry["timezone"] = zone_name
    entry["verified"] = False
    click.echo("# candidates (✓ verified: answered and parsed with items):", err=True)
    for candidate, probe in probes.items():
        if probe.status == "not fetched":
            continue
        mark = "✓" if probe.verified else "✗"
        detail = f"{probe.kind}, {probe.items} items" if probe.kind else (probe.problem or probe.status)
        declared = " (declared in <link rel=alternate>)" if candidate in spider.declared else ""
        click.echo(f"#  {mark} {candidate}: {probe.status if probe.status != 'ok' else detail}{declared}", err=True)
    if not feeds and not chosen_sitemaps:
        click.echo("# no working feed or sitemap found", err=True)
    if zone_name:
        click.echo(f"# timezone inferred from {zone_why}, the same guess extraction would make: check it", err=True)
    click.echo(yaml.safe_dump({"sources": [entry]}, allow_unicode=True, sort_keys=False).split("\n", 1)[1], nl=False)


@sources_group.command()
@sources_option
@click.option("--source", "source_names", multiple=True, metavar="NAME", help="Only this source (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="One JSON document on stdout.")
@settings_option("Override a Scrapy setting.")
def check(sources_file: str, source_names: tuple[str, ...], as_json: bool, overrides: tuple[str, ...]) -> None:
    """Fetch every configured feed and sitemap once: status, items, newest item's age, parse
    problems, encoding fixes.  Exit 0 even when some fail (the report says which)."""
    try:
        chosen = select_sources(load_sources(sources_file), source_names)
    except SourcesError as exc:
        fail(str(exc), EXIT_USAGE)
    urls = {url: source.name for source in chosen for url in (*source.feeds, *source.sitemaps)}
    settings = crawl_settings(resolve_db_url(None), sources_file, overrides, "ERROR")
    spider = run_probe(settings, urls="\n".join(urls))
    report = [{"source": urls[u], **spider.probes[u].as_dict()} for u in urls]
    if as_json:
        click.echo(
            json.dumps(
                {"checked_at": datetime.now(UTC), "feeds": report}, ensure_ascii=False, default=json_default, indent=2
            )
        )
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="akhbar sources check", title_justify="left")
    for column in ("source", "url", "status", "kind", "items", "newest", "problem / encoding"):
        table.add_column(column, overflow="fold")
    for row in report:
        newest = "—" if row["newest_age_hours"] is None else f"{row['newest_age_hours']} h ago"
        notes = "; ".join(x for x in (row["problem"], row["encoding_fix"]) if x) or ""
        table.add_row(
            row["source"],
            row["url"],
            ("✓ " if row["verified"] else "✗ ") + row["status"],
            row["kind"] or "—",
            str(row["items"]),
            newest,
            notes,
        )
    Console(file=sys.stdout, width=180).print(table)
