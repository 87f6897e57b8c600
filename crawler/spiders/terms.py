"""The ``terms`` spider: fetch every page of every document in the registry.

One generic spider driven by data (``data/sources.yml``), the way Open Terms Archive runs
one engine over its declarations. A document read from several pages is fetched page after
page, in registry order, and handed on as one item once its last page is in, or as soon
as a page fails. The spider only fetches: extraction and recording are item pipelines.

Run it with ``termwatch crawl`` or, from the project root, ``scrapy crawl terms``
(``-a only=cursor,github-copilot/terms-of-service`` to fetch a few documents).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.http import Response
from termwatch.crawler.content import check_response
from termwatch.crawler.errors import FetchError, error_from_failure
from termwatch.crawler.items import DocumentItem
from termwatch.crawler.middlewares import REPLAYED_URL
from termwatch.crawler.registry import Registry, load_registry
from termwatch.store.recorder import Page, utc_now
from twisted.python.failure import Failure


class TermsSpider(Spider):
    name = "terms"
    registry: Registry

    def __init__(self, only: str | Sequence[str] = (), *args, **kwargs):
        """``only``: service slugs or document ids (a list, or comma-separated with ``-a``)."""
        super().__init__(*args, **kwargs)
        names = only.split(",") if isinstance(only, str) else only
        self.only = [name.strip() for name in names if name.strip()]

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args, **kwargs) -> TermsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.registry = load_registry(crawler.settings["TERMWATCH_SOURCES"])
        return spider

    async def start(self) -> AsyncIterator[Request]:
        for service, document in self.registry.documents(self.only):
            item = DocumentItem(
                document_id=f"{service.slug}/{document.type}",
                sources=document.sources,
                attempted_at=utc_now(),
            )
            yield self._request_next_page(item)

    def parse_page(self, response: Response, item: DocumentItem) -> Iterator:
        url = str(item.next_source.url)
        item.pages.append(_page(url, response))
        try:
            check_response(response.url, response)  # a redirect's target, if it redirected
        except FetchError as error:
            item.error = error
            yield item
            return
        if len(item.pages) < len(item.sources):
            yield self._request_next_page(item)
        else:
            yield item

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

    def _request_next_page(self, item: DocumentItem) -> Request:
        return Request(
            str(item.next_source.url),
            callback=self.parse_page,
            errback=self.page_failed,
            cb_kwargs={"item": item},
            # Two documents may read the same page (a section each): fetch it for both.
            dont_filter=True,
        )


def _page(url: str, response: Response) -> Page:
    """A response as a snapshot, filed under the registry URL even after redirects."""
    content_type = response.headers.get("Content-Type")
    return Page(
        url=url,
        fetched_at=utc_now(),
        status=response.status,
        content_type=content_type.decode("latin-1") if content_type else None,
        body=response.body,
    )
