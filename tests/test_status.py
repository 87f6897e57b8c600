"""``termwatch status``: the last runs, the latest changes, the documents that keep failing."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from termwatch.cli import cli
from termwatch.crawler.errors import ERROR_CLASSES
from termwatch.status import SYMPTOMS, failing_documents, status
from termwatch.store.recorder import Fetch, finish_run, record_fetch, start_run

TERMS = "# Terms\n\nYou own your code. " + "These terms govern your use of the Service. " * 10


@pytest.fixture
def tracked(db):
    db["services"].insert_all(
        [
            {"slug": "cursor", "name": "Cursor", "in_registry": 1},
            {"slug": "zed", "name": "Zed", "in_registry": 1},
        ]
    )
    db["documents"].insert_all(
        [
            {
                "id": f"{service}/terms-of-service",
                "service": service,
                "document_type": "terms-of-service",
                "in_registry": 1,
            }
            for service in ("cursor", "zed")
        ]
    )
    return db


def run(db, outcomes: dict[str, str | None], day: int) -> int:
    """One crawl run: each document fetched (text) or failing with an error class."""
    run_id = start_run(db, "refresh")
    for document_id, error_class in outcomes.items():
        fetch = Fetch(document_id, f"2025-01-{day:02d}T00:00:00Z")
        if error_class:
            fetch.error_class = error_class
            fetch.error = f"{error_class} on https://example.test/{document_id}"
        else:
            fetch.text = TERMS
        record_fetch(db, fetch, run_id=run_id)
    finish_run(db, run_id)
    return run_id


def test_a_document_failing_in_its_last_runs_is_reported_with_a_likely_cause(tracked):
    run(tracked, {"cursor/terms-of-service": None, "zed/terms-of-service": None}, day=1)
    for day in (2, 3, 4):
        run(
            tracked,
            {"cursor/terms-of-service": "structure_changed", "zed/terms-of-service": None},
            day,
        )

    [failing] = failing_documents(tracked)

    assert failing.message == (
        "Cursor / Terms of service: selector matched nothing since 3 runs — structure changed?"
    )
    assert (failing.failing_since, failing.last_success) == (
        "2025-01-02T00:00:00Z",
        "2025-01-01T00:00:00Z",
    )
    assert failing.error == "structure_changed on https://example.test/cursor/terms-of-service"


def test_a_document_that_worked_again_is_no_longer_failing(tracked):
    run(tracked, {"cursor/terms-of-service": "dns"}, day=1)
    run(tracked, {"cursor/terms-of-service": None}, day=2)
    assert failing_documents(tracked) == []


def test_a_document_that_never_worked_counts_every_failed_run(tracked):
    run(tracked, {"zed/terms-of-service": "http_403"}, day=1)
    [failing] = failing_documents(tracked)
    assert failing.message == (
        "Zed / Terms of service: refused (HTTP 403) in the last run — the site blocks crawlers?"
    )
    assert failing.last_success is None


def test_status_lists_runs_newest_first_and_only_the_changes_of_the_feed(tracked):
    first = run(tracked, {"cursor/terms-of-service": None}, day=1)
    second = run(tracked, {"cursor/terms-of-service": "timeout"}, day=2)
    [version] = tracked["versions"].rows
    change = {
        "document_id": "cursor/terms-of-service",
        "kind": "text",
        "new_version_id": version["id"],
    }
    tracked["changes"].insert_all(
        [
            {**change, "detected_at": "2025-01-05", "in_feed": 1, "summary": "Cursor changed"},
            {**change, "detected_at": "2025-01-06", "in_feed": 0, "summary": "re-extracted"},
            {**change, "detected_at": "2025-01-07", "in_feed": 0, "summary": "typo fixed"},
            {
                **change,
                "kind": "fact",
                "in_feed": 1,
                "summary": "Cursor now trains on your content unless you opt out",
            },
        ]
    )

    report = status(tracked)

    assert [r["id"] for r in report["runs"]] == [second, first]
    assert [(c["summary"], c["facts"]) for c in report["changes"]] == [
        ("Cursor changed", ["Cursor now trains on your content unless you opt out"])
    ]
    assert [f["document_id"] for f in report["failing"]] == ["cursor/terms-of-service"]


def test_the_status_command_prints_runs_changes_and_failures(tracked, tmp_path):
    run(tracked, {"cursor/terms-of-service": "http_404"}, day=1)
    database = tmp_path / "termwatch.db"

    printed = CliRunner().invoke(cli, ["--db", str(database), "status"])
    as_json = CliRunner().invoke(cli, ["--db", str(database), "status", "--json"])

    assert printed.exit_code == 0, printed.output
    assert "Cursor / Terms of service: page not found (HTTP 404) in the last run" in printed.stdout
    assert json.loads(as_json.stdout)["failing"][0]["error_class"] == "http_404"


def test_every_failure_class_has_a_symptom_in_words():
    assert set(ERROR_CLASSES) == set(SYMPTOMS)
