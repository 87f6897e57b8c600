"""Replaying an archive: the recorded web, served over real HTTP on 127.0.0.1.

An archive (``../shared/corpus``, an Open Terms Archive dataset) keeps the raw pages each
version was read from, with their URL and date. ``ReplayServer`` serves, for each URL, the
page in force at a date (the latest recorded on or before that day; by default the latest
of all), and answers 404 for any other URL, robots.txt included, as a site would for a
page that did not exist yet.

The crawl fetches these pages exactly as it fetches the web (robots.txt, retries,
extraction, recording): ``crawler.middlewares.ReplayMiddleware`` only points each request
at this server and gives the response back its real URL. That is what makes a crawl
testable offline, and a history replayable date by date.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote

from w3lib.url import canonicalize_url

from termwatch.crawler.archive import ArchivedDocument, read_archive


def end_of_day(as_of: str) -> str:
    """``2025-03-01`` -> ``2025-03-01T23:59:59Z``: the moment a replay "as of" a day stands for.

    The pages in force are those recorded up to the end of that day, and the fetches of a
    replay are dated then, so that a replayed history is dated by its replay dates.
    """
    return f"{as_of}T23:59:59Z"


def pages_in_force(documents: list[ArchivedDocument], as_of: str | None = None) -> dict[str, Path]:
    """For each recorded URL (canonicalized), the file of its page in force at ``as_of``."""
    moment = end_of_day(as_of) if as_of else None
    latest: dict[str, tuple[str, Path]] = {}
    for document in documents:
        for version in document.versions:
            for page in version.pages:
                if not page.url or not page.path.exists():
                    continue
                if moment and page.date > moment:
                    continue
                key = canonicalize_url(page.url)
                if key not in latest or page.date > latest[key][0]:
                    latest[key] = (page.date, page.path)
    return {url: path for url, (_date, path) in latest.items()}


class ReplayServer:
    """A local web server for an archive's pages; use as a context manager, or start/stop.

    ``local_url(url)`` is where the page of ``url`` is served: the original URL travels,
    quoted, in the path, so any number of sites share one server.
    """

    def __init__(self, archive: str | Path, as_of: str | None = None):
        self.archive = Path(archive)
        self.as_of = as_of
        self.pages = pages_in_force(read_archive(self.archive), as_of)
        self._server: ThreadingHTTPServer | None = None

    def start(self) -> ReplayServer:
        pages = self.pages

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server API
                path = pages.get(canonicalize_url(unquote(self.path.lstrip("/"))))
                body, status = (path.read_bytes(), 200) if path else (b"Not recorded\n", 404)
                self.send_response(status)
                self.send_header("Content-Type", "text/html" if path else "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args) -> None:  # noqa: A002 - quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        serve = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        serve.start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def address(self) -> str:
        if not self._server:
            raise RuntimeError("the replay server is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def local_url(self, url: str) -> str:
        return f"{self.address}/{quote(url, safe='')}"

    def __enter__(self) -> ReplayServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
