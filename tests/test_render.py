"""Pages whose terms a script writes: rendered in Debian's Chromium through scrapy-playwright."""

from __future__ import annotations

import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from test_crawl import FILLER, Route, fetches, run_crawl, serve_site, versions, write_registry

from termwatch.store import open_database

pytestmark = pytest.mark.skipif(
    shutil.which("chromium") is None,
    reason="Debian's chromium is not installed (apt-get install -y chromium; make test does)",
)

TERMS_HTML = f"<h1>Terms</h1><p>{FILLER}</p><p>Our liability is capped at USD 100.</p>"
# The terms arrive after load, from a request of their own, into a placeholder.
SCRIPTED = (
    "<html><body><main class='terms'>Loading…</main><img src='/pixel.png'>"
    "<script>fetch('/terms.html').then((r) => r.text()).then((html) => {"
    " setTimeout(() => { document.querySelector('.terms').innerHTML = html; }, 200); });"
    "</script></body></html>"
)
# No element of the selector at all until a script makes it.
BUILT_BY_SCRIPT = (
    "<html><body><div id='app'></div><script>fetch('/terms.html').then((r) => r.text())"
    ".then((html) => { document.getElementById('app').innerHTML ="
    " `<main class='terms'>${html}</main>`; });</script></body></html>"
)
FOREVER_LOADING = "<html><body><main class='terms'>Loading…</main></body></html>"
# A page whose script reaches for a host the registry does not name (here 127.0.0.2).
SNEAKY = (
    "<html><body><main class='terms'>Loading…</main><script>"
    "fetch('{elsewhere}/secret').then((r) => r.text()).catch(() => 'refused').then((answer) =>"
    " fetch('/terms.html').then((r) => r.text()).then((html) => {{"
    " document.querySelector('.terms').innerHTML = html + '<p>' + answer + '</p>'; }}));"
    "</script></body></html>"
)

SOURCES = {
    "scripted": {"path": "/scripted", "executeClientScripts": True},
    "built": {"path": "/built"},  # not marked: retried in the browser
    "built-plain": {"path": "/built", "executeClientScripts": False},  # never retried
    "loading": {"path": "/loading", "executeClientScripts": True},
    "sneaky": {"path": "/sneaky", "executeClientScripts": True},
}
SETTINGS = {
    "RETRY_TIMES": 1,
    "DOWNLOAD_TIMEOUT": 10,
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "TERMWATCH_BROWSER_WAIT": 3,
}


def registry_of(site, tmp_path, sources=SOURCES):
    return write_registry(
        tmp_path / "sources.yml",
        {
            slug: [
                {"url": site.url(source["path"]), "select": ".terms"}
                | {k: v for k, v in source.items() if k != "path"}
            ]
            for slug, source in sources.items()
        },
    )


@pytest.fixture(scope="module")
def elsewhere():
    """A server on 127.0.0.2 that counts its visitors: the registry never names it."""
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server API
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Access-Control-Allow-Origin", "*")
            self.end_headers()
            self.wfile.write(b"the secret of a private host")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.2", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.2:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def rendered_crawl(tmp_path_factory, elsewhere):
    with serve_site() as site:
        site.routes.update(
            {
                "/sneaky": Route(200, SNEAKY.format(elsewhere=elsewhere[0])),
                "/scripted": Route(200, SCRIPTED),
                "/built": Route(200, BUILT_BY_SCRIPT),
                "/loading": Route(200, FOREVER_LOADING),
                "/terms.html": Route(200, TERMS_HTML),
                "/pixel.png": Route(200, b"\x89PNG", headers={"Content-Type": "image/png"}),
            }
        )
        tmp = tmp_path_factory.mktemp("rendered")
        db = tmp / "crawl.db"
        result = run_crawl(db, registry_of(site, tmp), settings=SETTINGS)
        yield site, db, result


def test_terms_written_by_a_script_after_load_are_recorded(rendered_crawl):
    _site, db, result = rendered_crawl
    assert fetches(db)["scripted/terms-of-service"]["outcome"] == "new_version", result.stderr
    (text,) = versions(db, "scripted/terms-of-service")
    assert text.startswith("# Terms\n") and "capped at USD 100" in text
    assert "Loading" not in text
    snapshot = next(open_database(db)["snapshots"].rows_where("document_id like 'scripted/%'"))
    assert snapshot["status"] == 200


def test_a_page_without_its_selector_is_retried_once_in_the_browser_unless_told_not_to(
    rendered_crawl,
):
    site, db, _result = rendered_crawl
    recorded = fetches(db)
    assert recorded["built/terms-of-service"]["outcome"] == "new_version"
    assert "capped at USD 100" in versions(db, "built/terms-of-service")[0]
    assert recorded["built-plain/terms-of-service"]["error_class"] == "structure_changed"
    # built: once plain, once in the browser; built-plain: once plain
    assert site.hits["/built"] == 3


def test_a_placeholder_that_never_fills_fails_after_the_wait(rendered_crawl):
    _site, db, _result = rendered_crawl
    assert fetches(db)["loading/terms-of-service"]["error_class"] == "too_short"


def test_browser_pages_do_not_download_images(rendered_crawl):
    site, _db, _result = rendered_crawl
    assert site.hits.get("/terms.html", 0) >= 2 and "/pixel.png" not in site.hits


def test_a_browser_page_cannot_reach_an_address_the_crawler_may_not(rendered_crawl, elsewhere):
    _site, db, _result = rendered_crawl
    _address, hits = elsewhere
    (text,) = versions(db, "sneaky/terms-of-service")
    assert hits == [] and "refused" in text and "secret" not in text


def test_without_a_browser_the_pages_that_need_one_fail_saying_so(tmp_path):
    with serve_site() as site:
        site.routes.update(
            {"/scripted": Route(200, SCRIPTED), "/terms.html": Route(200, TERMS_HTML)}
        )
        registry = registry_of(site, tmp_path, {"scripted": SOURCES["scripted"]})
        db = tmp_path / "crawl.db"
        result = run_crawl(
            db, registry, settings={**SETTINGS, "TERMWATCH_BROWSER": "no-such-chromium"}
        )
        assert "/scripted" not in site.hits  # nothing fetched that could not be read
    fetch = fetches(db)["scripted/terms-of-service"]
    assert fetch["error_class"] == "browser_unavailable"
    assert "no-such-chromium" in fetch["error"] and "TERMWATCH_BROWSER" in fetch["error"]
    assert "browser_unavailable" in result.stderr
