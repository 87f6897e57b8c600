"""What the live web's pages cost: a browser fetch vs a plain one, a 304 refresh vs a bare fetch.

    .venv/bin/python benchmarks/live_web.py [--pages 20] [--runs 3]

A local server (loopback) serves ``--pages`` terms pages of ~37 KB each in three forms:
static HTML; a shell whose script fetches the terms and writes them into the page (marked
``executeClientScripts: true``, rendered in Chromium); static HTML with an ``ETag``, answering
``304`` to a request that sends it back. Each timing is one ``termwatch crawl`` process
(process start included), median of ``--runs`` runs, with no politeness delay (the server is
ours). Each kind is crawled with one page and with ``--pages`` pages: the difference, per
extra page, is what a page costs without the process start or the browser launch (the
one-page time is printed beside it):

- *plain*: the static pages crawled into a new database;
- *browser*: the scripted pages crawled into a new database (one Chromium, started once);
- *no change, 304*: the ETag pages crawled a second time: every page answered 304;
- *bare fetch*: the same URLs downloaded by a minimal Scrapy spider, nothing else: the floor.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parent.parent
TERMWATCH = str(Path(sys.executable).with_name("termwatch"))
SETTINGS = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "ROBOTSTXT_OBEY": False,
}
CLAUSE = (
    "<p>{n}. The provider's aggregate liability for all claims arising out of or relating to "
    "the service is limited to the fees you paid in the twelve months before the claim.</p>"
)
TERMS = "<h1>Terms</h1>" + "".join(CLAUSE.format(n=n) for n in range(1, 250))
SCRIPTED = (
    "<html><body><main class='terms'>Loading…</main><script>fetch('/terms.html')"
    ".then((r) => r.text()).then((html) => { document.querySelector('.terms').innerHTML = html; });"
    "</script></body></html>"
)


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server API
        kind = self.path.strip("/").split("/")[0]
        body = {"scripted": SCRIPTED, "terms.html": TERMS}.get(
            kind, f"<html><body><main class='terms'>{TERMS}</main></body></html>"
        )
        etag = '"v1"' if kind == "etag" else None
        if etag and self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.end_headers()
            return
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        if etag:
            self.send_header("ETag", etag)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


def registry(folder: Path, address: str, kind: str, pages: int) -> Path:
    sources = [
        {"url": f"{address}/{kind}/{n}", "select": ".terms"}
        | (
            {"executeClientScripts": True}
            if kind == "scripted"
            else {"executeClientScripts": False}
        )
        for n in range(pages)
    ]
    services = [
        {
            "slug": f"doc-{n}",
            "name": f"Doc {n}",
            "provider": "Bench",
            "category": "coding-assistant",
            "url": "https://example.com/",
            "documents": [{"type": "terms-of-service", "title": "Terms", "sources": [source]}],
        }
        for n, source in enumerate(sources)
    ]
    path = folder / f"{kind}.yml"
    path.write_text(yaml.safe_dump({"services": services}), encoding="utf-8")
    return path


def crawl(db: Path, sources: Path) -> float:
    overrides = [arg for name, value in SETTINGS.items() for arg in ("-s", f"{name}={value}")]
    started = time.perf_counter()
    result = subprocess.run(
        [TERMWATCH, "--db", str(db), "--sources", str(sources), "crawl", *overrides],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        env={**os.environ, "TERMWATCH_ALLOW_PRIVATE_HOSTS": "1"},  # our server is on 127.0.0.1
    )
    elapsed = time.perf_counter() - started
    if "0 failed" not in result.stdout:
        sys.exit(f"the benchmark crawl failed: {result.stdout}{result.stderr}")
    return elapsed


def bare_fetch(urls: list[str]) -> None:
    """Download the URLs with Scrapy and nothing more (run in a process of its own)."""
    from scrapy import Request, Spider
    from scrapy.crawler import CrawlerProcess

    class BareFetch(Spider):
        name = "bare-fetch"

        async def start(self):
            for url in urls:
                yield Request(url, callback=self.parse, dont_filter=True)

        def parse(self, response):
            return None

    process = CrawlerProcess({**SETTINGS, "LOG_LEVEL": "ERROR"})
    process.crawl(BareFetch)
    process.start()


def timings(folder: Path, address: str, pages: int) -> dict[str, float]:
    """One run of each kind over ``pages`` pages, in seconds."""
    plain, scripted, etag = (
        registry(folder, address, kind, pages) for kind in ("plain", "scripted", "etag")
    )
    took = {
        "plain": crawl(folder / f"plain-{pages}.db", plain),
        "browser": crawl(folder / f"browser-{pages}.db", scripted),
    }
    crawl(folder / f"etag-{pages}.db", etag)  # the first crawl keeps the ETags
    took["304"] = crawl(folder / f"etag-{pages}.db", etag)
    urls = json.dumps([f"{address}/etag/{n}" for n in range(pages)])
    started = time.perf_counter()
    subprocess.run([sys.executable, __file__, "--bare-fetch", urls], check=True)
    took["bare"] = time.perf_counter() - started
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--bare-fetch", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_fetch:
        bare_fetch(json.loads(args.bare_fetch))
        return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    address = f"http://127.0.0.1:{server.server_address[1]}"
    # Each kind crawled with one page and with --pages pages: the difference is what the
    # extra pages cost, without the process start and the browser launch.
    per_page: dict[str, list[float]] = {"plain": [], "browser": [], "304": [], "bare": []}
    fixed: dict[str, list[float]] = {kind: [] for kind in per_page}
    for run in range(args.runs):
        with tempfile.TemporaryDirectory() as name:
            one = timings(Path(name), address, 1)
            many = timings(Path(name), address, args.pages)
        for kind in per_page:
            per_page[kind].append((many[kind] - one[kind]) / (args.pages - 1))
            fixed[kind].append(one[kind])
        print(f"run {run + 1}: " + ", ".join(f"{k} {v:.2f} s" for k, v in many.items()))
    server.shutdown()

    cost = {kind: statistics.median(times) for kind, times in per_page.items()}
    start = {kind: statistics.median(times) for kind, times in fixed.items()}
    print(
        f"{args.pages} pages of {len(TERMS) // 1000} KB, medians of {args.runs} runs; "
        "each extra page, and a crawl of one page (process start included):"
    )
    rows = [
        ("plain fetch + extraction", "plain", ""),
        (
            "browser fetch + extraction",
            "browser",
            f"  ({cost['browser'] / cost['plain']:.1f}× plain)",
        ),
        ("no-change refresh, 304s", "304", f"  ({cost['304'] / cost['bare']:.2f}× bare fetch)"),
        ("bare Scrapy fetch", "bare", ""),
    ]
    for label, kind, ratio in rows:
        print(
            f"  {label:<28} {cost[kind] * 1000:7.1f} ms/page{ratio:<22}"
            f"  one page: {start[kind]:.2f} s"
        )


if __name__ == "__main__":
    main()
