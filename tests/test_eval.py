"""Evaluation: the benchmark reader, the metrics of the UNFAIR-ToS README, honest figures."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from termwatch.analysis.evaluation import evaluate_unfair_tos, score
from termwatch.analysis.unfair_tos import (
    BenchmarkError,
    document_folds,
    read_benchmark,
    training_documents,
)
from termwatch.cli import cli


def write_benchmark(root, documents: dict[str, list[tuple[str, str]]], heldout=()):
    """documents: {name: [(sentence, tags), ...]} in the benchmark's layout."""
    (root / "sentences").mkdir(parents=True)
    (root / "tags").mkdir()
    for name, rows in documents.items():
        (root / "sentences" / f"{name}.txt").write_text("\n".join(s for s, _ in rows) + "\n")
        (root / "tags" / f"{name}.txt").write_text("\n".join(t for _, t in rows) + "\n")
    if heldout:
        (root / "heldout_documents.txt").write_text("\n".join(f"{n}.txt" for n in heldout))
    return root


def test_tags_count_at_any_level_and_other_tags_are_ignored(tmp_path):
    root = write_benchmark(
        tmp_path / "b",
        {"Shop": [("We may end it.", "ter2 ch3"), ("Hello.", ""), ("France.", "countrym")]},
    )
    (document,) = read_benchmark(root)
    assert [sentence.labels for sentence in document.sentences] == [
        frozenset({"ter", "ch"}),
        frozenset(),
        frozenset(),
    ]


def test_a_tags_file_of_another_length_is_an_error_naming_it(tmp_path):
    root = write_benchmark(tmp_path / "b", {"Shop": [("One.", ""), ("Two.", "")]})
    (root / "tags" / "Shop.txt").write_text("ltd2\n")
    with pytest.raises(BenchmarkError, match="Shop.txt: 1 lines of tags for 2 sentences"):
        read_benchmark(root)


def test_heldout_documents_are_never_training_documents(tmp_path):
    root = write_benchmark(tmp_path / "b", {"A": [("x.", "")], "B": [("y.", "")]}, heldout=["B"])
    assert [document.name for document in training_documents(root)] == ["A"]


def test_document_folds_are_deterministic_and_balanced(tmp_path):
    root = write_benchmark(tmp_path / "b", {name: [("x.", "")] for name in "EDCBA"})
    documents = read_benchmark(root)
    assert document_folds(documents, 2) == document_folds(list(reversed(documents)), 2)[::-1]
    assert sorted(document_folds(documents, 2)) == [0, 0, 0, 1, 1]


def test_metrics_follow_the_benchmark_definition():
    gold = [{"ltd"}, {"ltd", "ter"}, set(), {"ch"}]
    predicted = [{"ltd"}, {"ter"}, {"ltd"}, set()]
    evaluation = score(gold, predicted, ["ltd", "ter", "ch"])
    ltd = evaluation.categories["ltd"]
    assert (ltd.precision, ltd.recall, ltd.f1) == (0.5, 0.5, 0.5)
    assert evaluation.categories["ter"].f1 == 1.0
    assert evaluation.categories["ch"].f1 == 0.0
    assert evaluation.macro_f1 == pytest.approx((0.5 + 1.0 + 0.0) / 3)
    # pooled: tp = 2, fp = 1, fn = 2
    assert evaluation.micro_f1 == pytest.approx(2 * 2 / (2 * 2 + 1 + 2))


def tiny_benchmark(root):
    rows = lambda n: [  # noqa: E731 - a table of rows reads best inline
        (f"We may terminate your account at any time, customer {n}.", "ter2"),
        (f"These terms are governed by the laws of France, customer {n}.", "law1"),
        (f"We are not liable for any loss of data, customer {n}.", "ltd3"),
        (f"Our shop sells shoes and hats, customer {n}.", ""),
        (f"Thank you for reading, customer {n}.", ""),
    ]
    return write_benchmark(root, {f"Doc{n}": rows(n) for n in range(4)})


def test_scoring_the_training_documents_cross_validates_by_document(tmp_path):
    root = tiny_benchmark(tmp_path / "bench")
    evaluation = evaluate_unfair_tos(
        root, folds=2, model_dir=tmp_path / "model", unfair_tos=root, annotations=None
    )
    assert "cross-validation" in evaluation.method
    assert evaluation.documents == 4 and evaluation.sentences == 20
    assert evaluation.categories["law"].f1 == 1.0  # its rule decides
    result = evaluation.as_json()
    assert result["folds"] == 2
    assert set(result) >= {"a", "ch", "cr", "j", "law", "ltd", "ter", "use", "macro_f1", "micro_f1"}


def test_eval_command_prints_json_or_a_table(tmp_path, monkeypatch):
    root = tiny_benchmark(tmp_path / "bench")
    monkeypatch.setattr("termwatch.analysis.training.DEFAULT_UNFAIR_TOS", root)
    monkeypatch.setattr("termwatch.analysis.training.DEFAULT_ANNOTATIONS", tmp_path / "none")
    import termwatch.analysis.evaluation as evaluation_module

    defaults = evaluation_module.evaluate_unfair_tos.__kwdefaults__
    monkeypatch.setitem(defaults, "unfair_tos", root)
    monkeypatch.setitem(defaults, "annotations", None)
    runner = CliRunner()
    model = str(tmp_path / "model")
    arguments = ["eval", "unfair-tos", str(root), "--folds", "2", "--model", model]
    result = runner.invoke(cli, [*arguments, "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert 0.0 <= figures["macro_f1"] <= 1.0 and "cross-validation" in figures["method"]
    table = runner.invoke(cli, arguments)
    assert "macro-F1" in table.stdout and "law" in table.stdout


def test_eval_command_reports_a_missing_folder_in_one_line(tmp_path):
    result = CliRunner().invoke(cli, ["eval", "unfair-tos", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert "no sentences/*.txt files" in result.stderr
