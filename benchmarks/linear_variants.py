"""How far a linear model goes on UNFAIR-ToS with what termwatch holds besides the benchmark.

The honest protocol's folds (5 by document over the 40 training documents; the held-out ones
are never read), and its baseline, the balanced TF-IDF + linear SVM, given one at a time:

- our annotations of AI-assistant terms (their ``train`` split) as more training sentences;
- the corpus's word vectors (``analysis.vectors``): each sentence's mean and maximum, beside
  its n-grams;
- which of termwatch's rules matched the sentence (``analysis.components``).

Nothing is tuned on the scored fold: a fixed SVM (C = 1, balanced classes, decision at 0). It
says what these inputs are worth to a classifier that trains in seconds, next to the figure of
termwatch's own model in ``benchmarks/unfair_tos.py``. The rules were written reading the 40
documents, so the variants with them are not wholly out of sample (as for termwatch's model).

    .venv/bin/python benchmarks/linear_variants.py [--folds 5]
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from unfair_tos import folds_and_documents  # noqa: E402  (benchmarks/unfair_tos.py)

from termwatch.analysis import paths, training, vectors  # noqa: E402
from termwatch.analysis.evaluation import score  # noqa: E402
from termwatch.analysis.taxonomy import CODES, UNFAIR_TOS_CODES  # noqa: E402
from termwatch.analysis.unfair_tos import document_folds  # noqa: E402

VECTOR_WEIGHT = 0.5  # the dense features' scale beside TF-IDF rows of unit length
Featurizer = Callable[[Sequence[str]], numpy.ndarray]


def sentence_vectors(vectors_dir: Path) -> Featurizer:
    """Mean (unit length) and maximum of the sentence's lower-cased words' unit vectors."""
    import spacy

    nlp = spacy.load(vectors_dir)
    table, known = nlp.vocab.vectors, {}

    def featurize(texts: Sequence[str]) -> numpy.ndarray:
        width = table.shape[1]
        rows = numpy.zeros((len(texts), 2 * width), dtype="f")
        for row, doc in enumerate(nlp.tokenizer.pipe(texts, batch_size=512)):
            words = [token.lower_ for token in doc]
            missing = sorted(set(words) - known.keys())
            if missing:
                found = numpy.asarray(table.get_batch(missing))
                found /= numpy.linalg.norm(found, axis=1, keepdims=True) + 1e-8
                known.update(zip(missing, found, strict=True))
            if words:
                stacked = numpy.stack([known[word] for word in words])
                mean = stacked.mean(axis=0)
                rows[row, :width] = mean / (numpy.linalg.norm(mean) + 1e-8)
                rows[row, width:] = stacked.max(axis=0)
        return rows * VECTOR_WEIGHT

    return featurize


def rule_hits() -> Featurizer:
    """One column per category: whether its rules matched the sentence."""
    import spacy

    from termwatch.analysis.components import rule_categories

    nlp = spacy.blank("en")
    nlp.add_pipe("termwatch_rules")

    def featurize(texts: Sequence[str]) -> numpy.ndarray:
        rows = numpy.zeros((len(texts), len(CODES)), dtype="f")
        for row, doc in enumerate(nlp.pipe(texts, batch_size=256)):
            matched = rule_categories(doc)
            rows[row] = [code in matched for code in CODES]
        return rows

    return featurize


def predictions(
    documents,
    folds: int,
    extra_examples: Sequence[training.TrainingExample] = (),
    dense: Sequence[Featurizer] = (),
) -> list[set[str]]:
    """Each fold's sentences labelled by balanced SVMs fitted on the other folds (plus
    ``extra_examples``), over TF-IDF word 1-2-grams and the ``dense`` features."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    assignment = document_folds(documents, folds)
    by_document: dict[int, list[set[str]]] = {}
    for fold in range(folds):
        train = [d for d, f in zip(documents, assignment, strict=True) if f != fold]
        texts = [s.text for d in train for s in d.sentences] + [e.text for e in extra_examples]
        gold = {
            code: [code in s.labels for d in train for s in d.sentences]
            + [e.cats.get(code, 0.0) >= 0.5 for e in extra_examples]
            for code in UNFAIR_TOS_CODES
        }
        words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2).fit(texts)
        matrix = _features(words, dense, texts)
        models = {
            code: LinearSVC(class_weight="balanced").fit(matrix, gold[code])
            for code in UNFAIR_TOS_CODES
        }
        for index, document in enumerate(documents):
            if assignment[index] == fold:
                scored = _features(words, dense, [s.text for s in document.sentences])
                decided = {code: model.predict(scored) for code, model in models.items()}
                by_document[index] = [
                    {code for code in UNFAIR_TOS_CODES if decided[code][row]}
                    for row in range(len(document.sentences))
                ]
    return [labels for index in range(len(documents)) for labels in by_document[index]]


def _features(words, dense: Sequence[Featurizer], texts: Sequence[str]):
    from scipy.sparse import csr_matrix, hstack

    return hstack([words.transform(texts)] + [csr_matrix(f(texts)) for f in dense]).tocsr()


def main() -> None:
    arguments, documents, gold = folds_and_documents(__doc__.splitlines()[0])

    annotations = (
        training.annotation_examples(paths.ANNOTATIONS) if training.annotations_resolvable() else []
    )
    vectors_dir = vectors.build_vectors()
    word_vectors = [sentence_vectors(vectors_dir)] if vectors_dir else []
    rules = [rule_hits()]
    variants = [
        ("balanced SVM (the baseline)", [], []),
        ("+ our annotations", annotations, []),
        ("+ word vectors", [], word_vectors),
        ("+ rule hits", [], rules),
        ("+ annotations, vectors, rule hits", annotations, word_vectors + rules),
    ]
    if not annotations or not word_vectors:
        print("No corpus here: the variants with annotations or vectors lack them.\n")
    print(f"{'variant':<36}{'macro-F1':>9}" + "".join(f"{code:>6}" for code in UNFAIR_TOS_CODES))
    for name, extra, dense in variants:
        began = time.perf_counter()
        result = score(gold, predictions(documents, arguments.folds, extra, dense))
        print(
            f"{name:<36}{result.macro_f1:>9.3f}"
            + "".join(f"{result.categories[code].f1:>6.2f}" for code in UNFAIR_TOS_CODES)
            + f"   ({time.perf_counter() - began:.0f} s)",
            flush=True,
        )


if __name__ == "__main__":
    main()
