"""Scrapy settings of the termwatch crawler (``scrapy.cfg`` points here).

termwatch visits a few pages per site, a few times a day at most: it announces itself,
obeys robots.txt, keeps to one request at a time per site with a delay AutoThrottle
lengthens when a site slows down, retries what is worth retrying, and gives up on pages
that are slow or huge. Settings of its own are prefixed ``TERMWATCH_``;
``termwatch crawl`` sets them from its options (``scrapy crawl terms -s NAME=VALUE`` too).
"""

import os
from importlib.metadata import version

BOT_NAME = "termwatch"
SPIDER_MODULES = ["termwatch.crawler.spiders"]
NEWSPIDER_MODULE = "termwatch.crawler.spiders"

# Who we are, so a site owner who sees us in the logs knows what we do and whom to ask.
USER_AGENT = (
    f"termwatch/{version('termwatch')} "
    "(terms-of-service tracker for AI coding assistants; override with -s USER_AGENT=...)"
)
ROBOTSTXT_OBEY = True
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8",
    # The registry tracks the English text; without this some sites answer in the
    # language they guess from the visitor's address.
    "Accept-Language": "en",
}

# Politeness: sites are fetched in parallel, each one gently.
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0  # seconds between requests to a site; AutoThrottle never goes below
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# Give up on what will not come: a terms page is a few hundred kilobytes.
DOWNLOAD_TIMEOUT = 30
DNS_TIMEOUT = 10
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024

# Retry what a moment may fix: rate limiting, server errors, dropped connections and
# timeouts. A host name that does not resolve is not retried: it is recorded as a ``dns``
# failure at once (which is also what keeps a crawl on a machine without network short).
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
RETRY_EXCEPTIONS = [
    "scrapy.exceptions.DownloadConnectionRefusedError",
    "scrapy.exceptions.DownloadFailedError",
    "scrapy.exceptions.DownloadTimeoutError",
    "scrapy.exceptions.ResponseDataLossError",
    "twisted.internet.error.ConnectionDone",
    "twisted.internet.error.ConnectError",
    "twisted.internet.error.ConnectionLost",
    OSError,  # raised by HttpCompressionMiddleware on an empty compressed body
    "scrapy.core.downloader.handlers.http11.TunnelError",
]
# A page that still fails after its retries is recorded as a failed fetch, not a crash.
RETRY_GIVE_UP_LOG_LEVEL = "WARNING"

ITEM_PIPELINES = {
    "termwatch.crawler.pipelines.ExtractPipeline": 300,
    "termwatch.crawler.pipelines.RecordPipeline": 800,
}
DOWNLOADER_MIDDLEWARES = {
    # First, so that no request to a forbidden address is even tried (robots.txt neither).
    "termwatch.crawler.middlewares.AddressPolicyMiddleware": 80,
    # Scrapy's, fixed (robots.txt for every waiting request) and each of their refusals
    # recorded as what it is, not as a bare IgnoreRequest: see crawler.middlewares.
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "termwatch.crawler.middlewares.RobotsTxtMiddleware": 100,
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "termwatch.crawler.middlewares.MetaRefreshMiddleware": 580,
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "termwatch.crawler.middlewares.HttpCompressionMiddleware": 590,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "termwatch.crawler.middlewares.RedirectMiddleware": 600,
    # Scrapy's HTTP cache, as conditional requests over the recorded snapshots (crawler.cache).
    "scrapy.downloadermiddlewares.httpcache.HttpCacheMiddleware": None,
    "termwatch.crawler.cache.ConditionalRequestMiddleware": 900,
    # Last before the download itself, so every other middleware (robots.txt, retries,
    # redirects) sees the real URL. Inactive unless TERMWATCH_REPLAY is set.
    "termwatch.crawler.middlewares.ReplayMiddleware": 950,
}

# Conditional requests: each page's ETag / Last-Modified, as recorded, sent back next time;
# a 304 is the stored page, unchanged (crawler.cache).
HTTPCACHE_ENABLED = True
HTTPCACHE_STORAGE = "termwatch.crawler.cache.SnapshotCacheStorage"
HTTPCACHE_POLICY = "termwatch.crawler.cache.RevalidatePolicy"

# Pages whose terms a script writes are rendered in the system's Chromium by scrapy-playwright
# (crawler.browser): one browser, started with the first such page, a few tabs at a time.
DOWNLOAD_HANDLERS = {
    "http": "termwatch.crawler.browser.BrowserDownloadHandler",
    "https": "termwatch.crawler.browser.BrowserDownloadHandler",
}
PLAYWRIGHT_BROWSER_PROVIDER = "termwatch.crawler.browser.SystemBrowser"
PLAYWRIGHT_MAX_CONTEXTS = 1
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 2  # browser pages rendered at once
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = DOWNLOAD_TIMEOUT * 1000
PLAYWRIGHT_LAUNCH_OPTIONS = {"headless": True}

# No consoles listening on local ports: a crawl is a batch job.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
LOG_LEVEL = "INFO"

# termwatch's own settings.
TERMWATCH_DB = "data/termwatch.db"  # where fetches and versions are recorded
TERMWATCH_SOURCES = "data/sources.yml"  # the registry
TERMWATCH_REPLAY = None  # an archive folder: serve its recorded pages instead of the web
TERMWATCH_AS_OF = None  # with TERMWATCH_REPLAY: YYYY-MM-DD, the pages in force that day
# Record into this open run (a refresh's: its caller closes it) instead of a run of its own.
TERMWATCH_RUN_ID = None
# The Chromium that renders executeClientScripts pages: a name on PATH or a path.
TERMWATCH_BROWSER = os.environ.get("TERMWATCH_BROWSER", "chromium")
# Seconds a rendered page may take to settle and fill its selected element with terms.
TERMWATCH_BROWSER_WAIT = 15
