"""The ``terms`` spider: fetch every page of every document in the registry.

One generic spider driven by data (``data/sources.yml``), the way Open Terms Archive runs
one engine over its declarations. A document read from several pages is fetched page after
page, in registry order, and handed on as one item once its last page is in, or as soon
as a page fails. The spider only fetches: extraction and recording are item pipelines.

A page marked ``executeClientScripts: true`` is rendered in the browser
(``crawler.browser``); an unmarked page whose selectors match nothing over plain HTTP is
rendered once more there, as Open Terms Archive does. When replaying an archive nothing is
rendered: the archive recorded its pages after a browser ran them.

Run it with ``termwatch crawl`` or, from the project root, ``scrapy crawl terms``
(``-a only=cursor,github-copilot/terms-of-service`` to fetch a few documents).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from functools import cache
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from termwatch.crawler.cache import NOT_MODIFIED
from termwatch.crawler.content import check_response, is_pdf
from termwatch.crawler.errors import BrowserUnavailable, FetchError, error_from_failure
from termwatch.crawler.extract import selects_anything
from termwatch.crawler.items import DocumentItem
from termwatch.crawler.middlewares import REPLAYED_URL
from termwatch.crawler.registry import Registry, Source, load_registry
from termwatch.store.recorder import Page, utc_now


class TermsSpider(Spider):
    name = "terms"
    registry: Registry
    browser: str | None  # the Chromium to render pages in; None when there is none
    replaying: bool

    def __init__(self, only: str | Sequence[str] = (), *args, **kwargs):
        """``only``: service slugs or document ids (a list, or comma-separated with ``-a``)."""
        super().__init__(*args, **kwargs)
        names = only.split(",") if isinstance(only, str) else only
        self.only = [name.strip() for name in names if name.strip()]

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args, **kwargs) -> TermsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.registry = load_registry(crawler.settings["TERMWATCH_SOURCES"])
        spider.replaying = bool(crawler.settings.get("TERMWATCH_REPLAY"))
        spider.browser = _browser().browser_executable(crawler.settings)
        return spider

    async def start(self) -> AsyncIterator[Request | DocumentItem]:
        for service, document in self.registry.documents(self.only):
            item = DocumentItem(
                document_id=f"{service.slug}/{document.type}",
                sources=document.sources,
                attempted_at=utc_now(),
            )
            yield self._next_page(item)

    def parse_page(self, response: Response, item: DocumentItem) -> Iterator:
        source = item.next_source
        url = str(source.url)
        if self._worth_rendering(source, response):
            yield self._request(item, rendered=True)
            return
        item.pages.append(_page(url, response))
        try:
            check_response(response.url, response)  # a redirect's target, if it redirected
        except FetchError as error:
            item.error = error
            yield item
            return
        yield self._next_page(item) if len(item.pages) < len(item.sources) else item

    def page_failed(self, failure: Failure) -> Iterator[DocumentItem]:
        item: DocumentItem = failure.request.cb_kwargs["item"]
        # The URL that failed: a redirect's target, when the registry's URL redirected.
        target = failure.request.meta.get(REPLAYED_URL, failure.request.url)
        item.error = error_from_failure(failure, target)
        response = getattr(failure.value, "response", None)
        if response is not None:  # a 403 or 404 page is evidence too: keep it
            item.pages.append(_page(str(item.next_source.url), response))
            try:  # a bot wall answers 403 or 503: say it is one
                check_response(target, response)
            except FetchError as error:
                item.error = error
        yield item

    def _next_page(self, item: DocumentItem) -> Request | DocumentItem:
        """The request for the item's next page, or the item failed if that page cannot be read."""
        source = item.next_source
        if not source.execute_client_scripts or self.replaying or is_pdf(str(source.url), None):
            return self._request(item)
        if self.browser is None:
            item.error = BrowserUnavailable(
                f"{source.url} is marked executeClientScripts and needs a browser, but "
                f"TERMWATCH_BROWSER={self.settings.get('TERMWATCH_BROWSER')!r} is not an "
                "executable here (install Debian's chromium, or point TERMWATCH_BROWSER at one)",
                str(source.url),
            )
            return item
        return self._request(item, rendered=True)

    def _request(self, item: DocumentItem, rendered: bool = False) -> Request:
        source = item.next_source
        return Request(
            str(source.url),
            callback=self.parse_page,
            errback=self.page_failed,
            cb_kwargs={"item": item},
            meta={
                "download_slot": site_of(str(source.url)),
                **(_browser().browser_meta(source.select, self.settings) if rendered else {}),
            },
            # Two documents may read the same page (a section each): fetch it for both.
            dont_filter=True,
        )

    def _worth_rendering(self, source: Source, response: Response) -> bool:
        """An unmarked HTML page fetched plain, whose selectors match nothing, and a browser.

        An empty body has no script to run: it fails as empty_content without a browser.
        """
        return (
            source.execute_client_scripts is None
            and self.browser is not None
            and not self.replaying
            and "playwright" not in response.flags
            and isinstance(response, TextResponse)
            and bool(response.body.strip())
            and not is_pdf(str(source.url), None, response.body)
            and not selects_anything(response.text, source)
        )


# Playwright and tldextract are imported by the crawl, not by every command that imports the
# spider: ``termwatch refresh`` must reach its lock, and ``status`` answer, without them.


def _browser():
    from termwatch.crawler import browser

    return browser


@cache
def _domains():
    from tldextract import TLDExtract

    return TLDExtract(suffix_list_urls=())  # the public suffix list shipped with it: no network


def site_of(url: str) -> str:
    """The site a page belongs to, for politeness: ``help.openai.com`` -> ``openai.com``.

    Scrapy keeps one download slot (concurrency, delay, AutoThrottle) per host name; many
    documents live on sibling hosts of one site (platform.openai.com, help.openai.com,
    openai.com), which are one site to be polite to. Per-site overrides go in DOWNLOAD_SLOTS.
    """
    host = urlsplit(url).hostname or ""
    return _domains()(host).top_domain_under_public_suffix or host


def _page(url: str, response: Response) -> Page:
    """A response as a snapshot, filed under the registry URL even after redirects.

    A page the site said was not modified (HTTP 304) is recorded with that status and the
    body it stands for, the one stored (``crawler.cache``).
    """

    def header(name: str) -> str | None:
        value = response.headers.get(name)
        return value.decode("latin-1") if value else None

    return Page(
        url=url,
        fetched_at=utc_now(),
        status=NOT_MODIFIED if "cached" in response.flags else response.status,
        content_type=header("Content-Type"),
        body=response.body,
        etag=header("ETag"),
        last_modified=header("Last-Modified"),
    )
