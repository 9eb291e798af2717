"""The feeds spider's components are on for the spiders that use them and off for the others: a
probe of ``akhbar sources`` opens no database and makes no extraction pool."""

from __future__ import annotations

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from crawler.components.extraction import ExtractionService
from crawler.components.feed_state import FeedStateKeeper
from spiders.feeds import FeedsSpider
from spiders.probe import ProbeSpider
from tests.conftest import run_akhbar


def project_settings(db_path) -> dict:
    settings = Settings()
    settings.setmodule("crawler.settings")
    values = {key: settings[key] for key in settings if key.startswith("AKHBAR_")}
    return values | {"AKHBAR_DB_URL": f"sqlite:///{db_path}", "AKHBAR_EXTRACT_WORKERS": "0"}


def test_the_components_are_off_for_a_probe_and_on_for_the_feeds_spider(tmp_path):
    settings = project_settings(tmp_path / "data" / "akhbar.db")
    probe = get_crawler(ProbeSpider, settings)
    with pytest.raises(NotConfigured):
        FeedStateKeeper.from_crawler(probe)
    with pytest.raises(NotConfigured):
        ExtractionService.from_crawler(probe)
    assert not (tmp_path / "data").exists()

    feeds = get_crawler(FeedsSpider, settings)
    keeper = FeedStateKeeper.from_crawler(feeds)
    service = ExtractionService.from_crawler(feeds)
    assert keeper.scheduled_max == 100_000 and not keeper.in_cluster
    keeper.engine.dispose()
    service.pool.close()


def test_sources_discover_leaves_nothing_in_the_working_directory(tmp_path):
    # A private address the guard refuses (no allowlist): the probe crawl runs and ends at once.
    result = run_akhbar("sources", "discover", "http://127.0.0.1:9/", cwd=tmp_path, AKHBAR_PRIVATE_ALLOWLIST="")
    assert "no working feed or sitemap found" in result.stderr, result.stderr[-2000:]
    assert list(tmp_path.iterdir()) == []
