"""Conditional requests: the validators a page came with are sent back, and a 304 is unchanged."""

from __future__ import annotations

from test_crawl import Route, fetches, run_crawl, serve_site, terms_page, write_registry

from termwatch.store import open_database

ETAG = '"terms-v1"'
LAST_MODIFIED = "Wed, 01 Oct 2025 10:00:00 GMT"


def test_an_unchanged_page_is_asked_for_conditionally_and_recorded_unchanged_on_304(tmp_path):
    with serve_site() as site:
        site.routes["/terms"] = Route(
            200, terms_page("Terms"), headers={"ETag": ETAG, "Last-Modified": LAST_MODIFIED}
        )
        site.routes["/plain"] = Route(200, terms_page("Plain"))  # no validators
        registry = write_registry(
            tmp_path / "sources.yml",
            {
                "acme": [{"url": site.url("/terms"), "select": ".terms"}],
                "plain": [{"url": site.url("/plain"), "select": ".terms"}],
            },
        )
        db = tmp_path / "crawl.db"
        first = run_crawl(db, registry)
        assert "2 new versions" in first.stdout, first.stderr
        second = run_crawl(db, registry)
        asked = [headers for path, headers in site.requests if path == "/terms"]

    assert "If-None-Match" not in asked[0]
    assert (asked[1]["If-None-Match"], asked[1]["If-Modified-Since"]) == (ETAG, LAST_MODIFIED)
    assert all("If-None-Match" not in h for path, h in site.requests if path == "/plain")
    assert "0 new versions, 2 unchanged, 0 failed" in second.stdout
    assert fetches(db)["acme/terms-of-service"]["outcome"] == "unchanged"
    database = open_database(db)
    first_snapshot, second_snapshot = database["snapshots"].rows_where(
        "document_id = 'acme/terms-of-service'", order_by="id"
    )
    assert (first_snapshot["status"], first_snapshot["etag"]) == (200, ETAG)
    assert second_snapshot["status"] == 304
    # the stored body stands for the 304: nothing new downloaded or kept
    assert second_snapshot["body_hash"] == first_snapshot["body_hash"]
    assert database["snapshot_bodies"].count == 2


def test_a_changed_page_answers_200_and_is_a_new_version(tmp_path):
    with serve_site() as site:
        site.routes["/terms"] = Route(200, terms_page("Terms"), headers={"ETag": ETAG})
        registry = write_registry(
            tmp_path / "sources.yml", {"acme": [{"url": site.url("/terms"), "select": ".terms"}]}
        )
        db = tmp_path / "crawl.db"
        run_crawl(db, registry)
        site.routes["/terms"] = Route(
            200, terms_page("Terms", "A new clause."), headers={"ETag": '"terms-v2"'}
        )
        second = run_crawl(db, registry)
    assert "1 new version, 0 unchanged" in second.stdout
    latest = list(open_database(db)["snapshots"].rows_where(order_by="id desc", limit=1))[0]
    assert (latest["status"], latest["etag"]) == (200, '"terms-v2"')
