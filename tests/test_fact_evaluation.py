"""``termwatch eval facts``: the reader's facts scored against an answer key, by meaning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from termwatch.analysis.analyze import Classifier, read_facts
from termwatch.analysis.fact_evaluation import (
    ReadFact,
    evaluate_facts,
    overlaps,
    same_value,
    score_facts,
)
from termwatch.analysis.fact_key import load_fact_key
from termwatch.analysis.facts import FACTS
from termwatch.analysis.taxonomy import CODES
from termwatch.cli import cli

TERMS = """# Acme Terms

## Liability

OUR TOTAL LIABILITY TO YOU WILL NOT EXCEED ONE HUNDRED DOLLARS (US$100).

## Disputes

Any dispute will be resolved by final and binding arbitration in San Francisco.

These Terms are governed by the laws of the State of Delaware.
"""
CAP = "OUR TOTAL LIABILITY TO YOU WILL NOT EXCEED ONE HUNDRED DOLLARS (US$100)."
ARBITRATION = "Any dispute will be resolved by final and binding arbitration in San Francisco."
LAW = "These Terms are governed by the laws of the State of Delaware."


def every_label() -> Classifier:
    """A classifier that gives every sentence every category: each clause is offered to
    every fact, so what is scored is the fact reader alone."""
    everything = {code: (1.0, "rule") for code in CODES}
    return Classifier("every-label", lambda texts: [everything for _ in texts])


def stated(value, evidence, basis="stated") -> dict:
    return {"value": value, "basis": basis, "evidence": evidence}


@pytest.fixture
def key(tmp_path: Path, monkeypatch) -> Path:
    """A corpus of one version and a key for it: cap, arbitration and law stated."""
    corpus = tmp_path / "corpus"
    version = corpus / "acme" / "terms-of-service" / "2025-01-01T00-00-00Z.md"
    version.parent.mkdir(parents=True)
    version.write_text(TERMS, encoding="utf-8")
    monkeypatch.setenv("TERMWATCH_CORPUS", str(corpus))
    facts = {name: {"value": "unstated"} for name in FACTS}
    facts.update(
        liability_cap_kind=stated("fixed", CAP),
        liability_cap_amounts=stated(["$100"], CAP),  # worded otherwise than the reader will
        arbitration=stated(True, ARBITRATION),
        governing_law=stated("Delaware", LAW),
        # The key says the terms settle this; a keyword reader finds nothing.
        class_action_waiver=stated(False, ARBITRATION, basis="inferred"),
    )
    entry = {
        "file": "acme/terms-of-service/2025-01-01T00-00-00Z.md",
        "split": "test",
        "facts": facts,
    }
    directory = tmp_path / "key"
    directory.mkdir()
    (directory / "acme.yml").write_text(yaml.safe_dump([entry]), encoding="utf-8")
    return directory


def reader(text: str):
    return {
        name: ReadFact(answer.value, tuple(c.text for c in answer.quotes), answer.basis)
        for name, answer in read_facts(text, every_label()).items()
    }


def test_read_facts_reads_a_text_as_analyze_does():
    facts = read_facts(TERMS, every_label())
    assert list(facts) == list(FACTS)
    assert facts["arbitration"].value is True
    assert facts["arbitration"].evidence.text == ARBITRATION
    assert facts["liability_cap_kind"].value == "fixed"


def test_each_fact_is_scored_by_meaning_with_its_confusion(key):
    evaluation = evaluate_facts("test", directory=key, read=reader)
    figures = evaluation.as_json()
    assert figures["documents"] == 1
    # Right: cap kind, cap amount ("ONE HUNDRED DOLLARS (US$100)" = "$100"), arbitration,
    # governing law ("State of Delaware" = "Delaware") and the seven unstated facts.
    assert figures["accuracy"]["liability_cap_amounts"] == 1.0
    assert figures["accuracy"]["governing_law"] == 1.0
    assert figures["accuracy"]["class_action_waiver"] == 0.0
    assert figures["overall"] == round(11 / 12, 4)
    assert figures["confusion"] == {"class_action_waiver": {"false -> unstated": 1}}
    assert figures["evidence_overlap_overall"] == 1.0
    assert figures["basis_agreement_overall"] == 1.0  # the four right stated facts: stated
    worded = {item["fact"]: item["given"] for item in figures["same_meaning"]}
    assert worded == {
        "liability_cap_amounts": ["ONE HUNDRED DOLLARS (US$100)"],
        "governing_law": "State of Delaware",
    }
    (mistake,) = figures["mistakes"]
    assert mistake["fact"] == "class_action_waiver" and mistake["expected_evidence"] == [
        ARBITRATION
    ]


def test_a_right_value_quoting_another_clause_is_no_evidence_overlap(key):
    def misquoting(text: str):
        reading = reader(text)
        reading["arbitration"] = ReadFact(True, (LAW,), "stated")  # right value, wrong clause
        return reading

    evaluation = evaluate_facts("test", directory=key, read=misquoting)
    assert evaluation.facts["arbitration"].accuracy == 1.0
    assert evaluation.facts["arbitration"].evidence_overlap == 0.0
    assert [item.fact for item in evaluation.elsewhere] == ["arbitration"]


def test_a_right_value_on_another_basis_is_counted_apart(key):
    def guessing(text: str):
        reading = reader(text)
        reading["arbitration"] = ReadFact(True, (ARBITRATION,), "inferred")  # the key: stated
        return reading

    evaluation = evaluate_facts("test", directory=key, read=guessing)
    assert evaluation.facts["arbitration"].accuracy == 1.0
    assert evaluation.facts["arbitration"].evidence_overlap == 1.0
    assert evaluation.facts["arbitration"].basis_agreement == 0.0
    assert evaluation.facts["governing_law"].basis_agreement == 1.0


def test_the_split_selects_documents(key):
    assert evaluate_facts("train", directory=key, read=reader).documents == 0
    assert evaluate_facts("all", directory=key, read=reader).documents == 1


@pytest.mark.parametrize(
    ("name", "expected", "given"),
    [
        ("governing_law", "California", "the laws of the State of California"),
        ("governing_law", "Ireland", "Irish law"),
        ("governing_law", "State of New York", "New York"),
        ("liability_cap_amounts", ["$100"], ["ONE HUNDRED DOLLARS (US$100)"]),
        ("liability_cap_amounts", ["USD 100"], ["US $100"]),
        ("trains_on_user_content", "opt-out", "opt-out"),
    ],
)
def test_values_equal_by_meaning(name, expected, given):
    assert same_value(name, expected, given)


@pytest.mark.parametrize(
    ("name", "expected", "given"),
    [
        ("governing_law", "California", "Delaware"),
        ("governing_law", "Ireland", "unstated"),
        ("arbitration", False, "unstated"),
        ("arbitration", True, "conflicting"),
        ("liability_cap_amounts", ["$100"], ["$500"]),
        ("liability_cap_amounts", ["$100"], ["€100"]),
        ("change_notice_days", 30, 0),
    ],
)
def test_different_values_stay_different(name, expected, given):
    assert not same_value(name, expected, given)


def test_overlap_is_by_position_in_the_text():
    assert overlaps(TERMS, [ARBITRATION], ["binding arbitration in San Francisco."])
    assert not overlaps(TERMS, [ARBITRATION], [LAW])
    # A quote that is not in the text is compared by its words.
    assert overlaps(TERMS, [ARBITRATION], ["resolved by final and binding arbitration"])


def test_score_facts_refuses_mismatched_readings(key):
    with pytest.raises(ValueError, match="1 documents but 0 readings"):
        score_facts(load_fact_key(key), [])


def test_eval_facts_command_prints_a_table_or_json(key, monkeypatch):
    monkeypatch.setattr(
        "termwatch.analysis.analyze.load_classifier", lambda model_dir=None: every_label()
    )
    runner = CliRunner()
    result = runner.invoke(cli, ["eval", "facts", str(key), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert set(figures["accuracy"]) == set(FACTS) and figures["overall"] == round(11 / 12, 4)
    table = runner.invoke(cli, ["eval", "facts", str(key)])
    assert "class_action_waiver" in table.stdout and "false -> unstated (1)" in table.stdout
    assert "11 of 12 facts right" in table.stdout


def test_eval_facts_without_the_corpus_is_one_clear_line(key, tmp_path, monkeypatch):
    monkeypatch.setenv("TERMWATCH_CORPUS", str(tmp_path / "nowhere"))
    result = CliRunner().invoke(cli, ["eval", "facts", str(key)])
    assert result.exit_code == 1
    assert "no such folder" in result.stderr and "TERMWATCH_CORPUS" in result.stderr
