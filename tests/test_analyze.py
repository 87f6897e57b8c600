"""`termwatch analyze`: clauses, labels and facts stored per version, each sentence classified once.

These tests use a keyword classifier standing in for the trained model, so that they pin
what analysis stores and when, not what the model says (tests/test_analyze_model.py runs
the real pipeline).
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner

import termwatch.analysis.analyze as analyze_module
from termwatch.analysis.analyze import (
    READER_VERSION,
    Classifier,
    analyze,
    facts_in_force,
    pending_versions,
    sentence_hash,
)
from termwatch.analysis.changes import compute_changes, pending_pairs
from termwatch.analysis.segment import plain_text
from termwatch.cli import cli
from termwatch.importer import import_archive
from termwatch.store.schema import ensure_schema

TERMS_V1 = """# Example Terms

## 1. Your Code

Welcome to Example. You own the output. We do not use your code to train our models.

## 2. Limitation of Liability

Our total liability to you shall not exceed $100.
"""
# The second version changes one sentence and adds one; the rest stands as it was.
TERMS_V2 = (
    TERMS_V1.replace("$100.", "$50.")
    + "\n## 3. Governing Law\n\nThese Terms are governed by the laws of the State of Oregon.\n"
)
OTHER = """# Other Terms

We may use your prompts to train our models unless you opt out.
"""

KEYWORDS = {"own": "output_ownership", "train": "training", "liabil": "ltd", "governed": "law"}


class KeywordClassifier:
    """Categories by keyword; remembers every text it was asked to classify."""

    def __init__(self, model_version: str = "keywords-1"):
        self.model_version = model_version
        self.seen: list[str] = []

    def classify(self, texts):
        for text in texts:
            self.seen.append(text)
            yield {code: (1.0, "rule") for word, code in KEYWORDS.items() if word in text.lower()}

    def as_classifier(self) -> Classifier:
        return Classifier(self.model_version, self.classify)


@pytest.fixture
def corpus_db(db, make_archive):
    """Three versions: two of example/terms-of-service, one of other/terms-of-service."""
    root = make_archive(
        {
            "example/terms-of-service": {
                "2024-01-01T00-00-00Z.md": TERMS_V1,
                "2024-06-01T00-00-00Z.md": TERMS_V2,
            },
            "other/terms-of-service": {"2024-03-01T00-00-00Z.md": OTHER},
        }
    )
    import_archive(db, root)
    return db


def version_ids(db) -> dict[str, int]:
    return {
        f"{document}@{recorded[:10]}": version_id
        for version_id, document, recorded in db.execute(
            "select id, document_id, recorded_at from versions order by id"
        )
    }


def test_every_version_gets_its_clauses_labels_facts_and_analysis_row(corpus_db):
    model = KeywordClassifier()
    summary = analyze(corpus_db, classifier=model.as_classifier())

    assert summary.versions == 3
    assert corpus_db["analyses"].count == 3
    assert {row["model_version"] for row in corpus_db["analyses"].rows} == {"keywords-1"}
    for version in corpus_db["versions"].rows:
        clauses = list(corpus_db["clauses"].rows_where("version_id = ?", [version["id"]]))
        assert [clause["position"] for clause in clauses] == list(range(len(clauses)))
        for clause in clauses:
            quote = version["text"][clause["start"] : clause["end"]]
            sentence = corpus_db["sentences"].get(clause["sentence_hash"])
            assert sentence["text"] == plain_text(quote)
            assert clause["sentence_hash"] == sentence_hash(sentence["text"])
        assert corpus_db["facts"].count_where("version_id = ?", [version["id"]]) == 12


def test_each_distinct_sentence_is_classified_once(corpus_db):
    model = KeywordClassifier()
    summary = analyze(corpus_db, classifier=model.as_classifier())

    distinct = corpus_db.execute("select count(distinct sentence_hash) from clauses").fetchone()[0]
    total = corpus_db["clauses"].count
    assert total > distinct  # the second version repeats most of the first
    assert len(model.seen) == len(set(model.seen)) == distinct == summary.sentences_classified
    assert corpus_db["sentences"].count == distinct
    # Sentences without any category are stored too, so they are not classified again.
    unlabelled = corpus_db.execute(
        "select count(*) from sentences where hash not in (select sentence_hash from labels)"
    ).fetchone()[0]
    assert unlabelled > 0


def test_facts_are_stored_with_the_clause_that_states_them(corpus_db):
    analyze(corpus_db, classifier=KeywordClassifier().as_classifier())
    ids = version_ids(corpus_db)

    rows = {
        row["name"]: row
        for row in corpus_db["facts"].rows_where(
            "version_id = ?", [ids["example/terms-of-service@2024-06-01"]]
        )
    }
    assert json.loads(rows["liability_cap_amounts"]["value"]) == ["$50"]
    assert json.loads(rows["governing_law"]["value"]) == "State of Oregon"
    assert json.loads(rows["output_owner"]["value"]) == "user"
    assert json.loads(rows["trains_on_user_content"]["value"]) == "no"
    assert json.loads(rows["arbitration"]["value"]) == "unstated"
    assert rows["arbitration"]["evidence"] is None and rows["arbitration"]["clause_id"] is None

    cap = rows["liability_cap_kind"]
    clause = corpus_db["clauses"].get(cap["clause_id"])
    text = corpus_db["versions"].get(clause["version_id"])["text"]
    assert text[clause["start"] : clause["end"]] == cap["evidence"]
    assert cap["evidence"] == "Our total liability to you shall not exceed $50."


REASONED = """# Reasoned Terms

