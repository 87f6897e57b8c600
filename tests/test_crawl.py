"""`termwatch crawl`: every attempt recorded, versions only for real changes, failures classified.

The crawls run against web servers started here, on 127.0.0.1, and in a subprocess (the
Twisted reactor runs once per process), with retries and timeouts made small so that the
whole file takes well under a minute.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from scrapy import Request
from scrapy.http import HtmlResponse

from termwatch.cli import cli
from termwatch.crawler.errors import ERROR_CLASSES
from termwatch.crawler.extract import EXTRACTOR_VERSION
from termwatch.crawler.middlewares import ReplayMiddleware
from termwatch.crawler.replay import ReplayServer
from termwatch.store import open_database
from termwatch.store.recorder import start_run

TERMWATCH = str(Path(sys.executable).with_name("termwatch"))
# Fast and impatient: one retry, three seconds to answer (a loaded test machine needs that
# much), no politeness delay towards ourselves.
TEST_SETTINGS = {
    "RETRY_TIMES": 1,
    "DOWNLOAD_TIMEOUT": 3,
    "DOWNLOAD_MAXSIZE": 50_000,
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
}
FILLER = "You may use the service as these terms allow, and only as they allow. " * 4


def terms_page(title: str, *paragraphs: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in (FILLER, *paragraphs))
    return (
        f"<html><body><nav>Menu</nav><main class='terms'><h1>{title}</h1>{body}</main>"
        "<footer>Footer</footer></body></html>"
    )


@dataclass
class Route:
    status: int = 200
    body: str | bytes = ""
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Site:
    """A small web server whose pages a test can change between crawls."""

    routes: dict[str, Route] = field(default_factory=dict)
    hits: dict[str, int] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # path, headers
    address: str = ""

    def url(self, path: str) -> str:
        return f"{self.address}{path}"


@contextmanager
def serve_site(host: str = "127.0.0.1") -> Iterator[Site]:
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server API
            state.hits[self.path] = state.hits.get(self.path, 0) + 1
            state.requests.append((self.path, dict(self.headers)))
            route = state.routes.get(self.path, Route(404, "Not found"))
            time.sleep(route.delay)
            body = route.body.encode() if isinstance(route.body, str) else route.body
            headers = {"Content-Type": "text/html; charset=utf-8", **route.headers}
            status = route.status
            if (
                "ETag" in route.headers
                and self.headers.get("If-None-Match") == route.headers["ETag"]
            ):
                status, body = 304, b""
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except ConnectionError:  # the crawler gave up waiting
                pass

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer((host, 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state.address = f"http://{host}:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def site() -> Iterator[Site]:
    with serve_site() as state:
        yield state


def write_registry(path: Path, documents: dict[str, list[dict]]) -> Path:
    """A registry with one service per entry, each with one terms document of these sources."""
    services = [
        {
            "slug": slug,
            "name": slug.title(),
            "provider": slug.title(),
            "category": "coding-assistant",
            "url": "https://example.com/",
            "documents": [{"type": "terms-of-service", "title": "Terms", "sources": sources}],
        }
        for slug, sources in documents.items()
    ]
    path.write_text(yaml.safe_dump({"services": services}), encoding="utf-8")
    return path


def run_crawl(db: Path, registry: Path, *options: str, settings=TEST_SETTINGS):
    overrides = [arg for name, value in settings.items() for arg in ("-s", f"{name}={value}")]
    command = [TERMWATCH, "--db", str(db), "--sources", str(registry), "crawl"]
    return subprocess.run(
        [*command, *options, *overrides], capture_output=True, text=True, timeout=120
    )


def fetches(db_path: Path) -> dict[str, dict]:
    """The latest fetch of each document."""
    rows = open_database(db_path).query("select * from fetches order by id")
    return {row["document_id"]: row for row in rows}


def versions(db_path: Path, document_id: str) -> list[str]:
    rows = open_database(db_path)["versions"].rows_where(
        "document_id = ?", [document_id], order_by="id"
    )
    return [row["text"] for row in rows]


# --- failures ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def failing_crawl(tmp_path_factory):
    """One crawl of a site where every document fails in its own way (and one works)."""
    with serve_site() as site:
        yield site, *_crawl_failing_site(site, tmp_path_factory.mktemp("failing"))


# The failing site: one page per document, named by its service slug.
FAILING_SITE = {
    "ok": Route(200, terms_page("Terms")),
    "forbidden": Route(403, "Forbidden"),
    "gone": Route(404, "Not found"),
    "busy": Route(429, "Slow down"),
    "broken": Route(500, "Oops"),
    "moved-away": Route(410, "Gone"),
    "slow": Route(200, terms_page("Slow"), delay=10),
    "empty": Route(200, ""),
    "redesigned": Route(200, "<html><body><div class='new'>" + FILLER + "</div></body>"),
    "placeholder": Route(200, "<main class='terms'>Loading…</main>"),
    "huge": Route(200, terms_page("Huge", "x" * 100_000)),  # DOWNLOAD_MAXSIZE is 50 000
    "private": Route(200, terms_page("Private")),  # robots.txt forbids /private*
    "private-too": Route(200, terms_page("Private too")),
}


def _crawl_failing_site(site: Site, tmp_path: Path):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    site.routes["/robots.txt"] = Route(200, "User-agent: *\nDisallow: /private\n")
    site.routes.update({f"/{slug}": route for slug, route in FAILING_SITE.items()})
    urls = {slug: site.url(f"/{slug}") for slug in FAILING_SITE} | {
        "refused": f"http://127.0.0.1:{closed_port}/terms",
        "unresolvable": "http://does-not-exist.invalid/terms",
    }
    registry = write_registry(
        tmp_path / "sources.yml",
        {slug: [{"url": url, "select": ".terms"}] for slug, url in urls.items()},
    )
    db = tmp_path / "crawl.db"
    return db, run_crawl(db, registry)


EXPECTED_CLASSES = {
    "forbidden": "http_403",
    "gone": "http_404",
    "busy": "http_429",
    "broken": "http_5xx",
    "moved-away": "http_other",
    "slow": "timeout",
    "empty": "empty_content",
    "redesigned": "structure_changed",
    "placeholder": "too_short",
    "huge": "too_large",
    "private": "robots_disallowed",
    "private-too": "robots_disallowed",  # however many requests wait for robots.txt
    "refused": "connection",
    "unresolvable": "dns",
}


def test_each_kind_of_failure_is_recorded_with_its_class(failing_crawl):
    _site, db, _result = failing_crawl
    recorded = fetches(db)
    classes = {doc.split("/")[0]: row["error_class"] for doc, row in recorded.items()}
    assert classes == {"ok": None, **EXPECTED_CLASSES}
    assert set(EXPECTED_CLASSES.values()) <= set(ERROR_CLASSES)
    assert all(
        recorded[f"{slug}/terms-of-service"]["outcome"] == "failed"
        for slug in classes
        if slug != "ok"
    )


def test_failures_are_explained_and_the_command_fails(failing_crawl):
    _site, db, result = failing_crawl
    assert result.returncode == 1
    assert "Crawled 15 documents: 1 new version, 0 unchanged, 14 failed" in result.stdout
    failed_lines = [line for line in result.stderr.splitlines() if line.startswith("failed: ")]
    assert len(failed_lines) == 14
    assert any(
        "redesigned/terms-of-service: structure_changed: selector '.terms' has no match in the page"
        in line
        and "(the page structure changed?)" in line
        for line in failed_lines
    )
    assert any("cannot resolve the host does-not-exist.invalid" in line for line in failed_lines)
    run = open_database(db)["runs"].get(1)
    assert (run["command"], run["status"], run["failed"], run["changed"]) == (
        "crawl",
        "completed",
        14,
        1,
    )


def test_failed_fetches_create_no_version_but_keep_their_evidence(failing_crawl):
    _site, db, _result = failing_crawl
    database = open_database(db)
    assert [row["document_id"] for row in database["versions"].rows] == ["ok/terms-of-service"]
    snapshot = next(database["snapshots"].rows_where("document_id = 'forbidden/terms-of-service'"))
    assert snapshot["status"] == 403  # the refusal itself is kept


def test_rate_limits_and_server_errors_are_retried(failing_crawl):
    site, _db, _result = failing_crawl
    assert site.hits["/busy"] == 2 and site.hits["/broken"] == 2  # RETRY_TIMES = 1
    assert site.hits["/forbidden"] == 1
    assert "/private" not in site.hits and "/private-too" not in site.hits


# --- versions ----------------------------------------------------------------------------


def test_versions_are_recorded_only_when_the_terms_change(site, tmp_path):
    site.routes["/terms"] = Route(200, terms_page("Terms", "Liability is capped at USD 100."))
    registry = write_registry(
        tmp_path / "sources.yml", {"acme": [{"url": site.url("/terms"), "select": ".terms"}]}
    )
    db = tmp_path / "crawl.db"
    document = "acme/terms-of-service"

    assert run_crawl(db, registry).returncode == 0
    assert fetches(db)[document]["outcome"] == "new_version"

    assert run_crawl(db, registry).returncode == 0  # same page again
    assert fetches(db)[document]["outcome"] == "unchanged"
    assert len(versions(db, document)) == 1

    site.routes["/terms"] = Route(200, terms_page("Terms", "Liability is capped at USD 50."))
    assert run_crawl(db, registry).returncode == 0
    assert fetches(db)[document]["outcome"] == "new_version"
    assert "USD 50" in versions(db, document)[-1] and "USD 100" in versions(db, document)[0]

    site.routes["/terms"] = Route(503, "Down for maintenance")
    assert run_crawl(db, registry).returncode == 1
    assert fetches(db)[document]["error_class"] == "http_5xx"
    assert len(versions(db, document)) == 2  # the failure neither adds nor removes a version
    database = open_database(db)
    assert [run["status"] for run in database["runs"].rows] == ["completed"] * 4
    extractors = {row["extractor"] for row in database["versions"].rows}
    assert len(extractors) == 1 and extractors.pop().startswith(f"v{EXTRACTOR_VERSION}-")


def test_new_selectors_re_extract_an_unchanged_page(site, tmp_path):
    site.routes["/terms"] = Route(200, terms_page("Terms", "Liability is capped at USD 100."))
    sources = tmp_path / "sources.yml"
    write_registry(sources, {"acme": [{"url": site.url("/terms"), "select": ".terms"}]})
    db = tmp_path / "crawl.db"
    assert run_crawl(db, sources).returncode == 0
    write_registry(
        sources, {"acme": [{"url": site.url("/terms"), "select": ".terms", "remove": "h1"}]}
    )
    assert run_crawl(db, sources).returncode == 0
    first, second = open_database(db)["versions"].rows
    assert "# Terms" in first["text"] and "# Terms" not in second["text"]
    assert first["extractor"] != second["extractor"]


def test_a_document_of_several_pages_is_combined_in_order(site, tmp_path):
    site.routes["/terms"] = Route(200, terms_page("General Terms", "Section one."))
    site.routes["/addendum"] = Route(
        200, "<div id='ai'><h2>AI Addendum</h2><p>" + FILLER + "</p></div>"
    )
    registry = write_registry(
        tmp_path / "sources.yml",
        {
            "acme": [
                {"url": site.url("/terms"), "select": ".terms"},
                {"url": site.url("/addendum"), "select": "#ai"},
            ]
        },
    )
    db = tmp_path / "crawl.db"
    assert run_crawl(db, registry).returncode == 0
    [text] = versions(db, "acme/terms-of-service")
    assert text.index("# General Terms") < text.index("## AI Addendum")
    snapshot_urls = [row["url"] for row in open_database(db)["snapshots"].rows]
    assert snapshot_urls == [site.url("/terms"), site.url("/addendum")]


def test_only_the_named_sources_are_crawled(site, tmp_path):
    site.routes["/a"] = Route(200, terms_page("A"))
    site.routes["/b"] = Route(200, terms_page("B"))
    registry = write_registry(
        tmp_path / "sources.yml",
        {
            "alpha": [{"url": site.url("/a"), "select": ".terms"}],
            "beta": [{"url": site.url("/b"), "select": ".terms"}],
        },
    )
    db = tmp_path / "crawl.db"
    assert run_crawl(db, registry, "--source", "beta").returncode == 0
    assert list(fetches(db)) == ["beta/terms-of-service"]
    assert "/a" not in site.hits


def test_a_crawl_can_record_into_a_run_its_caller_owns(site, tmp_path):
    """A refresh opens a run, crawls into it (TERMWATCH_RUN_ID), then analyses and closes it."""
    site.routes["/a"] = Route(200, terms_page("A"))
    registry = write_registry(
        tmp_path / "sources.yml", {"alpha": [{"url": site.url("/a"), "select": ".terms"}]}
    )
    db = tmp_path / "crawl.db"
    run_id = start_run(open_database(db), "refresh")
    settings = {**TEST_SETTINGS, "TERMWATCH_RUN_ID": run_id}
    run_crawl(db, registry, settings=settings)  # the command reports on a run it does not own
    database = open_database(db)
    assert [row["id"] for row in database["runs"].rows] == [run_id]  # no run of its own
    assert database["runs"].get(run_id)["status"] == "running"  # left for its owner to close
    assert fetches(db)["alpha/terms-of-service"]["run_id"] == run_id


# --- replay ------------------------------------------------------------------------------

TERMS_URL = "https://acme.example/terms"
NEWCO_URL = "https://newco.example/terms"


@pytest.fixture
def archive(tmp_path) -> Path:
    """An archive (manifest + raw pages) where Acme's terms changed on 2024-06-01, and NewCo's
    terms first appeared then."""
    root = tmp_path / "archive"
    manifest = []
    recorded = {
        ("acme", TERMS_URL): {
            "2024-01-01": "Liability is capped at USD 100.",
            "2024-06-01": "USD 5.",
        },
        ("newco", NEWCO_URL): {"2024-06-01": "NewCo terms."},
    }
    for (service, url), texts in recorded.items():
        folder = f"{service}/terms-of-service"
        entry = {"folder": folder, "source_urls": [url], "versions": []}
        for day, text in texts.items():
            stamp = f"{day}T00-00-00Z"
            (root / folder).mkdir(parents=True, exist_ok=True)
            (root / folder / f"{stamp}.md").write_text(text)
            (root / folder / f"{stamp}.html").write_text(terms_page("Terms", text))
            date = f"{day}T00:00:00Z"
            entry["versions"].append(
                {
                    "date": date,
                    "file": f"{folder}/{stamp}.md",
                    "snapshots": [
                        {"date": date, "file": f"{folder}/{stamp}.html", "source_url": url}
                    ],
                }
            )
        manifest.append(entry)
    (root / "manifest.json").write_text(json.dumps(manifest))
    return root


def test_the_replay_server_serves_the_page_in_force_at_a_date(archive):
    def get(server: ReplayServer, url: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(server.local_url(url)) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, ""

    with ReplayServer(archive, as_of="2024-03-15") as server:
        status, body = get(server, TERMS_URL)
        assert status == 200 and "USD 100" in body
        assert get(server, NEWCO_URL)[0] == 404  # not published yet
        assert get(server, "https://acme.example/robots.txt")[0] == 404
    with ReplayServer(archive) as server:  # no date: the latest pages
        assert "USD 5." in get(server, TERMS_URL)[1]
        assert get(server, NEWCO_URL)[0] == 200


def test_replaying_as_of_a_date_dates_the_fetches_then(archive, tmp_path):
    registry = write_registry(
        tmp_path / "sources.yml",
        {
            "acme": [{"url": TERMS_URL, "select": ".terms"}],
            "newco": [{"url": NEWCO_URL, "select": ".terms"}],
        },
    )
    db = tmp_path / "crawl.db"
    march = run_crawl(db, registry, "--replay", str(archive), "--as-of", "2024-03-15")
    assert march.returncode == 1  # NewCo's page did not exist yet
    assert fetches(db)["newco/terms-of-service"]["error_class"] == "http_404"
    assert (
        run_crawl(db, registry, "--replay", str(archive), "--as-of", "2024-07-01").returncode == 0
    )

    database = open_database(db)
    acme = list(database["versions"].rows_where("document_id = 'acme/terms-of-service'"))
    assert [v["recorded_at"] for v in acme] == ["2024-03-15T23:59:59Z", "2024-07-01T23:59:59Z"]
    assert "USD 100" in acme[0]["text"] and "USD 5." in acme[1]["text"]
    runs = list(database["runs"].rows)
    assert [(r["replay"], r["as_of"]) for r in runs] == [
        (str(archive), "2024-03-15"),
        (str(archive), "2024-07-01"),
    ]
    snapshot_urls = {row["url"] for row in database["snapshots"].rows}
    assert snapshot_urls == {TERMS_URL, NEWCO_URL}  # the real URLs, not the replay server's


def test_the_replay_middleware_sends_requests_to_the_server_under_their_real_url(archive):
    middleware = ReplayMiddleware(ReplayServer(archive))
    middleware.spider_opened()
    try:
        request = Request(TERMS_URL)
        local = middleware.process_request(request)
        assert local.url == middleware.server.local_url(TERMS_URL)
        assert local.meta["download_slot"] == "acme.example"  # politeness per real site
        assert middleware.process_request(local) is None  # sent as is
        response = middleware.process_response(local, HtmlResponse(local.url, body=b"<p>"))
        assert response.url == TERMS_URL
    finally:
        middleware.spider_closed()


# --- options -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--as-of", "2024-01-01"], "--as-of needs --replay"),
        (["--replay", "{archive}", "--as-of", "01/02/2024"], "is not a date written YYYY-MM-DD"),
        (["--replay", "{missing}"], "no such folder"),
        (["--source", "nobody"], "no such source in the registry: nobody"),
    ],
)
def test_bad_options_are_one_line_errors_before_anything_is_fetched(
    archive, tmp_path, options, message
):
    registry = write_registry(
        tmp_path / "sources.yml", {"acme": [{"url": TERMS_URL, "select": ".terms"}]}
    )
    options = [o.format(archive=archive, missing=tmp_path / "missing") for o in options]
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "x.db"), "--sources", str(registry), "crawl", *options]
    )
    assert result.exit_code == 1
    assert result.output.count("Error: ") == 1 and message in result.output
    assert not open_database(tmp_path / "x.db")["runs"].count
