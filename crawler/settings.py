"""Scrapy settings for akhbar.  Every ``AKHBAR_*`` setting is listed in docs/operations.md ("Settings")."""

import os

from crawler import __version__, logmask

logmask.install()  # database URLs appear in "Overridden settings": never log their passwords

BOT_NAME = "akhbar"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# --- akhbar ---------------------------------------------------------------------------------
AKHBAR_DB_URL = os.environ.get("AKHBAR_DB_URL") or "sqlite:///data/akhbar.db"
AKHBAR_SOURCES_FILE = "sources.yaml"
AKHBAR_CRAWL_TIME_LIMIT = 1800  # seconds; the scheduler kills a crawl that runs longer
AKHBAR_STORE_BATCH_SIZE = 50  # articles written per transaction at most
AKHBAR_STORE_BATCH_DELAY = 0.5  # seconds an article may wait for its batch
AKHBAR_STORE_WRITER = "thread"  # where batches are written: "thread", "process" (own process and GIL), "none" (reactor)
AKHBAR_DB_RETRIES = 3  # a write that fails on a connection error is retried this many times
AKHBAR_DB_RETRY_DELAY = 0.5  # seconds, doubled at each retry
AKHBAR_EXTRACT_MIN_CHARS = 200  # shorter bodies are dropped as not-an-article
AKHBAR_EXTRACT_WORKERS = "auto"  # extraction processes: auto = one per core; 0 = in the crawl process
AKHBAR_EXTRACT_RECYCLE_AFTER = 1000  # pages per worker process before it is replaced (bounds memory)
AKHBAR_MAX_ENTRIES_PER_FEED = 200
AKHBAR_SITEMAP_WINDOW = 2 * 86400  # seconds: older sitemap entries are skipped when polling
AKHBAR_SITEMAP_DEPTH = 3  # sitemap index levels followed (robots.txt counts as one)
# Article URL keys remembered within one crawl so that variants of a link listed by several feeds
# are fetched once (bounded: older keys fall back to the database check).
AKHBAR_SCHEDULED_KEYS_MAX = 100_000
# The feeds spider's components (crawler/components), on for the spiders that use them (the feeds
# spider sets both in custom_settings): a probe of `akhbar sources` opens no database and starts
# no extraction process.
AKHBAR_FEED_STATE_ENABLED = False
AKHBAR_EXTRACTION_ENABLED = False
AKHBAR_CONTACT_URL = "https://github.com/akhbar-news/akhbar"
# --- several machines (`akhbar worker`; docs/cluster.md) ------------------------------------------------------
AKHBAR_REDIS_URL = ""  # set by `akhbar worker`: empty means a single-process crawl
AKHBAR_REDIS_PREFIX = "akhbar"  # every Redis key starts with it (one cluster per prefix)
AKHBAR_WORKER_NAME = ""  # default HOST:PID; recorded on crawl runs and articles
AKHBAR_CLUSTER_VISIBILITY_TIMEOUT = 60  # seconds before a request held by a silent worker is taken over
AKHBAR_CLUSTER_PREFETCH = 2  # requests a worker takes from Redis at once
AKHBAR_CLUSTER_MAX_DELIVERIES = 5  # a request taken this many times and never finished is dropped
AKHBAR_CLUSTER_FINGERPRINT_TTL = 86400  # seconds an article queued by one worker is not queued again
AKHBAR_RUN_ROLLOVER = 3600  # seconds: a worker closes its crawl runs and starts new ones this often
# Comma-separated CIDRs of private networks the crawler may fetch (tests: 127.0.0.0/8).
AKHBAR_PRIVATE_ALLOWLIST = os.environ.get("AKHBAR_PRIVATE_ALLOWLIST", "")

# An article response yields one item and a feed response yields requests (queued at once): a
# response's output needs no parallel processing, and Scrapy's default of 100 starts up to 100
# tasks per response to process it.  Items of different responses still run concurrently.
CONCURRENT_ITEMS = 1

# --- politeness -------------------------------------------------------------------------------
USER_AGENT = f"akhbar/{__version__} (+{AKHBAR_CONTACT_URL})"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.5

# --- limits -----------------------------------------------------------------------------------
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024  # decompressed bytes; news pages are far smaller
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
REDIRECT_MAX_TIMES = 5
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# Scrapy's list without DNS failures: a name that does not resolve (or resolves to a forbidden
# address) will not do better a second later.
RETRY_EXCEPTIONS = [
    "scrapy.exceptions.DownloadConnectionRefusedError",
    "scrapy.exceptions.DownloadFailedError",
    "scrapy.exceptions.DownloadTimeoutError",
    "scrapy.exceptions.ResponseDataLossError",
    "twisted.internet.error.ConnectionDone",
    "twisted.internet.error.ConnectError",
    "twisted.internet.error.ConnectionLost",
    OSError,
    "scrapy.core.downloader.handlers.http11.TunnelError",
]
# No Scrapy depth limit: articles never lead to further requests, and sitemap indexes are
# bounded by AKHBAR_SITEMAP_DEPTH (a Scrapy limit of 2 silently dropped the articles of a
# robots.txt → index → sitemap chain).
DEPTH_LIMIT = 0

# --- quiet surfaces: no remote consoles, no non-http schemes --------------------------------------
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # Scrapy 2.19's HTTP code-execution console
EXTENSIONS = {
    "crawler.components.feed_state.FeedStateKeeper": 100,  # feed states, known URLs, backfill progress
    "crawler.components.extraction.ExtractionService": 110,  # the extraction worker processes
    "scrapy.extensions.telnet.TelnetConsole": None,
    "scrapy.extensions.remote_control.RemoteControl": None,
}
DOWNLOAD_HANDLERS = {"file": None, "data": None, "s3": None, "ftp": None}

DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.HttpOnlyMiddleware": 50,
    "crawler.middlewares.AddressGuardMiddleware": 51,
}
# Cluster mode is switched on in one place: the add-on installs the Redis scheduler, the
# tracker and the per-host leases when AKHBAR_REDIS_URL is set (crawler/cluster/addon.py).
ADDONS = {"crawler.cluster.addon.ClusterAddon": 0}
TWISTED_DNS_RESOLVER = "crawler.resolver.GuardedResolver"
ITEM_PIPELINES = {
    "pipelines.validate.ValidatePipeline": 100,
    "pipelines.store.StorePipeline": 300,
}

LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