## 1. Indemnity

You will indemnify us against any claims arising from your use.

## 2. Liability

Our total liability to you shall not exceed $100.
Our total liability to you shall not exceed the fees you paid in the last 12 months.

## 3. Disputes

You and Reasoned submit to the exclusive jurisdiction of the courts of Dublin.
"""


def test_inferred_and_conflicting_facts_are_stored_with_their_basis_and_quotes(db, make_archive):
    import_archive(
        db, make_archive({"reasoned/terms-of-service": {"2024-01-01T00-00-00Z.md": REASONED}})
    )
    analyze(db, classifier=KeywordClassifier().as_classifier())
    rows = {row["name"]: row for row in db["facts"].rows}
    courts = "You and Reasoned submit to the exclusive jurisdiction of the courts of Dublin."
    assert (rows["arbitration"]["value"], rows["arbitration"]["basis"]) == ("false", "inferred")
    assert rows["arbitration"]["evidence"] == courts and "courts" in rows["arbitration"]["reason"]
    assert rows["output_owner"]["basis"] is None  # unstated: nothing supports it

    cap = rows["liability_cap_kind"]
    assert (json.loads(cap["value"]), cap["basis"]) == ("conflicting", "stated")
    sides = json.loads(cap["conflicts"])
    assert [side["value"] for side in sides] == ["fixed", "fees_paid"]
    for side in sides:  # each quote is the exact text of the clause it points to
        clause = db["clauses"].get(side["clause_id"])
        text = db["versions"].get(clause["version_id"])["text"]
        assert text[clause["start"] : clause["end"]] == side["evidence"]

    [document] = facts_in_force(db, service="reasoned")
    arbitration = document["facts"]["arbitration"]
    assert (arbitration["basis"], arbitration["evidence"]) == ("inferred", courts)
    assert arbitration["reason"] == rows["arbitration"]["reason"]
    conflicting = document["facts"]["liability_cap_kind"]
    assert conflicting["evidence"] == [side["evidence"] for side in sides]
    assert [side["value"] for side in conflicting["conflicts"]] == ["fixed", "fees_paid"]


def test_an_older_database_gains_the_basis_columns(tmp_path):
    import sqlite_utils

    old = sqlite_utils.Database(tmp_path / "old.db")
    ensure_schema(old)
    old["facts"].transform(drop={"basis", "reason", "conflicts"})
    assert "basis" not in old["facts"].columns_dict
    ensure_schema(old)
    assert {"basis", "reason", "conflicts"} <= set(old["facts"].columns_dict)


def test_a_second_run_analyses_nothing_and_loads_no_model(corpus_db, monkeypatch):
    analyze(corpus_db, classifier=KeywordClassifier().as_classifier())

    def no_model():
        raise AssertionError("the model was loaded with nothing to analyse")

    monkeypatch.setattr(analyze_module, "load_classifier", no_model)
    summary = analyze(corpus_db)
    assert summary.versions == 0
    assert str(summary) == "Nothing to analyse: every version is analysed."
    assert pending_versions(corpus_db) == []


def test_a_new_version_costs_only_its_new_sentences(db, make_archive):
    root = make_archive({"example/terms-of-service": {"2024-01-01T00-00-00Z.md": TERMS_V1}})
    import_archive(db, root)
    model = KeywordClassifier()
    analyze(db, classifier=model.as_classifier())
    model.seen.clear()

    later = make_archive(
        {"example/terms-of-service": {"2024-06-01T00-00-00Z.md": TERMS_V2}}, name="later"
    )
    import_archive(db, later)
    summary = analyze(db, classifier=model.as_classifier())
    assert summary.versions == 1
    assert sorted(model.seen) == [
        "Our total liability to you shall not exceed $50.",
        "These Terms are governed by the laws of the State of Oregon.",
    ]
    assert summary.sentences_reused > 0


def test_redo_all_reanalyses_every_version_and_records_the_new_model(corpus_db):
    analyze(corpus_db, classifier=KeywordClassifier().as_classifier())
    clauses_before = corpus_db["clauses"].count

    same = KeywordClassifier()
    summary = analyze(corpus_db, redo_all=True, classifier=same.as_classifier())
    assert summary.versions == 3
    assert same.seen == []  # the same model labelled every sentence already
    assert corpus_db["clauses"].count == clauses_before  # replaced, not added

    newer = KeywordClassifier("keywords-2")
    summary = analyze(corpus_db, redo_all=True, classifier=newer.as_classifier())
    assert summary.sentences_classified == corpus_db["sentences"].count == len(newer.seen)
    for table in ("analyses", "facts", "labels", "sentences"):
        versions = {row[0] for row in corpus_db.execute(f"select model_version from {table}")}
        assert versions == {"keywords-2"}, table


def test_a_version_read_by_another_version_of_the_fact_readers_is_read_and_compared_again(
    corpus_db,
):
    """A database kept across an upgrade (a deployed site) shows what the new readers read:
    the version is pending again, and once re-read, its pair is compared again."""
    analyze(corpus_db, classifier=KeywordClassifier().as_classifier())
    compute_changes(corpus_db)
    ids = version_ids(corpus_db)
    old_id, new_id = (
        ids["example/terms-of-service@2024-01-01"],
        ids["example/terms-of-service@2024-06-01"],
    )
    corpus_db.execute("update analyses set reader = 'older' where version_id = ?", [new_id])
    corpus_db.execute(
        "update facts set value = ? where version_id = ? and name = 'output_owner'",
        ['"provider"', new_id],
    )
    assert pending_versions(corpus_db) == [new_id]

    summary = analyze(corpus_db, classifier=KeywordClassifier().as_classifier())
    assert summary.versions == 1
    stored = corpus_db["facts"].get((new_id, "output_owner"))
    assert json.loads(stored["value"]) == "user"
    assert corpus_db["analyses"].get(new_id)["reader"] == READER_VERSION
    assert pending_pairs(corpus_db) == [(old_id, new_id)]
    compute_changes(corpus_db)
    assert pending_pairs(corpus_db) == []


def test_a_database_from_before_reader_versions_is_read_again(db, make_archive):
    import_archive(
        db, make_archive({"example/terms-of-service": {"2024-01-01T00-00-00Z.md": TERMS_V1}})
    )
    analyze(db, classifier=KeywordClassifier().as_classifier())
    db["analyses"].transform(drop={"reader"})  # as termwatch stored it before
    ensure_schema(db)
    assert pending_versions(db) == [next(db["versions"].rows)["id"]]


def test_an_interrupted_version_is_left_untouched_and_done_by_the_next_run(corpus_db, monkeypatch):
    real_extract = analyze_module.extract_facts
    calls = []

    def crash_on_second_version(clauses):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real_extract(clauses)

    monkeypatch.setattr(analyze_module, "extract_facts", crash_on_second_version)
    with pytest.raises(KeyboardInterrupt):
        analyze(corpus_db, classifier=KeywordClassifier().as_classifier())

    first, second = pending_versions(corpus_db, redo_all=True)[:2]
    assert corpus_db["analyses"].count == 1
    assert corpus_db["clauses"].count_where("version_id = ?", [first]) > 0
    for table in ("clauses", "facts", "analyses"):
        assert corpus_db[table].count_where("version_id = ?", [second]) == 0, table

    monkeypatch.setattr(analyze_module, "extract_facts", real_extract)
    summary = analyze(corpus_db, classifier=KeywordClassifier().as_classifier())
    assert summary.versions == 2
    assert pending_versions(corpus_db) == []


def test_progress_reports_each_version(corpus_db):
    reports = []
    analyze(corpus_db, classifier=KeywordClassifier().as_classifier(), progress=reports.append)
    assert [(p.versions_done, p.versions_total) for p in reports] == [(1, 3), (2, 3), (3, 3)]
    assert reports[-1].sentences_classified == corpus_db["sentences"].count


def test_facts_in_force_on_a_date(corpus_db):
    analyze(corpus_db, classifier=KeywordClassifier().as_classifier())

    latest = facts_in_force(corpus_db, service="example")
    assert [(d["document_type"], d["version_date"]) for d in latest] == [
        ("terms-of-service", "2024-06-01T00:00:00Z")
    ]
    assert latest[0]["facts"]["liability_cap_amounts"]["value"] == ["$50"]

    earlier = facts_in_force(corpus_db, service="example", as_of=date(2024, 5, 31))
    assert earlier[0]["version_date"] == "2024-01-01T00:00:00Z"
    assert earlier[0]["facts"]["liability_cap_amounts"] == {
        "value": ["$100"],
        "evidence": "Our total liability to you shall not exceed $100.",
        "basis": "stated",
    }
    # The day a version is recorded, it is in force.
    assert facts_in_force(corpus_db, "example", as_of=date(2024, 6, 1))[0]["version_date"] == (
        "2024-06-01T00:00:00Z"
    )
    assert facts_in_force(corpus_db, as_of=date(2023, 12, 31)) == []


# --- the commands ------------------------------------------------------------------------------


@pytest.fixture
def keyword_model(monkeypatch):
    model = KeywordClassifier()
    monkeypatch.setattr(analyze_module, "load_classifier", model.as_classifier)
    return model


def run(tmp_path, *arguments):
    """Run termwatch on the ``db`` fixture's database (tmp_path / "termwatch.db")."""
    return CliRunner().invoke(cli, ["--db", str(tmp_path / "termwatch.db"), *arguments])


