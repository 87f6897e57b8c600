"""A crawler that cannot be turned against its host (issue: hostile input).

A local server plays the hostile site, on 127.0.0.1; a second one, on 127.0.0.2, plays what
lives next to the crawler (an admin console with a secret). The registry names the hostile
site only. Redirects (3xx, meta refresh) towards the admin console, a cloud metadata
address in its many spellings, a redirect loop and a compression bomb must each fail with a
class of their own and a message naming the target, and the secret must never be fetched.
"""

from __future__ import annotations

import gzip
import os
import random
import subprocess
import zlib
from ipaddress import ip_address
from pathlib import Path

import pytest
from click.testing import CliRunner
from scrapy import Request
from scrapy.http import Response
from test_crawl import (
    TERMS_URL,
    TERMWATCH,
    TEST_SETTINGS,
    Route,
    archive,  # noqa: F401 - a fixture
    fetches,
    run_crawl,
    serve_site,
    terms_page,
    versions,
    write_registry,
)

from termwatch.cli import cli
from termwatch.crawler.addresses import ALLOW_PRIVATE_HOSTS, AddressPolicy, literal_address
from termwatch.crawler.errors import AddressRefused
from termwatch.crawler.middlewares import AddressPolicyMiddleware
from termwatch.store import open_database

SECRET = "SECRET-ADMIN-TOKEN=hunter2"
LATIN_1 = "Les conditions générales régissent l'accès au service de la Société."
UNDECLARED = {"Content-Type": "text/html"}  # no charset, and the page has no <meta> either

# Spellings of the cloud metadata address, and its neighbours termwatch never fetches.
METADATA_URLS = [
    "http://169.254.169.254/latest/meta-data/",
    "http://2852039166/",
    "http://0xa9.0xfe.0xa9.0xfe/",
    "http://0251.0376.0251.0376/",
    "http://[::ffff:169.254.169.254]/",
    "http://[fe80::1]/",
    "http://[fd00:ec2::254]/",
    "http://100.100.100.200/",
]


def redirect(location: str, status: int = 302) -> Route:
    return Route(status, "", headers={"Location": location})


def meta_refresh(location: str) -> Route:
    return Route(
        200, f"<html><head><meta http-equiv='refresh' content='0; url={location}'></head></html>"
    )


@pytest.fixture(scope="module")
def hostile_crawl(tmp_path_factory):
    """One crawl of a hostile site whose pages lead elsewhere; the admin console is watched."""
    tmp_path = tmp_path_factory.mktemp("hostile")
    with serve_site() as site, serve_site("127.0.0.2") as admin:
        admin.routes["/admin"] = Route(200, terms_page("Internal admin", SECRET))
        admin_url = admin.url("/admin")
        same_port_other_host = site.url("/ok").replace("127.0.0.1", "127.0.0.2")
        site.routes.update(
            {
                "/ok": Route(200, terms_page("Terms")),
                "/moved": redirect("/ok", 301),  # within the registry's host: followed
                "/to-metadata": redirect(METADATA_URLS[0]),
                "/to-numeric": redirect("http://2852039166/latest/meta-data/"),
                "/to-mapped": redirect("http://[::ffff:169.254.169.254]/latest/meta-data/"),
                "/to-admin": redirect(admin_url, 307),
                "/to-other-host": redirect(same_port_other_host),
                "/refresh-to-admin": meta_refresh(admin_url),
                "/to-nowhere": redirect("http://does-not-exist.invalid/terms"),
                "/loop": redirect("/loop"),
                # random bytes without a NUL, served as HTML (under DOWNLOAD_MAXSIZE)
                "/random": Route(200, bytes(b or 1 for b in random.Random(13).randbytes(40_000))),
                "/latin1": Route(
                    200, terms_page("Conditions", LATIN_1).encode("latin-1"), headers=UNDECLARED
                ),
                "/bomb": Route(
                    200,
                    gzip.compress(b"<p>" + b" " * 5_000_000),  # 5 MB once decompressed
                    headers={"Content-Type": "text/html", "Content-Encoding": "gzip"},
                ),
                "/deflate-bomb": Route(
                    200,
                    zlib.compress(b"<p>" + b" " * 5_000_000),
                    headers={"Content-Type": "text/html", "Content-Encoding": "deflate"},
                ),
            }
        )
        names = [path.strip("/") for path in site.routes]
        registry = write_registry(
            tmp_path / "sources.yml",
            {name: [{"url": site.url(f"/{name}"), "select": ".terms"}] for name in names},
        )
        db = tmp_path / "crawl.db"
        result = run_crawl(db, registry)
        yield site, admin, db, result


