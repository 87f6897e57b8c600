"""Why a document could not be fetched: one error class per kind of failure.

A failed fetch is not an exception to the crawl: it is recorded (``fetches.error_class``,
``fetches.error``) and the crawl goes on. Each class has a short ``code`` stored in the
database, so that ``termwatch status`` can say "selector matched nothing since 3 runs" and a
person can tell a site that blocks crawlers (``http_403``) from one whose layout changed
(``structure_changed``). Messages say what happened and the likely cause, as Open Terms
Archive's *inaccessible content* errors do.

``error_from_failure`` turns what Scrapy hands an errback (a Twisted ``Failure``) into one
of these classes; termwatch's own middlewares (``crawler.middlewares``) raise them directly.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, ClassVar
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from twisted.python.failure import Failure


class CrawlError(Exception):
    """The crawl cannot start (a bad option, an unreadable replay archive): nothing was fetched."""


class FetchError(Exception):
    """A document could not be fetched or read; ``code`` is what ``fetches.error_class`` stores."""

    code: ClassVar[str]

    def __init__(self, message: str, url: str | None = None):
        super().__init__(message)
        self.url = url


class UnresolvableHost(FetchError):
    code = "dns"


class TimedOut(FetchError):
    code = "timeout"


class ConnectionFailed(FetchError):
    code = "connection"


class Forbidden(FetchError):
    code = "http_403"


class NotFound(FetchError):
    code = "http_404"


class RateLimited(FetchError):
    code = "http_429"


class ServerError(FetchError):
    code = "http_5xx"


class UnexpectedStatus(FetchError):
    code = "http_other"


class DisallowedByRobots(FetchError):
    code = "robots_disallowed"


class AddressRefused(FetchError):
    """The URL leads to an address termwatch never fetches (see ``crawler.addresses``)."""

    code = "address_refused"


class RedirectLoop(FetchError):
    code = "redirect_loop"


class TooLarge(FetchError):
    code = "too_large"


class EmptyContent(FetchError):
    code = "empty_content"


class TooShort(FetchError):
    code = "too_short"


class StructureChanged(FetchError):
    code = "structure_changed"


class BotBlocked(FetchError):
    """A CDN's challenge or block page (Cloudflare, Imperva, ...) came back instead of the page."""

    code = "bot_blocked"


class UnsupportedContent(FetchError):
    """The body is neither an HTML page nor a PDF (an image, an archive, ...)."""

    code = "unsupported_content"


class PdfWithoutText(FetchError):
    """A PDF with no text layer (a scan): there is nothing to read without OCR."""

    code = "pdf_without_text"


class BrowserUnavailable(FetchError):
    """A page needs a browser to run its scripts, and none could be started."""

    code = "browser_unavailable"


# Every failure code, and the class that stands for it.
ERROR_CLASSES: dict[str, type[FetchError]] = {
    cls.code: cls
    for cls in (
        UnresolvableHost,
        TimedOut,
        ConnectionFailed,
        Forbidden,
        NotFound,
        RateLimited,
        ServerError,
        UnexpectedStatus,
        DisallowedByRobots,
        AddressRefused,
        RedirectLoop,
        TooLarge,
        EmptyContent,
        TooShort,
        StructureChanged,
        BotBlocked,
        UnsupportedContent,
        PdfWithoutText,
        BrowserUnavailable,
    )
}


def error_from_status(status: int, url: str) -> FetchError:
    """The failure a non-2xx answer stands for, with the likely cause in words."""
    try:
        answered = f"{url} answered {status} {HTTPStatus(status).phrase}"
    except ValueError:
        answered = f"{url} answered HTTP {status}"
    if status == 403:
        return Forbidden(f"{answered} (the site blocks crawlers, or asks for a login?)", url)
    if status == 404:
        return NotFound(
            f"{answered} (the page moved or was removed? update its URL in the registry)", url
        )
    if status == 429:
        return RateLimited(
            f"{answered}, even after retries (crawling too fast for the site; try later)", url
        )
    if status >= 500:
        return ServerError(f"{answered}, even after retries (the site has a problem)", url)
    return UnexpectedStatus(f"{answered} (unexpected status for a terms page)", url)


def error_from_failure(failure: Failure, url: str) -> FetchError:
    """Classify what Scrapy passed to a request's errback; ``url`` is the URL that failed.

    After a redirect that is the redirect's target, not the registry's URL: the message
    names the address that failed.
    """
    # Imported here, not above: the CLI imports this module on start, and Scrapy is heavy.
    from scrapy.exceptions import (
        CannotResolveHostError,
        DownloadCancelledError,
        DownloadTimeoutError,
    )
    from scrapy.spidermiddlewares.httperror import HttpError
    from twisted.internet.error import DNSLookupError, TCPTimedOutError
    from twisted.internet.error import TimeoutError as TwistedTimeoutError

    error = failure.value
    if isinstance(error, FetchError):
        return error
    if isinstance(error, HttpError):
        return error_from_status(error.response.status, url)
    if type(error).__module__.startswith("playwright"):
        return _browser_error(error, url)
    if isinstance(error, CannotResolveHostError | DNSLookupError):
        return unresolvable(url)
    if isinstance(error, DownloadTimeoutError | TwistedTimeoutError | TCPTimedOutError):
        return TimedOut(f"no complete answer from {url} in time ({error})", url)
    if isinstance(error, DownloadCancelledError):
        # Scrapy cancels a download only when the body outgrows DOWNLOAD_MAXSIZE.
        return too_large(url)
    detail = str(error) or type(error).__name__
    return ConnectionFailed(
        f"the connection to {url} failed: {detail} (the site is down or refuses crawlers?)", url
    )


def unresolvable(url: str) -> UnresolvableHost:
    host = urlsplit(url).hostname or url
    return UnresolvableHost(
        f"cannot resolve the host {host} (no network, or the domain no longer exists?)", url
    )


def too_large(url: str, how: str = "") -> TooLarge:
    """``how``: what made it too large, e.g. "once decompressed" for a compression bomb."""
    return TooLarge(
        f"{url} is larger than the download limit (DOWNLOAD_MAXSIZE){how}: not a terms page?",
        url,
    )


def _browser_error(error: Exception, url: str) -> FetchError:
    """Classify a Playwright error: the browser would not start, or the page would not load."""
    first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if first_line.startswith("BrowserType.launch"):
        return BrowserUnavailable(
            f"the browser for {url} would not start: {first_line} (is TERMWATCH_BROWSER a "
            "working Chromium?)",
            url,
        )
    if type(error).__name__ == "TimeoutError":
        return TimedOut(f"the browser got no complete page from {url} in time ({first_line})", url)
    if "ERR_NAME_NOT_RESOLVED" in first_line:
        return unresolvable(url)
    return ConnectionFailed(f"the browser could not load {url}: {first_line}", url)
