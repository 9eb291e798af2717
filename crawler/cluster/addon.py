"""Cluster mode, switched on in one place: the Scrapy add-on that makes a crawl a worker.

``akhbar worker`` sets ``AKHBAR_REDIS_URL``; this add-on (listed in ``ADDONS`` for every crawl)
sees it and installs the worker's parts: the Redis scheduler (``frontier``), the tracker that
acknowledges finished requests (``tracker``) and the per-host leases (``politeness``).  It also
sets ``AKHBAR_CLUSTER_ENABLED``, which the feed state keeper and the store read to keep a
feed's validators in Redis and to roll their crawl runs over.  No other module reads
``AKHBAR_REDIS_URL`` except the connection that dials it.
"""

from __future__ import annotations

from typing import Any

from scrapy.settings import BaseSettings

# Import paths, not classes: the add-on runs before Scrapy installs its reactor, and the
# components import Twisted's reactor (importing them here would install the wrong one).
SCHEDULER = "crawler.cluster.frontier.ClusterScheduler"
TRACKER = "crawler.cluster.tracker.WorkTracker"
POLITENESS = "crawler.cluster.politeness.ClusterPolitenessMiddleware"
# Closest to the download, after redirects and retries, so a lease is held exactly while a
# request is at the outlet.
POLITENESS_ORDER = 960
TRACKER_ORDER = 500


class ClusterAddon:
    """Installs the worker's components when ``AKHBAR_REDIS_URL`` is set; does nothing otherwise."""

    def __init__(self) -> None:
        self.enabled = False

    @classmethod
    def from_crawler(cls, crawler: Any) -> ClusterAddon:
        return cls()

    def __repr__(self) -> str:  # Scrapy logs "Enabled addons: [...]" for every crawl
        return "ClusterAddon(on: a cluster worker)" if self.enabled else "ClusterAddon(off: no AKHBAR_REDIS_URL)"

    def update_settings(self, settings: BaseSettings) -> None:
        if not settings.get("AKHBAR_REDIS_URL"):
            return
        self.enabled = True
        settings.set("AKHBAR_CLUSTER_ENABLED", True, priority="addon")
        settings.set("SCHEDULER", SCHEDULER, priority="addon")
        add_component(settings, "EXTENSIONS", TRACKER, TRACKER_ORDER)
        add_component(settings, "DOWNLOADER_MIDDLEWARES", POLITENESS, POLITENESS_ORDER)


def add_component(settings: BaseSettings, name: str, path: str, order: int) -> None:
    """Add ``path`` to the component dict ``name``, keeping the setting's priority."""
    components = settings.getdict(name)
    components[path] = order
    settings.set(name, components, priority=settings.getpriority(name) or 0)
