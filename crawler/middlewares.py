"""Downloader middlewares of the termwatch crawler."""

from __future__ import annotations

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares import robotstxt
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

from crawler.replay import ReplayServer

REPLAYED_URL = "replayed_url"  # request meta: the real URL a local request stands for


class ReplayMiddleware:
    """Fetch every page from a recorded archive instead of the web (setting TERMWATCH_REPLAY).

    Each request is sent, over HTTP, to a ``ReplayServer`` that serves the archive's page in
    force at TERMWATCH_AS_OF (default: the latest), and the response comes back under its
    real URL: the spider and the other middlewares never know. A request keeps the download
    slot of its real site, so replaying is as polite (and as parallel) as crawling.
    """

    def __init__(self, server: ReplayServer):
        self.server = server

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReplayMiddleware:
        archive = crawler.settings.get("TERMWATCH_REPLAY")
        if not archive:
            raise NotConfigured  # without a message: off is the normal case, not worth a warning
        middleware = cls(ReplayServer(archive, as_of=crawler.settings.get("TERMWATCH_AS_OF")))
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_opened(self) -> None:
        self.server.start()

    def spider_closed(self) -> None:
        self.server.stop()

    def process_request(self, request: Request) -> Request | None:
        if REPLAYED_URL in request.meta:  # already pointed at the replay server
            return None
        return request.replace(
            url=self.server.local_url(request.url),
            meta={
                **request.meta,
                REPLAYED_URL: request.url,
                # robots.txt was checked under the real URL, on the replay server too
                "dont_obey_robotstxt": True,
                "download_slot": request.meta.get("download_slot")
                or urlparse_cached(request).hostname,
            },
        )

    def process_response(self, request: Request, response: Response) -> Response:
        if REPLAYED_URL not in request.meta:
            return response
        return response.replace(url=request.meta[REPLAYED_URL])


class RobotsTxtMiddleware(robotstxt.RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, with every request that waits for robots.txt obeying it.

    While a site's robots.txt downloads, Scrapy's middleware (2.13 and later) makes each
    further request to that site await the same Deferred; a Deferred awaited that way
    hands its result to the first waiter only and ``None`` ("no robots.txt: allowed") to
    the others, so most of a crawl's first requests to a site ignored its robots.txt.
    Here each waiter gets its own Deferred, fed the result without consuming it.
    """

    async def robot_parser(self, request: Request):
        pending = self._parsers.get(urlparse_cached(request).netloc)
        if not isinstance(pending, Deferred):
            return await super().robot_parser(request)
        waiter: Deferred = Deferred()

        def share(parser):
            waiter.callback(parser)
            return parser

        pending.addBoth(share)
        return await maybe_deferred_to_future(waiter)
