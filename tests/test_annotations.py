"""The annotations of the AI-assistant terms: how the loader resolves them, and what they hold.

The first tests run the loader on a tiny corpus written in tmp_path; the last ones check the
real ``data/annotations/`` against ``../shared/corpus`` (skipped when the corpus is absent).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from termwatch.analysis.annotations import (
    DEFAULT_DIRECTORY,
    AnnotationError,
    default_corpus,
    load_annotations,
    span_sha1,
)
from termwatch.analysis.taxonomy import CODES

TERMS = (
    "# Terms\n\n"
    "We do not use your code to train our models. "
    "The Service is provided as is.\n"
    "These Terms are governed by the laws of the State of California.\n"
)
FILE = "acme/terms-of-service/2025-01-01T00-00-00Z.md"


@pytest.fixture
def corpus(tmp_path) -> Path:
    root = tmp_path / "corpus"
    (root / FILE).parent.mkdir(parents=True)
    (root / FILE).write_text(TERMS, encoding="utf-8")
    return root


def record(sentence: str, labels: list[str], /, split: str = "train", **changes) -> dict:
    start = TERMS.index(sentence)
    end = start + len(sentence)
    fields = {"file": FILE, "start": start, "end": end, "labels": labels, "split": split}
    return {**fields, "sha1": span_sha1(sentence), **changes}


@pytest.fixture
def write_annotations(tmp_path):
    def write(*records: dict, name: str = "acme.jsonl") -> Path:
        directory = tmp_path / "annotations"
        directory.mkdir(exist_ok=True)
        lines = [json.dumps(item) for item in records]
        (directory / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        return directory

    return write


def test_records_resolve_to_the_text_of_the_corpus(corpus, write_annotations):
    directory = write_annotations(
        record("We do not use your code to train our models.", ["training"]),
        record("The Service is provided as is.", ["warranty"], split="test"),
        record("# Terms", []),
    )

    training, warranty, negative = load_annotations(directory, corpus)

    assert training.text == "We do not use your code to train our models."
    assert training.labels == ("training",)
    assert (warranty.text, warranty.split) == ("The Service is provided as is.", "test")
    assert negative.labels == ()
    assert training.service == "acme"
    assert training.document == "acme/terms-of-service"


def test_a_span_that_no_longer_matches_its_sha1_names_the_file_and_line(corpus, write_annotations):
    sentence = "The Service is provided as is."
    directory = write_annotations(
        record(sentence, ["warranty"]),
        record(sentence, ["warranty"], sha1=span_sha1("The Service is provided as it is.")),
    )

    with pytest.raises(AnnotationError, match=r"acme\.jsonl:2: .*does not match sha1"):
        load_annotations(directory, corpus)


def test_an_unknown_label_is_an_error(corpus, write_annotations):
    directory = write_annotations(record("The Service is provided as is.", ["as_is"]))

    with pytest.raises(AnnotationError, match=r"acme\.jsonl:1: unknown label\(s\) as_is"):
        load_annotations(directory, corpus)


def test_a_missing_corpus_file_is_an_error(corpus, write_annotations):
    other = "acme/terms-of-service/2026-01-01T00-00-00Z.md"
    directory = write_annotations(record("The Service is provided as is.", [], file=other))

    with pytest.raises(AnnotationError, match=rf"acme\.jsonl:1: {other} is not in the corpus"):
        load_annotations(directory, corpus)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"split": "dev"}, "split 'dev' is not one of"),
        ({"start": 10, "end": 5}, "0 <= start < end"),
        ({"end": 10_000}, "runs past the end"),
        ({"labels": "ltd"}, "labels must be a list"),
    ],
)
def test_malformed_records_are_errors(corpus, write_annotations, changes, message):
    directory = write_annotations(record("The Service is provided as is.", [], **changes))

    with pytest.raises(AnnotationError, match=message):
        load_annotations(directory, corpus)


def test_a_span_labelled_twice_is_an_error(corpus, write_annotations):
    sentence = "The Service is provided as is."
    directory = write_annotations(record(sentence, ["warranty"]), record(sentence, ["ltd"]))

    with pytest.raises(AnnotationError, match=r"acme\.jsonl:2: same span as .*acme\.jsonl:1"):
        load_annotations(directory, corpus)


def test_the_corpus_defaults_to_the_environment_override(tmp_path, monkeypatch):
    monkeypatch.setenv("TERMWATCH_CORPUS", str(tmp_path))
    assert default_corpus() == tmp_path

    monkeypatch.delenv("TERMWATCH_CORPUS")
    assert default_corpus().parts[-2:] == ("shared", "corpus")


# --- the real annotations -------------------------------------------------------------------

needs_corpus = pytest.mark.skipif(
    not default_corpus().is_dir(),
    reason=f"the shared corpus is not at {default_corpus()} (set TERMWATCH_CORPUS)",
)


@pytest.fixture(scope="module")
def annotations():
    return load_annotations(DEFAULT_DIRECTORY)


@needs_corpus
def test_the_annotations_are_many_and_come_from_many_services(annotations):
    assert len(annotations) >= 2000
    assert len({annotation.service for annotation in annotations}) >= 30


@needs_corpus
def test_every_category_has_positives_in_train_and_in_test(annotations):
    for split in ("train", "test"):
        counts = Counter(
            label
            for annotation in annotations
            if annotation.split == split
            for label in annotation.labels
        )
        missing = [code for code in CODES if counts[code] == 0]
        assert not missing, f"no {split} positive for {missing}"


@needs_corpus
def test_the_split_holds_out_whole_vendors(annotations):
    """A vendor's documents are near-copies of one another (two trackers, consumer and
    commercial terms, ``github`` and ``github-copilot``), so a vendor is never on both sides of
    the split: the test figures are measured on wording the model never saw. The test vendors
    stay the same (xAI, Zed, DeepSeek) so that the figure stays comparable across rounds, hence
    its share falls as the train side grows."""
    splits_of = {}
    for annotation in annotations:
        vendor = annotation.service.split("-")[0]
        splits_of.setdefault(vendor, set()).add(annotation.split)
    assert all(len(splits) == 1 for splits in splits_of.values()), splits_of
    test_share = sum(annotation.split == "test" for annotation in annotations) / len(annotations)
    assert 0.10 <= test_share <= 0.30


@needs_corpus
def test_the_annotations_include_negatives(annotations):
    negatives = sum(not annotation.labels for annotation in annotations)
    assert negatives >= len(annotations) // 4
