"""Word vectors learned from unlabelled terms (analysis.vectors), and the layer that reads them."""

from __future__ import annotations

import numpy
import pytest
import spacy

from termwatch.analysis.components import sentence_vectors
from termwatch.analysis.vectors import build_vectors, corpus_lines

LINES = [
    "Any dispute will be resolved by binding arbitration before a single arbitrator.",
    "These terms are governed by the laws of the State of California.",
    "We may suspend or terminate your account at any time for any reason.",
    "You retain ownership of the code you write and of the output you receive.",
]


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory):
    """Two documents of two versions each, repeating their lines (as versions do)."""
    root = tmp_path_factory.mktemp("corpus")
    for service, lines in (("alpha", LINES[:2]), ("beta", LINES[2:])):
        for stamp in ("2024-01-01T00-00-00Z", "2025-01-01T00-00-00Z"):
            path = root / service / "terms-of-service" / f"{stamp}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("# Terms\n\n" + "\n\n".join(lines * 20) + "\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def vectors_dir(small_corpus, tmp_path_factory):
    return build_vectors(small_corpus, tmp_path_factory.mktemp("cache"))


def test_the_text_is_each_distinct_line_once_without_headings(small_corpus):
    assert corpus_lines(small_corpus) == sorted(LINES)


def test_vectors_are_floret_vectors_spacy_loads(vectors_dir):
    nlp = spacy.load(vectors_dir)
    assert nlp.vocab.vectors.mode == "floret"
    # floret builds a vector from character n-grams, even for a word it never saw
    assert numpy.abs(nlp.vocab.get_vector("arbitrators")).sum() > 0


def test_vectors_are_built_once_for_the_same_text(small_corpus, vectors_dir):
    stamp = (vectors_dir / "vocab").stat().st_mtime_ns
    assert build_vectors(small_corpus, vectors_dir.parent) == vectors_dir
    assert (vectors_dir / "vocab").stat().st_mtime_ns == stamp


def test_no_corpus_means_no_vectors(tmp_path):
    assert build_vectors(tmp_path / "absent", tmp_path / "cache") is None


def sentence_features(nlp, texts):
    layer = sentence_vectors()
    docs = [nlp.make_doc(text) for text in texts]
    layer.initialize(X=docs)
    return layer.predict(docs)


def test_the_model_reads_mean_and_maximum_of_the_word_vectors(vectors_dir):
    nlp = spacy.load(vectors_dir)
    features = sentence_features(nlp, [LINES[0], LINES[2], ""])
    assert features.shape == (3, 2 * nlp.vocab.vectors.shape[1])
    half = features.shape[1] // 2
    assert numpy.linalg.norm(features[0, :half]) == pytest.approx(1.0, abs=1e-4)
    assert not numpy.allclose(features[0], features[1])
    assert not features[2].any()  # an empty sentence has no words


def test_without_vectors_the_layer_gives_nothing_to_learn_from():
    features = sentence_features(spacy.blank("en"), [LINES[0]])
    assert features.shape == (1, 1) and not features.any()


def test_no_heldout_benchmark_document_is_in_the_text_the_vectors_learn_from():
    """The corpus is of AI-assistant terms; the benchmark's held-out documents are consumer
    terms of other services. Checked by name: no corpus service is one of them."""
    from termwatch.analysis import paths
    from termwatch.analysis.unfair_tos import HELDOUT_LIST

    if not paths.corpus().is_dir():
        pytest.skip("no corpus here")
    heldout = {
        line.strip().rsplit(".", 1)[0].lower()
        for line in (paths.UNFAIR_TOS / HELDOUT_LIST).read_text().splitlines()
        if line.strip()
    }
    services = {folder.name.lower() for folder in paths.corpus().iterdir() if folder.is_dir()}
    assert heldout and services
    assert not {
        service for service in services for name in heldout if name in service or service in name
    }
