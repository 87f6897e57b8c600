"""Replaying ../shared/corpus month by month reproduces the changes recorded in it.

Each month, a refresh replays the pages in force that day (``--replay DIR --as-of DATE``)
with the real registry; a document whose archived text changed during the month must show
exactly one new version, dated by the replay date, and no other month may show one.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from conftest import CORPUS, PROJECT
from refresh_support import run_refresh

from termwatch.status import status
from termwatch.store import open_database

DOCUMENTS = ["cursor/terms-of-service", "codeium/terms-of-service"]

pytestmark = pytest.mark.skipif(
    not (CORPUS / "manifest.json").exists(), reason="../shared/corpus is not there"
)


def first_days(first: str, last: str) -> list[str]:
    """The first day of each month from ``first`` to ``last`` (YYYY-MM)."""
    year, month = map(int, first.split("-"))
    days = []
    while f"{year:04d}-{month:02d}" <= last:
        days.append(date(year, month, 1).isoformat())
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)
    return days


def archived_changes(document: str, days: list[str]) -> set[tuple[str, str]]:
    """(document, replay day) for each replay after which the archive recorded a change."""
    [entry] = [
        e for e in json.loads((CORPUS / "manifest.json").read_text()) if e["folder"] == document
    ]
    changed = [
        v["date"]
        for v in entry["versions"]
        if v.get("change_type") == "change" and v.get("snapshots")
    ]
    return {
        (document, day)
        for previous, day in zip(days, days[1:], strict=False)
        if any(f"{previous}T23:59:59Z" < when <= f"{day}T23:59:59Z" for when in changed)
    }


def test_a_monthly_replay_of_the_corpus_yields_its_changes_dated_by_the_replay(tmp_path):
    db_path = tmp_path / "termwatch.db"
    days = first_days("2025-03", "2025-10")

    for day in days:
        report = run_refresh(
            db_path, PROJECT / "data" / "sources.yml", replay=str(CORPUS), as_of=day, only=DOCUMENTS
        )
        assert report["failures"] == [], day

    db = open_database(db_path)
    texts = list(db["changes"].rows_where("kind = 'text'"))
    found = {(row["document_id"], row["detected_at"][:10]) for row in texts}
    expected = set().union(*(archived_changes(document, days) for document in DOCUMENTS))
    assert found == expected
    assert {row["detected_at"][10:] for row in db["changes"].rows} == {"T23:59:59Z"}
    # What the archive calls a change may only move a link target (Cursor's of 2025-09, a
    # technical version here); status reports the rest, the changes of the feed.
    in_feed = [row for row in texts if row["in_feed"]]
    assert len(status(db, changes=20)["changes"]) == len(in_feed) > 0