EXPECTED = {
    "ok": None,
    "moved": None,
    "to-metadata": "address_refused",
    "to-numeric": "address_refused",
    "to-mapped": "address_refused",
    "to-admin": "address_refused",
    "to-other-host": "address_refused",
    "refresh-to-admin": "address_refused",
    "to-nowhere": "dns",
    "loop": "redirect_loop",
    "bomb": "too_large",
    "deflate-bomb": "too_large",
    "random": "unsupported_content",
    "latin1": None,
}


def failures(db: Path) -> dict[str, dict]:
    return {document.split("/")[0]: row for document, row in fetches(db).items()}


def test_each_hostile_page_fails_with_its_own_class(hostile_crawl):
    _site, _admin, db, result = hostile_crawl
    assert {name: row["error_class"] for name, row in failures(db).items()} == EXPECTED
    assert result.returncode == 1
    assert "robots_disallowed" not in result.stderr


def test_nothing_next_to_the_crawler_is_fetched_or_recorded(hostile_crawl):
    _site, admin, db, _result = hostile_crawl
    assert admin.hits == {}  # not even robots.txt
    database = open_database(db)
    texts = [row["text"] for row in database["versions"].rows]
    bodies = [zlib.decompress(row["body"]) for row in database["snapshot_bodies"].rows]
    assert texts and not any(SECRET in text for text in texts)
    assert not any(SECRET.encode() in body for body in bodies)
    assert {row["document_id"] for row in database["versions"].rows} == {
        "ok/terms-of-service",
        "moved/terms-of-service",
        "latin1/terms-of-service",
    }


def test_only_text_is_recorded_and_decoded_by_its_real_encoding(hostile_crawl):
    _site, _admin, db, _result = hostile_crawl
    random_bytes = failures(db)["random"]
    assert "served binary data labelled text/html" in random_bytes["error"]
    [latin1] = versions(db, "latin1/terms-of-service")
    assert LATIN_1 in latin1


def test_refusals_name_the_target_and_where_the_redirect_came_from(hostile_crawl):
    site, admin, db, _result = hostile_crawl
    recorded = failures(db)
    metadata = recorded["to-metadata"]
    assert metadata["url"] == METADATA_URLS[0]
    assert metadata["error"] == (
        f"{METADATA_URLS[0]} leads to 169.254.169.254, a link-local or cloud-metadata address: "
        f"termwatch never fetches those; redirected there from {site.url('/to-metadata')}"
    )
    assert "(that is 169.254.169.254), a link-local" in recorded["to-mapped"]["error"]
    assert "leads to 169.254.169.254" in recorded["to-numeric"]["error"]
    for name in ("to-admin", "refresh-to-admin"):
        assert recorded[name]["url"] == admin.url("/admin")
        assert recorded[name]["error"].startswith(
            f"{admin.url('/admin')} leads to 127.0.0.2, a private or loopback address of a host "
            "the registry does not name"
        )
    assert "127.0.0.2" in recorded["to-other-host"]["url"]


def test_redirect_failures_name_the_target_not_the_registry_host(hostile_crawl):
    site, _admin, db, _result = hostile_crawl
    recorded = failures(db)
    nowhere = recorded["to-nowhere"]["error"]
    assert nowhere.startswith("cannot resolve the host does-not-exist.invalid")
    assert recorded["to-nowhere"]["url"] == "http://does-not-exist.invalid/terms"
    assert recorded["loop"]["error"] == (
        f"{site.url('/loop')} still redirects after 20 redirects "
        f"(a redirect loop? from {site.url('/loop')})"
    )
    assert "once decompressed" in recorded["bomb"]["error"]


# --- the policy, address by address -------------------------------------------------------


@pytest.mark.parametrize("url", METADATA_URLS)
def test_metadata_addresses_are_refused_in_every_spelling_whatever_the_registry(url):
    policy = AddressPolicy.for_urls([url], environ={ALLOW_PRIVATE_HOSTS: "1"})
    address = literal_address(url.split("/")[2])
    assert address is not None
    assert "never fetches" in policy.refusal(url, address)


def test_private_addresses_only_for_registry_hosts_and_only_when_allowed():
    named = "http://127.0.0.1:8080/terms"
    allowed = AddressPolicy.for_urls([named], environ={ALLOW_PRIVATE_HOSTS: "1"})
    refused = AddressPolicy.for_urls([named], environ={})
    loopback, private, public = (ip_address(a) for a in ("127.0.0.1", "10.1.2.3", "93.184.216.34"))
    assert allowed.refusal(named, loopback) is None
    assert ALLOW_PRIVATE_HOSTS in refused.refusal(named, loopback)
    # another port, another host: not what the registry names
    assert "does not name" in allowed.refusal("http://127.0.0.1:8081/", loopback)
    assert "does not name" in allowed.refusal("http://10.1.2.3:8080/", private)
    assert refused.refusal("https://example.com/terms", public) is None  # public: always


