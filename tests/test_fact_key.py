"""The fact answer key: its loader refuses what would make a score meaningless, and the
key in ``data/facts/`` itself loads against the shared corpus (skipped when it is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from termwatch.analysis import paths
from termwatch.analysis.fact_key import FactKeyError, load_fact_key
from termwatch.analysis.facts import CONFLICTING, FACTS

FILE = "acme/terms-of-service/2025-01-01T00-00-00Z.md"
TEXT = """# Acme Terms

## Disputes

These Terms are governed by the laws of the State of Delaware.

Any dispute will be resolved exclusively in the state or federal courts of Delaware.

## Liability

OUR TOTAL LIABILITY WILL NOT EXCEED ONE HUNDRED DOLLARS ($100).
"""
COURTS = "Any dispute will be resolved exclusively in the state or federal courts of Delaware."
CAP = "OUR TOTAL LIABILITY WILL NOT EXCEED ONE HUNDRED DOLLARS ($100)."


def stated(value, evidence, basis="stated") -> dict:
    return {"value": value, "basis": basis, "evidence": evidence}


def good_facts() -> dict[str, dict]:
    facts: dict[str, dict] = {name: {"value": "unstated"} for name in FACTS}
    facts["governing_law"] = stated(
        "State of Delaware", "governed by the laws of the State of Delaware"
    )
    facts["arbitration"] = stated(False, COURTS, basis="inferred")
    facts["liability_cap_kind"] = stated("fixed", CAP)
    facts["liability_cap_amounts"] = stated(["ONE HUNDRED DOLLARS ($100)"], CAP)
    return facts


def write_key(tmp_path: Path, facts: dict[str, dict], file: str = FILE) -> Path:
    key = tmp_path / "key"
    key.mkdir(exist_ok=True)
    entry = {"file": file, "split": "test", "facts": facts}
    (key / "acme.yml").write_text(yaml.safe_dump([entry], allow_unicode=True), encoding="utf-8")
    return key


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    version = root / FILE
    version.parent.mkdir(parents=True)
    version.write_text(TEXT, encoding="utf-8")
    return root


def test_a_good_entry_loads_with_its_text(tmp_path, corpus):
    (document,) = load_fact_key(write_key(tmp_path, good_facts()), corpus)
    assert (document.service, document.document_type, document.split) == (
        "acme",
        "terms-of-service",
        "test",
    )
    assert document.version_date == "2025-01-01T00-00-00Z"
    assert document.facts["arbitration"].value is False
    assert document.facts["arbitration"].basis == "inferred"
    assert document.facts["governing_law"].evidence == (
        "governed by the laws of the State of Delaware",
    )
    assert document.facts["liability_cap_amounts"].value == ["ONE HUNDRED DOLLARS ($100)"]
    assert document.facts["output_owner"].value == "unstated"
    assert not document.facts["output_owner"].stated
    assert list(document.facts) == list(FACTS)
    assert "Acme Terms" in document.text


def test_a_quote_not_in_the_version_text_fails(tmp_path, corpus):
    facts = good_facts()
    # One changed letter: "the law of" is not what the document says.
    facts["governing_law"] = stated(
        "State of Delaware", "governed by the law of the State of Delaware"
    )
    with pytest.raises(FactKeyError, match="governing_law: quote not in the version text"):
        load_fact_key(write_key(tmp_path, facts), corpus)


def test_a_missing_fact_fails(tmp_path, corpus):
    facts = good_facts()
    del facts["class_action_waiver"]
    with pytest.raises(FactKeyError, match="missing fact.*class_action_waiver"):
        load_fact_key(write_key(tmp_path, facts), corpus)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("arbitration", "yes"),  # a string, not the boolean true
        ("output_owner", "customer"),
        ("change_notice_days", "30 days"),
        ("liability_cap_amounts", "$100"),  # a list of amounts
        ("trains_on_user_content", "sometimes"),
    ],
)
def test_an_unknown_value_fails(tmp_path, corpus, name, value):
    facts = {**good_facts(), name: stated(value, COURTS)}
    with pytest.raises(FactKeyError, match=f"{name}: unknown value"):
        load_fact_key(write_key(tmp_path, facts), corpus)


def test_an_unknown_fact_fails(tmp_path, corpus):
    facts = {**good_facts(), "owns_your_soul": {"value": "unstated"}}
    with pytest.raises(FactKeyError, match="unknown fact.*owns_your_soul"):
        load_fact_key(write_key(tmp_path, facts), corpus)


def test_an_unknown_document_fails(tmp_path, corpus):
    key = write_key(tmp_path, good_facts(), file="acme/terms-of-service/2030-01-01T00-00-00Z.md")
    with pytest.raises(FactKeyError, match="unknown document: acme/terms-of-service/2030"):
        load_fact_key(key, corpus)


def test_a_stated_fact_needs_a_quote_and_an_unstated_one_none(tmp_path, corpus):
    no_quote = {**good_facts(), "governing_law": stated("State of Delaware", None)}
    with pytest.raises(FactKeyError, match="needs its verbatim quote"):
        load_fact_key(write_key(tmp_path, no_quote), corpus)
    quoted = {**good_facts(), "arbitration": {"value": "unstated", "evidence": COURTS}}
    with pytest.raises(FactKeyError, match="unstated fact has no evidence"):
        load_fact_key(write_key(tmp_path, quoted), corpus)


def test_conflicting_quotes_both_clauses(tmp_path, corpus):
    one = {**good_facts(), "arbitration": stated(CONFLICTING, [COURTS])}
    with pytest.raises(FactKeyError, match="conflicting fact quotes both"):
        load_fact_key(write_key(tmp_path, one), corpus)
    both = {**good_facts(), "arbitration": stated(CONFLICTING, [COURTS, "Any dispute"])}
    (document,) = load_fact_key(write_key(tmp_path, both), corpus)
    assert document.facts["arbitration"].evidence == (COURTS, "Any dispute")


def test_a_file_keyed_twice_fails(tmp_path, corpus):
    key = write_key(tmp_path, good_facts())
    (key / "acme-again.yml").write_text((key / "acme.yml").read_text())
    with pytest.raises(FactKeyError, match="already keyed"):
        load_fact_key(key, corpus)


def test_a_missing_corpus_is_one_clear_error(tmp_path):
    with pytest.raises(FactKeyError, match="no such folder.*TERMWATCH_CORPUS"):
        load_fact_key(write_key(tmp_path, good_facts()), tmp_path / "nowhere")


# --- the key of the project --------------------------------------------------------------------


def test_the_project_key_loads_against_the_corpus():
    if not paths.CORPUS.is_dir():
        pytest.skip(f"{paths.CORPUS} is not there (the shared corpus sits beside the project)")
    documents = load_fact_key()
    assert {document.split for document in documents} == {"train", "test"}
    # The split is fixed per service: two versions of one document never sit on both sides.
    for service in {document.service for document in documents}:
        assert len({d.split for d in documents if d.service == service}) == 1, service
