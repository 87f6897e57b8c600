"""Pages whose terms a script writes: rendered in the system's Chromium, through Scrapy.

Open Terms Archive marks such pages ``executeClientScripts: true``; over plain HTTP they
hold a placeholder ("Loading…") or nothing. termwatch hands them to scrapy-playwright, the
Scrapy download handler that drives a browser with Playwright, so they go through the same
downloader middlewares (robots.txt, retries, the address policy) and come back to the same
extraction as every other page. Only the page's DOM differs: it is read after the scripts ran.

Three choices, each for a reason:

* **The system's browser.** Playwright's own browser builds are downloaded from its CDN,
  which is neither available here nor wanted on a server; the ``playwright`` package ships
  only its driver, which drives any Chromium it is pointed at. ``TERMWATCH_BROWSER`` (a
  setting, or the environment) names it: an executable on PATH (default ``chromium``,
  Debian's package) or a path.
* **Started on demand.** The driver starts with the first page that needs a browser, not
  with every crawl: a replay or a crawl of plain pages never pays for it.
* **One browser, a few pages at a time.** Every browser page is a tab of one headless
  Chromium (``PLAYWRIGHT_MAX_CONTEXTS = 1``), at most ``PLAYWRIGHT_MAX_PAGES_PER_CONTEXT``
  tabs at once; the others wait their turn. Images, fonts and media are never downloaded:
  terms are text.
* **The same address policy.** What a page's scripts fetch is judged by the rule that judges
  every request of the crawl (``crawler.addresses``): a page cannot make the browser reach an
  address the crawler itself may not.

A rendered page is read once the network has settled *and* the source's selected element
holds more than a placeholder, or when ``TERMWATCH_BROWSER_WAIT`` seconds have passed;
extraction then judges what is there (a page still "Loading…" fails as ``too_short``).
"""

from __future__ import annotations

import asyncio
import logging
import shutil
from collections.abc import Sequence
from contextlib import suppress
from ipaddress import ip_address
from urllib.parse import urlsplit

from playwright.async_api import Page as BrowserPage
from playwright.async_api import Request as BrowserRequest
from playwright.async_api import TimeoutError as BrowserTimeout
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler
from scrapy_playwright.page import PageMethod
from scrapy_playwright.provider import PlaywrightBrowserProvider

from termwatch.crawler.addresses import AddressPolicy, literal_address
from termwatch.crawler.extract import MIN_TEXT_LENGTH
from termwatch.crawler.registry import RangeSelector, Selector, load_registry

logger = logging.getLogger(__name__)

# What a browser page never needs to fetch to show its text.
SKIPPED_RESOURCES = frozenset({"image", "media", "font"})

# Read in the page: does every selected element hold at least ``minimum`` characters?
# A selector the browser's CSS does not know (soupsieve extensions) does not hold it back.
HOLDS_TERMS = """([selectors, minimum]) => selectors.every((css) => {
  let found;
  try { found = document.querySelectorAll(css); } catch (error) { return true; }
  const text = Array.from(found, (element) => element.textContent).join(" ");
  return text.replace(/\\s+/g, " ").trim().length >= minimum;
})"""


def browser_executable(settings: BaseSettings) -> str | None:
    """The Chromium that TERMWATCH_BROWSER names, as a path; None when there is none."""
    return shutil.which(settings.get("TERMWATCH_BROWSER") or "chromium")


def browser_meta(select: Sequence[Selector], settings: BaseSettings) -> dict:
    """The request meta that has a page rendered in the browser, then settled."""
    return {
        "playwright": True,
        "playwright_page_methods": [
            PageMethod(settle, select, settings.getfloat("TERMWATCH_BROWSER_WAIT"))
        ],
        # The browser keeps its own cache; validators are for plain requests.
        "dont_cache": True,
    }


async def settle(page: BrowserPage, select: Sequence[Selector], wait: float) -> None:
    """Wait for the network to go quiet and the selected elements to hold terms, ``wait`` s at most.

    Neither wait fails the fetch: what the page holds when time is up is what extraction reads.
    """
    timeout = wait * 1000
    with suppress(BrowserTimeout):  # a page that polls forever never goes idle: read it anyway
        await page.wait_for_load_state("networkidle", timeout=timeout)
    selectors = [
        s.start_before or s.start_after if isinstance(s, RangeSelector) else s for s in select
    ]
    if not selectors:
        return
    with suppress(BrowserTimeout):
        await page.wait_for_function(HOLDS_TERMS, arg=[selectors, MIN_TEXT_LENGTH], timeout=timeout)


class SystemBrowser(PlaywrightBrowserProvider):
    """Playwright's driver, started with the first page that needs it (not with the crawl)."""

    async def start(self) -> None:
        pass

    async def launch_browser(self):
        if self.playwright is None:
            await super().start()
        return await super().launch_browser()


class BrowserDownloadHandler(ScrapyPlaywrightDownloadHandler):
    """scrapy-playwright's handler, launching the Chromium that TERMWATCH_BROWSER names.

    Requests without ``playwright`` in their meta are downloaded by Scrapy's HTTP handler,
    as if this one were not there. The page itself goes through the downloader middlewares
    (``AddressPolicyMiddleware`` included) like any request; what its scripts and markup ask
    for next never does, so each of those requests is judged here by the same address policy
    (``crawler.addresses``) before the browser may send it.
    """

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        executable = browser_executable(crawler.settings)
        if executable:
            self.config.launch_options = {
                "executable_path": executable,
                **self.config.launch_options,
            }
        self.policy = None
        if not crawler.settings.get("TERMWATCH_REPLAY"):  # replays fetch from our own server
            registry = load_registry(crawler.settings["TERMWATCH_SOURCES"])
            self.policy = AddressPolicy.for_urls(registry.source_urls())
        self.abort_request = self.not_fetched  # scrapy-playwright's hook (PLAYWRIGHT_ABORT_REQUEST)

    async def not_fetched(self, request: BrowserRequest) -> bool:
        """True for what a browser page must not fetch: media, and refused addresses."""
        if request.resource_type in SKIPPED_RESOURCES:
            return True
        host = urlsplit(request.url).hostname
        if self.policy is None or not host:  # data: and blob: URLs connect nowhere
            return False
        address = literal_address(host)
        if address is None:
            try:
                answers = await asyncio.get_running_loop().getaddrinfo(host, None)
            except OSError:
                return False  # the browser cannot resolve it either: its request just fails
            address = ip_address(answers[0][4][0].split("%", 1)[0])
        refusal = self.policy.refusal(request.url, address)
        if refusal:
            logger.warning("a browser page asked for a refused address: %s", refusal)
        return refusal is not None