def test_analyze_command_then_facts_as_json(corpus_db, keyword_model, tmp_path):
    result = run(tmp_path, "analyze")
    assert result.exit_code == 0, result.output
    assert "Analysed 3 versions" in result.stdout
    # The site's comparison matrix is rewritten from the new facts.
    assert corpus_db["comparison_cells"].count_where("service = 'example'") > 0

    again = run(tmp_path, "analyze")
    assert "Nothing to analyse" in again.stdout

    redone = run(tmp_path, "analyze", "--all")
    assert "Analysed 3 versions" in redone.stdout

    result = run(tmp_path, "facts", "--json")
    documents = json.loads(result.stdout)
    assert [(d["service"], d["document_type"]) for d in documents] == [
        ("example", "terms-of-service"),
        ("other", "terms-of-service"),
    ]
    for document in documents:
        assert set(document) == {"service", "document_type", "version_date", "facts"}
        assert len(document["facts"]) == 12
        for answer in document["facts"].values():
            assert set(answer) <= {"value", "evidence", "basis", "reason", "conflicts"}
            assert answer["basis"] in ("stated", "inferred", None)
            assert (answer["basis"] == "inferred") == ("reason" in answer)
    assert documents[1]["facts"]["trains_on_user_content"] == {
        "value": "opt-out",
        "evidence": "We may use your prompts to train our models unless you opt out.",
        "basis": "stated",
    }

    older = json.loads(
        run(tmp_path, "facts", "--service", "example", "--as-of", "2024-02-01", "--json").stdout
    )
    assert older[0]["facts"]["liability_cap_amounts"]["value"] == ["$100"]


def test_facts_table_and_errors(corpus_db, keyword_model, tmp_path):
    not_yet = run(tmp_path, "facts", "--json")
    assert all(document["facts"] is None for document in json.loads(not_yet.stdout))
    assert "not analysed yet" in not_yet.stderr

    run(tmp_path, "analyze")
    table = run(tmp_path, "facts", "--service", "example")
    assert table.exit_code == 0
    assert "example / terms-of-service (version of 2024-06-01T00:00:00Z)" in table.stdout
    assert "State of Oregon" in table.stdout

    unknown = run(tmp_path, "facts", "--service", "nope")
    assert unknown.exit_code == 1
    assert unknown.stderr.startswith("Error: unknown service 'nope'")
    assert len(unknown.stderr.splitlines()) == 1

    bad_date = run(tmp_path, "facts", "--as-of", "June 2024")
    assert bad_date.exit_code == 2
