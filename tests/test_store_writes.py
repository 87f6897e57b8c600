"""The store's writes of analysis results: all or nothing, as the analysis relies on."""

from __future__ import annotations

import pytest

from termwatch.importer import import_archive
from termwatch.store.analyses import ClauseRow, Label, record_labels, record_version_analysis
from termwatch.store.changes import record_changes


@pytest.fixture
def version_id(db, make_archive):
    import_archive(db, make_archive({"acme/terms-of-service": {"2024-01-01T00-00-00Z.md": "A\n"}}))
    # the sentences the clauses point to, labelled with nothing
    record_labels(db, {f"hash{n}": f"Sentence {n}." for n in range(6)}, [], "m0")
    return next(db["versions"].rows)["id"]


def clause(position: int) -> ClauseRow:
    return ClauseRow(position, "Terms", position * 10, position * 10 + 9, f"hash{position}")


def fact(version_id, ids, position=1) -> dict:
    return {"version_id": version_id, "name": "arbitration", "value": "true"} | {
        "clause_id": ids[position]
    }


def test_a_version_analysis_replaces_clauses_and_facts_with_facts_quoting_new_ids(db, version_id):
    record_version_analysis(db, version_id, [clause(0), clause(1)], lambda ids: [], "m1", "r1")
    record_version_analysis(
        db,
        version_id,
        [clause(0), clause(1), clause(2)],
        lambda ids: [fact(version_id, ids)],
        "m2",
        "r2",
    )
    clauses = list(db["clauses"].rows_where("version_id = ?", [version_id], order_by="position"))
    assert [row["sentence_hash"] for row in clauses] == ["hash0", "hash1", "hash2"]
    [stored] = db["facts"].rows
    assert stored["clause_id"] == clauses[1]["id"]
    analysis = db["analyses"].get(version_id)
    assert (analysis["model_version"], analysis["reader"], analysis["clauses"]) == ("m2", "r2", 3)


def test_a_version_analysed_again_forgets_the_changes_that_quote_its_old_clauses(db, version_id):
    """Its pairs with the versions before and after it are compared again (pending_pairs)."""
    record_version_analysis(db, version_id, [clause(0)], lambda ids: [], "m1", "r1")
    document = "acme/terms-of-service"
    as_new = {"document_id": document, "new_version_id": version_id, "kind": "text"}
    as_old = {"document_id": document, "old_version_id": version_id, "kind": "text"}
    unrelated = {"document_id": document, "kind": "clause"}  # of no version of this one
    db["changes"].insert_all([as_new, as_old, unrelated])

    record_version_analysis(db, version_id, [clause(0)], lambda ids: [], "m1", "r2")
    assert [row["kind"] for row in db["changes"].rows] == ["clause"]


def test_a_failed_version_analysis_leaves_the_previous_one(db, version_id):
    record_version_analysis(
        db, version_id, [clause(0), clause(1)], lambda ids: [fact(version_id, ids)], "m1", "r1"
    )

    def broken(ids):
        raise RuntimeError("facts could not be read")

    with pytest.raises(RuntimeError):
        record_version_analysis(db, version_id, [clause(5)], broken, "m2", "r2")
    assert [row["sentence_hash"] for row in db["clauses"].rows] == ["hash0", "hash1"]
    assert db["facts"].count == 1 and db["analyses"].get(version_id)["model_version"] == "m1"


def test_labels_of_sentences_are_replaced_by_the_new_model(db):
    record_labels(db, {"h1": "We may terminate."}, [Label("h1", "ter", 0.9, "model")], "m1")
    record_labels(db, {"h1": "We may terminate."}, [Label("h1", "ch", 1.0, "rule")], "m2")
    assert [(row["category"], row["model_version"]) for row in db["labels"].rows] == [("ch", "m2")]
    assert db["sentences"].get("h1")["model_version"] == "m2"


def test_changes_of_a_version_are_replaced_and_a_technical_pair_marks_it(db, version_id):
    row = {"document_id": "acme/terms-of-service", "new_version_id": version_id, "kind": "text"}
    record_changes(db, version_id, [row, row], technical=False)
    record_changes(db, version_id, [row], technical=True)
    assert db["changes"].count == 1
    assert db["versions"].get(version_id)["technical"] == 1


def test_the_database_keeps_a_write_ahead_log_and_commits_without_waiting_for_the_disk(db):
    # WAL with synchronous=NORMAL: consistent after any crash, and a commit per version
    # (import, analysis) costs no disk flush; a power cut may only undo the last commits.
    assert db.journal_mode == "wal"
    assert db.execute("pragma synchronous").fetchone()[0] == 1  # NORMAL
