"""What the refresh tests run against: a small terms website, and refreshes in child processes.

``TermsSite`` is a real HTTP server on 127.0.0.1 whose pages a test sets and changes
between refreshes (version A, then version B), optionally answering slowly. Scrapy's
reactor runs once per process, so each refresh runs in a child Python: ``run_refresh``
waits for it, ``start_refresh`` returns the running process (to kill it). The child calls
the Python API with a keyword classifier standing in for the trained model, so these
tests pin the refresh and change tracking, not the model, and stay fast.

Run as a script, this module is that child: ``python refresh_support.py '<json options>'``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

# Settings that keep a crawl of 127.0.0.1 fast and predictable: one page at a time, next to
# no politeness delay, no retries, short timeouts. (The delay must not be 0: Scrapy 2.19
# then sends every queued request of a site at once, whatever the per-domain concurrency.)
FAST_CRAWL = {
    "LOG_LEVEL": "ERROR",
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0.01,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
    "RETRY_ENABLED": False,
    "DOWNLOAD_TIMEOUT": 10,
}


class TermsSite:
    """A local website: ``pages[path] = html``; unknown paths (robots.txt too) answer 404."""

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        self.delay = 0.0  # seconds before each page answers
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server API
                html = site.pages.get(self.path)
                if html is not None:
                    time.sleep(site.delay)
                body = (html or "not found").encode("utf-8")
                self.send_response(200 if html is not None else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args) -> None:  # noqa: A002 - quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}{path}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def terms_page(body_markdown_html: str, title: str = "Terms of Service") -> str:
    """A page as sites serve terms: navigation and a footer around the ``<main>`` terms."""
    return textwrap.dedent(
        f"""\
        <html><head><title>{title}</title></head><body>
        <nav><a href="/">Home</a> <a href="/pricing">Pricing</a></nav>
        <main class="terms"><h1>{title}</h1>
        {body_markdown_html}
        </main>
        <footer>© Example Inc.</footer>
        </body></html>
        """
    )


def write_registry(path: Path, site: TermsSite, documents: dict[str, str], select=".terms") -> Path:
    """A registry with one service per document: ``{"acme": "/acme/terms", ...}``."""
    services = [
        {
            "slug": slug,
            "name": slug.replace("-", " ").title(),
            "provider": slug.title(),
            "category": "coding-assistant",
            "url": site.url("/"),
            "documents": [
                {
                    "type": "terms-of-service",
                    "title": "Terms of Service",
                    "sources": [{"url": site.url(page), "select": select}],
                }
            ],
        }
        for slug, page in documents.items()
    ]
    path.write_text(json.dumps({"services": services}, indent=2), encoding="utf-8")
    return path


def _command(db: Path, sources: Path, options: dict) -> list[str]:
    child = {"db_path": str(db), "sources_path": str(sources), **options}
    return [sys.executable, str(Path(__file__).resolve()), json.dumps(child)]


def run_refresh(db: Path, sources: Path, **options) -> dict:
    """Refresh in a child process; return what it reported (run, failures, changes...)."""
    done = subprocess.run(_command(db, sources, options), capture_output=True, text=True)
    if done.returncode != 0:
        raise AssertionError(f"the refresh failed ({done.returncode}):\n{done.stderr}")
    return json.loads(done.stdout)


def start_refresh(db: Path, sources: Path, **options) -> subprocess.Popen:
    """Start a refresh in a child process and return at once."""
    return subprocess.Popen(
        _command(db, sources, options),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


# --- the child ------------------------------------------------------------------------------

# Words that stand for categories: enough for the facts to find their clauses.
KEYWORDS = {
    "liabil": "ltd",
    "train": "training",
    "own": "output_ownership",
    "governed by": "law",
    "arbitrat": "a",
    "terminat": "ter",
}


def keyword_classifier(delay: float = 0.0, forbidden: bool = False):
    """A stand-in for the trained model: categories by keyword, ``delay`` seconds a sentence.

    ``forbidden``: any call fails, for a refresh that must not analyse anything.
    """
    from termwatch.analysis.analyze import Classifier

    def classify(texts: list[str]):
        if forbidden:
            raise AssertionError("the refresh analysed something")
        for text in texts:
            time.sleep(delay)
            lowered = text.lower()
            yield {code: (1.0, "rule") for word, code in KEYWORDS.items() if word in lowered}

    return Classifier("keywords-for-tests", classify)


def main(options: dict) -> None:
    from termwatch.refresh import refresh

    classifier = keyword_classifier(
        options.pop("classify_delay", 0.0), options.pop("no_analysis", False)
    )
    options["settings"] = {**FAST_CRAWL, **options.get("settings", {})}
    report = refresh(classifier=classifier, **options)
    json.dump(
        {
            "run": report.run,
            "technical": report.technical,
            "analysed": report.analysed,
            "pairs": report.changes.pairs,
            "changed": report.changed,
            "failures": report.failures,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
