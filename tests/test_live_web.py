"""The live web's traps: bot walls and bodies that are not pages are failures, never versions."""

from __future__ import annotations

import pytest
from test_crawl import FILLER, Route, fetches, run_crawl, terms_page, write_registry

from termwatch.crawler.content import bot_wall, unsupported
from termwatch.status import render, status
from termwatch.store import open_database

CLOUDFLARE = (
    "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>"
    "<div>Checking if the site connection is secure</div>"
    "<script>window._cf_chl_opt={cvId: '3'};</script></body></html>"
)
# The same vendors' names in real terms: a privacy policy lists its processors.
TERMS_NAMING_THE_VENDORS = terms_page(
    "Privacy",
    "We use DataDome, Imperva and Cloudflare to protect the service; you may not bypass "
    "a CAPTCHA or verify you are human by automated means. " + FILLER * 10,
).replace(
    "</main>", "<script src='/cdn-cgi/challenge-platform/scripts/jsd/main.js'></script></main>"
)

WALLED_SITE = {
    "cloudflare-header": (
        Route(403, "<html><body>Please wait</body></html>", headers={"cf-mitigated": "challenge"}),
        "a Cloudflare challenge",
    ),
    "cloudflare-page": (Route(503, CLOUDFLARE), "a Cloudflare challenge"),
    "imperva": (
        Route(200, "<html><body>Request unsuccessful. Incapsula incident ID: 1-2</body></html>"),
        "an Imperva (Incapsula) block page",
    ),
    "akamai": (
        Route(
            403,
            "<html><head><title>Access Denied</title></head><body><h1>Access Denied</h1>"
            "You don't have permission to access this server.<p>Reference #18.2d1b3e17</p>"
            "</body></html>",
        ),
        "an Akamai block page",
    ),
    "datadome": (
        Route(403, "<html><script src='https://ct.captcha-delivery.com/c.js'></script></html>"),
        "a DataDome challenge",
    ),
    "captcha": (
        Route(200, "<html><body><h1>Are you a robot?</h1><div class='g-recaptcha'></div></body>"),
        "a CAPTCHA page",
    ),
}
BINARY_SITE = {
    "image": Route(
        200, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", headers={"Content-Type": "image/png"}
    ),
    "mislabelled": Route(200, b"PK\x03\x04\x00\x00binary", headers={"Content-Type": "text/html"}),
}


@pytest.fixture(scope="module")
def walled_crawl(tmp_path_factory):
    from test_crawl import serve_site

    with serve_site() as site:
        site.routes.update({f"/{slug}": route for slug, (route, _wall) in WALLED_SITE.items()})
        site.routes.update({f"/{slug}": route for slug, route in BINARY_SITE.items()})
        site.routes["/privacy"] = Route(200, TERMS_NAMING_THE_VENDORS)
        slugs = [*WALLED_SITE, *BINARY_SITE, "privacy"]
        tmp = tmp_path_factory.mktemp("walls")
        registry = write_registry(
            tmp / "sources.yml",
            # executeClientScripts: false, so that no page is retried in a browser
            {
                s: [{"url": site.url(f"/{s}"), "select": ".terms", "executeClientScripts": False}]
                for s in slugs
            },
        )
        db = tmp / "crawl.db"
        result = run_crawl(db, registry)
        yield db, result


def test_bot_walls_are_bot_blocked_whatever_their_status_and_name_the_wall(walled_crawl):
    db, _result = walled_crawl
    recorded = fetches(db)
    for slug, (_route, wall) in WALLED_SITE.items():
        fetch = recorded[f"{slug}/terms-of-service"]
        assert (fetch["outcome"], fetch["error_class"]) == ("failed", "bot_blocked"), slug
        assert wall in fetch["error"], slug
    versions = {row["document_id"] for row in open_database(db)["versions"].rows}
    assert versions == {"privacy/terms-of-service"}  # terms that name the vendors are terms


def test_bodies_that_are_not_pages_are_unsupported_content(walled_crawl):
    db, _result = walled_crawl
    recorded = fetches(db)
    assert recorded["image/terms-of-service"]["error_class"] == "unsupported_content"
    assert "served image/png" in recorded["image/terms-of-service"]["error"]
    assert recorded["mislabelled/terms-of-service"]["error_class"] == "unsupported_content"
    assert "binary data labelled text/html" in recorded["mislabelled/terms-of-service"]["error"]


def test_status_groups_the_documents_behind_each_wall(walled_crawl):
    db, _result = walled_crawl
    report = status(open_database(db))
    assert sorted(report["bot_walls"]["a Cloudflare challenge"]) == [
        "Cloudflare-Header / Terms of service",
        "Cloudflare-Page / Terms of service",
    ]
    assert len(report["bot_walls"]) == 5
    printed = render(report)
    assert "Behind bot walls:\n" in printed
    assert "  a Cloudflare challenge (2): " in printed


def test_a_wall_is_told_by_its_headers_or_markers_and_generic_words_only_in_short_pages():
    assert bot_wall({"cf-mitigated": "challenge"}, b"") == "a Cloudflare challenge"
    assert bot_wall({}, CLOUDFLARE.encode()) == "a Cloudflare challenge"
    assert bot_wall({}, TERMS_NAMING_THE_VENDORS.encode()) is None
    assert bot_wall({}, b"<html><title>Captcha</title><body>Prove it</body>") == "a CAPTCHA page"
    assert unsupported("application/octet-stream", b"abc") == "served application/octet-stream"
    assert unsupported("text/html; charset=utf-8", b"<html></html>") is None
    assert unsupported(None, b"<html></html>") is None
