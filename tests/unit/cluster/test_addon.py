"""Cluster mode is switched on in one place: the add-on installs the worker's parts when
``AKHBAR_REDIS_URL`` is set and leaves a single-process crawl exactly as it was."""

from __future__ import annotations

from pathlib import Path

from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from crawler.cluster.addon import POLITENESS, SCHEDULER, TRACKER
from spiders.feeds import FeedsSpider

ROOT = Path(__file__).resolve().parents[3]


def crawler_settings(**values: str) -> Settings:
    crawler = get_crawler(FeedsSpider, {**dict(project_values()), **values})
    return crawler.settings


def project_values() -> dict:
    settings = Settings()
    settings.setmodule("crawler.settings")
    wanted = ("ADDONS", "EXTENSIONS", "DOWNLOADER_MIDDLEWARES")
    return {key: settings[key] for key in settings if key.startswith("AKHBAR_") or key in wanted}


def components(settings: Settings, name: str) -> set:
    return set(settings.getwithbase(name))


def test_a_redis_url_makes_a_worker():
    settings = crawler_settings(AKHBAR_REDIS_URL="redis://127.0.0.1:6379/0")
    assert settings.getbool("AKHBAR_CLUSTER_ENABLED")
    assert settings["SCHEDULER"] == SCHEDULER
    assert TRACKER in components(settings, "EXTENSIONS")
    assert POLITENESS in components(settings, "DOWNLOADER_MIDDLEWARES")


def test_the_addon_says_in_the_log_whether_it_is_on():
    from crawler.cluster.addon import ClusterAddon

    on, off = ClusterAddon(), ClusterAddon()
    settings = Settings()
    settings.setmodule("crawler.settings")
    off.update_settings(settings)
    settings.set("AKHBAR_REDIS_URL", "redis://127.0.0.1:6379/0")
    on.update_settings(settings)
    assert repr(on) == "ClusterAddon(on: a cluster worker)" and repr(off) == "ClusterAddon(off: no AKHBAR_REDIS_URL)"


def test_without_it_the_crawl_has_no_cluster_part():
    settings = crawler_settings()
    assert not settings.getbool("AKHBAR_CLUSTER_ENABLED")
    assert settings["SCHEDULER"] == "scrapy.core.scheduler.Scheduler"
    installed = components(settings, "EXTENSIONS") | components(settings, "DOWNLOADER_MIDDLEWARES")
    assert not {TRACKER, POLITENESS} & installed
    assert not any("crawler.cluster" in str(path) for path in installed)


def test_only_the_addon_and_the_connection_read_the_redis_url():
    readers = {
        path.relative_to(ROOT).as_posix()
        for package in ("crawler", "pipelines", "spiders", "storage")
        for path in (ROOT / package).rglob("*.py")
        if '"AKHBAR_REDIS_URL"' in path.read_text(encoding="utf-8")
    }
    # cli/cluster.py sets it from --redis; nothing else decides cluster mode.
    assert readers == {"crawler/cluster/addon.py", "crawler/cluster/connection.py", "crawler/cli/cluster.py"}