def test_an_answer_from_a_forbidden_address_is_refused_even_after_the_check():
    """DNS rebinding: the address actually connected to is checked again."""
    url = "http://terms.example/terms"
    middleware = AddressPolicyMiddleware(AddressPolicy.for_urls([url], environ={}))
    request = Request(url)
    fine = Response(url, ip_address=ip_address("93.184.216.34"))
    assert middleware.process_response(request, fine) is fine
    rebound = Response(url, ip_address=ip_address("169.254.169.254"))
    with pytest.raises(AddressRefused, match="its address changed since resolved"):
        middleware.process_response(request, rebound)


# --- the registry -------------------------------------------------------------------------


def registry_of(tmp_path: Path, urls: list[str], select: str = "main") -> Path:
    return write_registry(
        tmp_path / "sources.yml",
        {f"s{i}": [{"url": url, "select": select}] for i, url in enumerate(urls)},
    )


def test_sources_refuses_forbidden_addresses_one_line_each(tmp_path):
    registry = registry_of(tmp_path, METADATA_URLS)
    for command in (["sources"], ["crawl"]):
        result = CliRunner().invoke(
            cli, ["--db", str(tmp_path / "t.db"), "--sources", str(registry), *command]
        )
        assert result.exit_code == 1
        lines = result.stderr.splitlines()
        assert len(lines) == len(METADATA_URLS)
        for number, line in enumerate(lines):  # URLs as the registry reads them: 169.254.169.254
            assert line.startswith(f"Error: s{number}/terms-of-service: http://")
            assert "a link-local or cloud-metadata address: termwatch never fetches" in line
        assert "registry OK" not in result.output


def test_sources_refuses_private_addresses_unless_allowed(tmp_path, monkeypatch):
    registry = registry_of(tmp_path, ["http://127.0.0.1:8080/terms", "http://[::1]:8080/"])
    allowed = CliRunner().invoke(cli, ["--sources", str(registry), "sources"])
    assert allowed.exit_code == 0 and "registry OK" in allowed.stderr
    monkeypatch.delenv(ALLOW_PRIVATE_HOSTS)
    refused = CliRunner().invoke(cli, ["--sources", str(registry), "sources"])
    assert refused.exit_code == 1
    assert refused.stderr.splitlines() == [
        "Error: s0/terms-of-service: http://127.0.0.1:8080/terms leads to 127.0.0.1, a private or "
        f"loopback address (set {ALLOW_PRIVATE_HOSTS}=1 to crawl a host of your own network)",
        "Error: s1/terms-of-service: http://[::1]:8080/ leads to ::1, a private or "
        f"loopback address (set {ALLOW_PRIVATE_HOSTS}=1 to crawl a host of your own network)",
    ]


def test_a_name_that_resolves_to_a_private_address_is_refused_when_crawled(tmp_path):
    """`sources` does not resolve names (it works offline): the crawl does, before connecting."""
    with serve_site() as site:
        site.routes["/terms"] = Route(200, terms_page("Terms"))
        url = site.url("/terms").replace("127.0.0.1", "localhost")
        registry = registry_of(tmp_path, [url], select=".terms")
        allowed = run_crawl(tmp_path / "allowed.db", registry)
        environ = {k: v for k, v in os.environ.items() if k != ALLOW_PRIVATE_HOSTS}
        overrides = [arg for k, v in TEST_SETTINGS.items() for arg in ("-s", f"{k}={v}")]
        refused = subprocess.run(
            [TERMWATCH, "--db", str(tmp_path / "refused.db"), "--sources", str(registry)]
            + ["crawl", *overrides],
            capture_output=True,
            text=True,
            env=environ,
            timeout=120,
        )
    assert allowed.returncode == 0, allowed.stderr
    assert refused.returncode == 1
    assert f"failed: s0/terms-of-service: address_refused: {url} leads to 127.0.0.1" in (
        refused.stderr
    )
    assert site.hits == {"/robots.txt": 1, "/terms": 1}  # the allowed crawl only


def test_a_replay_needs_no_setting(archive, tmp_path, monkeypatch):  # noqa: F811 - a fixture
    """The replay server is termwatch's own, on 127.0.0.1: not a target of the policy."""
    monkeypatch.delenv(ALLOW_PRIVATE_HOSTS)
    registry = write_registry(
        tmp_path / "sources.yml", {"acme": [{"url": TERMS_URL, "select": ".terms"}]}
    )
    result = run_crawl(tmp_path / "replay.db", registry, "--replay", str(archive))
    assert result.returncode == 0, result.stderr
    assert "1 new version" in result.stdout
    assert "USD 5." in open_database(tmp_path / "replay.db")["versions"].get(1)["text"]
