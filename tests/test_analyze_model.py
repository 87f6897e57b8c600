"""`analyze` end to end with the real spaCy pipeline (rules + trained textcat).

The model is built by the same code as ``termwatch train`` (``analysis.training``), on a
few invented documents and for a few epochs, so that it takes seconds: what is pinned is
that analysis drives the real pipeline (labels from rules and from the model, facts read
from them), not the model's accuracy, which ``termwatch eval`` measures.
"""

from __future__ import annotations

import json

import pytest

from termwatch.analysis import training
from termwatch.analysis.analyze import analyze, load_classifier, pending_versions
from termwatch.importer import import_archive

FAST = {"training.max_epochs": 4}
LIABILITY = "Our total liability to you shall not exceed {amount}."
TRAINING = "We may use your prompts to train our models."
NEGATIVES = ["Our office is open on weekdays.", "You can contact us by email."]


def invented_examples() -> list[training.TrainingExample]:
    """Six documents, each with a liability cap, a training clause and two negatives."""
    examples = []
    for number in range(6):
        document = f"invented-{number}"
        sentences = [
            (LIABILITY.format(amount=f"${(number + 1) * 100}"), "ltd"),
            (TRAINING.replace("prompts", ["prompts", "code", "inputs"][number % 3]), "training"),
            *((text, None) for text in NEGATIVES),
        ]
        for text, code in sentences:
            cats = {category: float(category == code) for category in ("ltd", "training")}
            examples.append(training.TrainingExample(f"{text} ({number})", cats, document))
    return examples


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("model")
    training.build_model(invented_examples(), directory, inner_folds=2, overrides=FAST)
    return directory


TERMS = """# Terms of Service

## 1. Your Content

We may use your prompts to train our models. Our office is open on weekdays.

## 2. Liability

Our total liability to you shall not exceed $100.

## 3. Disputes

These Terms are governed by the laws of the State of Oregon.
"""


def test_analyze_with_the_trained_pipeline(db, make_archive, model_dir):
    root = make_archive({"example/terms-of-service": {"2024-01-01T00-00-00Z.md": TERMS}})
    import_archive(db, root)
    classifier = load_classifier(model_dir)

    summary = analyze(db, classifier=classifier)
    assert summary.versions == 1
    assert summary.model_version == classifier.model_version
    sources = {
        row["category"]: row["source"]
        for row in db["labels"].rows_where(
            "sentence_hash in (select hash from sentences where text like ?)", ["%liability%"]
        )
    }
    assert sources.get("ltd") in ("model", "rule")
    # Each label says how sure it is, for the site ("likely" / "certain") and the fact readers.
    confidences = {row["confidence"] for row in db["labels"].rows}
    assert confidences and confidences <= {"certain", "likely"}
    facts = {
        row["name"]: json.loads(row["value"])
        for row in db["facts"].rows_where("version_id = (select max(id) from versions)")
    }
    assert facts["liability_cap_kind"] == "fixed"
    assert facts["liability_cap_amounts"] == ["$100"]
    assert facts["trains_on_user_content"] == "yes"
    assert facts["governing_law"] == "State of Oregon"

    # Idempotent: nothing left, nothing classified.
    assert pending_versions(db) == []
    assert analyze(db, classifier=classifier).versions == 0
