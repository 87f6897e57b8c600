"""Conditional requests: ask each site whether a page changed since the last fetch.

Most refreshes find most terms unchanged. A server that sent an ``ETag`` or a
``Last-Modified`` with a page answers the next ``If-None-Match`` / ``If-Modified-Since``
request with an empty ``304 Not Modified`` when nothing changed: nothing to download, and,
since the page is then byte for byte the one recorded, nothing to extract.

This is Scrapy's own ``HttpCacheMiddleware`` with two pieces of termwatch:

* ``SnapshotCacheStorage`` reads the cache from the database: a page's last snapshot that
  carries a validator (``snapshots.etag``, ``snapshots.last_modified``) and its stored body.
  It writes nothing: ``RecordPipeline`` records every snapshot with its validators already.
* ``RevalidatePolicy`` always asks the site (a tracker never trusts ``max-age``: terms change
  without notice) and takes the stored page only on a ``304``.

On a 304 the middleware hands the spider the stored page, flagged ``cached``; the spider
records it as a snapshot with status 304. A failure (5xx, lost connection) is never
answered from the store: it is recorded as the failure it is.
"""

from __future__ import annotations

from scrapy import Request, Spider
from scrapy.downloadermiddlewares.httpcache import HttpCacheMiddleware
from scrapy.extensions.httpcache import RFC2616Policy
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes
from scrapy.settings import BaseSettings

from termwatch.store import open_database
from termwatch.store.recorder import read_body

NOT_MODIFIED = 304


class ConditionalRequestMiddleware(HttpCacheMiddleware):
    """Scrapy's HTTP cache middleware, without serving a stored page when the fetch failed."""

    DOWNLOAD_EXCEPTIONS = ()  # Scrapy answers those from the cache; termwatch records them


class RevalidatePolicy(RFC2616Policy):
    """Send the validators every time; use the stored page only when the site answers 304."""

    def should_cache_request(self, request: Request) -> bool:
        return True

    def is_cached_response_fresh(self, cachedresponse: Response, request: Request) -> bool:
        self._set_conditional_validators(request, cachedresponse)
        return False

    def is_cached_response_valid(
        self, cachedresponse: Response, response: Response, request: Request
    ) -> bool:
        return response.status == NOT_MODIFIED


class SnapshotCacheStorage:
    """HTTPCACHE_STORAGE over the snapshots table of TERMWATCH_DB (read only)."""

    def __init__(self, settings: BaseSettings):
        self.db_path = settings["TERMWATCH_DB"]
        self.db = None

    def open_spider(self, spider: Spider) -> None:
        self.db = open_database(self.db_path)

    def close_spider(self, spider: Spider) -> None:
        self.db.close()

    def retrieve_response(self, spider: Spider, request: Request) -> Response | None:
        """The last crawled page at this URL that a site can revalidate, or None."""
        rows = list(
            self.db.query(
                "select etag, last_modified, content_type, body_hash from snapshots "
                "where url = ? and source = 'crawl' and body_hash is not null "
                "and status in (200, 304) and (etag is not null or last_modified is not null) "
                "order by fetched_at desc, id desc limit 1",
                [request.url],
            )
        )
        if not rows:
            return None
        row = rows[0]
        headers = Headers(
            {
                name: value
                for name, value in (
                    ("ETag", row["etag"]),
                    ("Last-Modified", row["last_modified"]),
                    ("Content-Type", row["content_type"]),
                )
                if value
            }
        )
        body = read_body(self.db, row["body_hash"])
        cls = responsetypes.from_args(headers=headers, url=request.url, body=body)
        return cls(url=request.url, status=200, headers=headers, body=body, request=request)

    def store_response(self, spider: Spider, request: Request, response: Response) -> None:
        pass  # RecordPipeline records every page, validators included
