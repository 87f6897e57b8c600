"""``termwatch refresh``: crawl, analyse only what is new, record what changed.

Each refresh runs in a child process against a local website (``refresh_support``), the
way ``termwatch schedule`` runs them, because Scrapy's reactor runs once per process.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from refresh_support import TermsSite, run_refresh, terms_page, write_registry

from termwatch.cli import cli
from termwatch.status import status
from termwatch.store import open_database

VERSION_A = terms_page(
    """
    <h2>1. Your Code</h2>
    <p>You own the code you write with the Service. We do not use your code to train our
    models.</p>
    <h2>2. Limitation of Liability</h2>
    <p>Our total liability to you for any claim is limited to USD 100.</p>
    <h2>3. Governing Law</h2>
    <p>These terms are governed by the laws of the State of California.</p>
    """
)

# Section 1.5 inserted (sections renumbered), the cap changed, training now opt-out.
VERSION_B = terms_page(
    """
    <h2>1. Your Code</h2>
    <p>You own the code you write with the Service. We use your code to train our models
    unless you opt out in your settings.</p>
    <h2>2. Beta Features</h2>
    <p>Beta features are provided for evaluation and may change at any time.</p>
    <h2>3. Limitation of Liability</h2>
    <p>Our total liability to you for any claim is limited to the fees you paid us in the
    12 months before the claim.</p>
    <h2>4. Governing Law</h2>
    <p>These terms are governed by the laws of the State of California.</p>
    """
)

DOCUMENT = "acme/terms-of-service"


@pytest.fixture
def site():
    site = TermsSite()
    yield site
    site.close()


@pytest.fixture
def acme(site, tmp_path):
    """A registry of one document, served as version A; and a database path."""
    site.pages["/terms"] = VERSION_A
    registry = write_registry(tmp_path / "sources.yml", site, {"acme": "/terms"})
    return tmp_path / "termwatch.db", registry


def test_version_a_then_version_b_yields_one_change_with_its_clauses_and_facts(site, acme):
    db_path, registry = acme
    first = run_refresh(db_path, registry)
    assert (first["run"]["changed"], first["analysed"], first["changed"]) == (1, 1, [])

    site.pages["/terms"] = VERSION_B
    second = run_refresh(db_path, registry)

    assert (second["run"]["status"], second["run"]["changed"], second["analysed"]) == (
        "completed",
        1,
        1,
    )
    [change] = second["changed"]
    assert change["summary"].startswith("Acme / Terms of service: 3 clauses changed")
    db = open_database(db_path)
    rows = list(db["changes"].rows_where("technical = 0", order_by="id"))
    clauses = {
        (row["change"], " ".join((row["new_value"] or row["old_value"]).split()))
        for row in rows
        if row["kind"] == "clause"
    }
    assert clauses == {
        ("added", "Beta features are provided for evaluation and may change at any time."),
        ("modified", "We use your code to train our models unless you opt out in your settings."),
        (
            "modified",
            "Our total liability to you for any claim is limited to the fees you paid us in the "
            "12 months before the claim.",
        ),
    }
    facts = {row["name"]: row for row in rows if row["kind"] == "fact"}
    assert set(facts) == {"liability_cap_amounts", "liability_cap_kind", "trains_on_user_content"}
    training = facts["trains_on_user_content"]
    assert (json.loads(training["old_value"]), json.loads(training["new_value"])) == (
        "no",
        "opt-out",
    )
    assert " ".join(training["old_evidence"].split()) == (
        "We do not use your code to train our models."
    )
    assert "unless you opt out" in training["new_evidence"]
    assert training["summary"] == (
        "Acme now trains on your content unless you opt out (was: no) (Terms of service)"
    )
    cap = facts["liability_cap_amounts"]
    assert json.loads(cap["old_value"]) == ["USD 100"]
    assert "fees you paid us" in cap["new_evidence"]
    assert [c["summary"] for c in status(db)["changes"]] == [change["summary"]]


def test_an_unchanged_page_records_no_version_and_analyses_nothing(acme):
    db_path, registry = acme
    run_refresh(db_path, registry)

    again = run_refresh(db_path, registry, no_analysis=True)

    assert (again["run"]["unchanged"], again["run"]["changed"], again["analysed"]) == (1, 0, 0)
    db = open_database(db_path)
    assert db["versions"].count == 1
    assert db["changes"].count == 0


@pytest.mark.parametrize("confirmed", [False, True], ids=["upgraded", "crawled"])
def test_a_selector_change_records_a_technical_version_and_no_term_change(site, acme, confirmed):
    """Two ways to meet a selector change, both technical.

    ``upgraded``: the latest version is re-read from its stored page before the crawl;
    ``crawled``: an unchanged fetch since then confirmed it, so the crawl records the new
    extraction, which the change computation recognises (same page, new text).
    """
    db_path, registry = acme
    run_refresh(db_path, registry)
    if confirmed:
        run_refresh(db_path, registry)
    # Same page, new selectors: the title is no longer part of the terms.
    write_registry(registry, site, {"acme": "/terms"}, select="main.terms > p")

    report = run_refresh(db_path, registry)

    db = open_database(db_path)
    latest = list(db["versions"].rows_where(order_by="id desc", limit=1))[0]
    assert latest["technical"] == 1
    if confirmed:  # the crawl read the page with the new selectors
        assert report["technical"] == []
        assert (report["run"]["changed"], report["run"]["technical"]) == (0, 1)
    else:  # re-read from the stored page in a run of its own; then the crawl found the same
        assert report["technical"] == [DOCUMENT]
        upgrade = db["runs"].get(latest["run_id"])
        assert (upgrade["command"], upgrade["technical"], upgrade["changed"]) == ("upgrade", 1, 0)
        assert (report["run"]["changed"], report["run"]["unchanged"]) == (0, 1)
    assert report["changed"] == []
    assert {row["technical"] for row in db["changes"].rows} == {1}
    assert status(db)["changes"] == []


def test_a_failing_document_is_reported_and_keeps_its_versions(site, acme):
    db_path, registry = acme
    run_refresh(db_path, registry)
    del site.pages["/terms"]

    report = run_refresh(db_path, registry)

    assert [(f["document_id"], f["error_class"]) for f in report["failures"]] == [
        (DOCUMENT, "http_404")
    ]
    db = open_database(db_path)
    assert db["versions"].count == 1
    [failing] = status(db)["failing"]
    assert failing["message"].startswith("Acme / Terms of service: page not found (HTTP 404)")


@pytest.mark.parametrize(
    "options, message",
    [
        (["--replay", "/no/such/archive"], "--replay /no/such/archive: no such folder"),
        (["--as-of", "2024-01-01"], "--as-of needs --replay"),
        (["--replay", ".", "--as-of", "2024-13-01"], "is not a date written YYYY-MM-DD"),
        (["--source", "nope"], "no such source in the registry: nope"),
    ],
)
def test_a_refresh_asked_wrongly_says_why_in_one_line_and_touches_nothing(acme, options, message):
    db_path, registry = acme
    result = CliRunner().invoke(
        cli, ["--db", str(db_path), "--sources", str(registry), "refresh", *options]
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and message in result.stderr
    assert not db_path.exists()
