"""Downloader middlewares of the termwatch crawler."""

from __future__ import annotations

from ipaddress import ip_address

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares import httpcompression, redirect, robotstxt
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred
from twisted.internet.error import DNSLookupError

from termwatch.crawler.addresses import AddressPolicy, IPAddress, literal_address
from termwatch.crawler.errors import (
    AddressRefused,
    DisallowedByRobots,
    RedirectLoop,
    too_large,
    unresolvable,
)
from termwatch.crawler.registry import load_registry
from termwatch.crawler.replay import ReplayServer

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


class AddressPolicyMiddleware:
    """Refuse, before connecting, every request to an address ``crawler.addresses`` forbids.

    Every request passes here, the registry's pages as well as robots.txt, HTTP redirects
    and meta refreshes (Scrapy sends a redirect through the downloader middlewares again),
    so a site cannot lead the crawler where the registry itself could not. The host is
    resolved by the reactor's resolver, the one the connection then uses: Scrapy caches its
    answer (DNSCACHE_ENABLED), so a name cannot resolve to one address for the check and to
    another for the connection. The answer's ``ip_address`` is checked again all the same,
    so a page is never recorded from a forbidden address. (With a proxy, the proxy connects:
    only the first check applies.)

    Inactive when replaying (TERMWATCH_REPLAY): every request then goes to termwatch's own
    server on 127.0.0.1, never to the address of the URL.
    """

    def __init__(self, policy: AddressPolicy):
        self.policy = policy

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AddressPolicyMiddleware:
        if crawler.settings.get("TERMWATCH_REPLAY"):
            raise NotConfigured
        registry = load_registry(crawler.settings["TERMWATCH_SOURCES"])
        return cls(AddressPolicy.for_urls(registry.source_urls()))

    async def process_request(self, request: Request) -> None:
        from twisted.internet import reactor

        host = urlparse_cached(request).hostname or ""
        address = literal_address(host)
        if address is None:
            try:
                address = ip_address(await maybe_deferred_to_future(reactor.resolve(host)))
            except (DNSLookupError, OSError):  # no answer, or no network: recorded as dns
                raise unresolvable(request.url) from None
        self._check(request, address)

    def process_response(self, request: Request, response: Response) -> Response:
        if response.ip_address is not None and "proxy" not in request.meta:
            self._check(request, response.ip_address, " (its address changed since resolved)")
        return response

    def _check(self, request: Request, address: IPAddress, why: str = "") -> None:
        refusal = self.policy.refusal(request.url, address)
        if refusal:
            redirected = request.meta.get("redirect_urls")
            origin = f"; redirected there from {redirected[0]}" if redirected else ""
            raise AddressRefused(refusal + why + origin, request.url)


class RobotsTxtMiddleware(robotstxt.RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, with every request that waits for robots.txt obeying it,
    and a refusal that says it is robots.txt's (``robots_disallowed``).

    Scrapy signals a refusal with a bare ``IgnoreRequest``, as it does a redirect loop or a
    decompression bomb; told apart here, each is recorded as what it is.

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

    def process_request_2(self, rp, request: Request) -> None:
        try:
            super().process_request_2(rp, request)
        except IgnoreRequest as refusal:
            url = request.meta.get(REPLAYED_URL, request.url)
            raise DisallowedByRobots(
                f"{url} is disallowed for termwatch by the site's robots.txt ({refusal})", url
            ) from None


class _RedirectLoopNamed:
    """A redirect middleware whose "max redirections reached" is a ``redirect_loop`` failure."""

    def process_response(self, request: Request, response: Response) -> Request | Response:
        try:
            return super().process_response(request, response)
        except IgnoreRequest:  # Scrapy's only reason: REDIRECT_MAX_TIMES redirects in a row
            chain = [*request.meta.get("redirect_urls", []), request.url]
            raise RedirectLoop(
                f"{request.url} still redirects after {len(chain) - 1} redirects "
                f"(a redirect loop? from {chain[0]})",
                request.url,
            ) from None


class RedirectMiddleware(_RedirectLoopNamed, redirect.RedirectMiddleware):
    """Scrapy's HTTP 3xx redirects, a loop recorded as ``redirect_loop``."""


class MetaRefreshMiddleware(_RedirectLoopNamed, redirect.MetaRefreshMiddleware):
    """Scrapy's ``<meta http-equiv=refresh>`` redirects, a loop recorded as ``redirect_loop``."""


class HttpCompressionMiddleware(httpcompression.HttpCompressionMiddleware):
    """Scrapy's decompression, a body that outgrows DOWNLOAD_MAXSIZE once decompressed (a
    compression bomb) recorded as ``too_large``.
    """

    def process_response(self, request: Request, response: Response) -> Request | Response:
        try:
            return super().process_response(request, response)
        except IgnoreRequest:  # Scrapy's only reason: the decompressed body is too large
            url = request.meta.get(REPLAYED_URL, request.url)
            raise too_large(url, " once decompressed") from None
