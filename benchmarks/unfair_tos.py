"""Cross-validated figures on UNFAIR-ToS: termwatch's pipeline beside TF-IDF + linear SVMs.

The honest protocol, the headline figure: the benchmark's 40 training documents (the held-out
documents are never read) are split into folds by document, the same folds for every system.
Each fold B is scored once by a model that learned everything it can learn from the other
folds A alone: its weights, and how each category is decided (model threshold, rules, or
either), tuned on inner folds of A. The rules themselves are code, and were written reading
all 40 documents: that part of the figure is not out of sample (see the README).

Beside it, two baselines fitted on A, scored on B: TF-IDF word 1-2-grams with a linear SVM per
category, with balanced class weights (the baseline to beat) and with the defaults.

termwatch's fold models are built by the same code as `termwatch eval unfair-tos` and cached
under data/model/cross-validation, so a second run is quick.

    .venv/bin/python benchmarks/unfair_tos.py [--folds 5] [--benchmark DIR]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from termwatch.analysis import training  # noqa: E402
from termwatch.analysis.evaluation import cross_validated_predictions, score  # noqa: E402
from termwatch.analysis.taxonomy import UNFAIR_TOS_CODES  # noqa: E402
from termwatch.analysis.unfair_tos import document_folds, training_documents  # noqa: E402


def svm_predictions(documents, folds: int, class_weight: str | None = None) -> list[set[str]]:
    """The classic baseline: TF-IDF word uni+bigrams, one LinearSVC per category (defaults,
    or with ``class_weight="balanced"``, its strongest simple variant on these folds)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    assignment = document_folds(documents, folds)
    predictions: dict[int, list[set[str]]] = {}
    for fold in range(folds):
        train = [d for d, f in zip(documents, assignment, strict=True) if f != fold]
        texts = [s.text for d in train for s in d.sentences]
        vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2)
        features = vectorizer.fit_transform(texts)
        models = {
            code: LinearSVC(class_weight=class_weight).fit(
                features, [code in s.labels for d in train for s in d.sentences]
            )
            for code in UNFAIR_TOS_CODES
        }
        for index, document in enumerate(documents):
            if assignment[index] == fold:
                test = vectorizer.transform([s.text for s in document.sentences])
                decided = {code: model.predict(test) for code, model in models.items()}
                predictions[index] = [
                    {code for code in UNFAIR_TOS_CODES if decided[code][row]}
                    for row in range(len(document.sentences))
                ]
    return [labels for index in range(len(documents)) for labels in predictions[index]]


def folds_and_documents(description: str):
    """The options every benchmark on the honest protocol's folds takes (``--folds``,
    ``--benchmark``), the benchmark's training documents and their gold labels."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--benchmark", type=Path, default=training.DEFAULT_UNFAIR_TOS)
    arguments = parser.parse_args()
    documents = training_documents(arguments.benchmark)
    return arguments, documents, [s.labels for d in documents for s in d.sentences]


def main() -> None:
    arguments, documents, gold = folds_and_documents(__doc__.splitlines()[0])

    predicted = cross_validated_predictions(
        documents,
        arguments.folds,
        cache_dir=training.DEFAULT_MODEL_DIR / "cross-validation",
        progress=lambda message: print(message, file=sys.stderr),
    )
    systems = [
        ("termwatch honest", score(gold, predicted)),
        ("balanced SVM", score(gold, svm_predictions(documents, arguments.folds, "balanced"))),
        ("TF-IDF + SVM", score(gold, svm_predictions(documents, arguments.folds))),
    ]
    print(
        f"UNFAIR-ToS, {len(documents)} training documents, {len(gold)} sentences, "
        f"{arguments.folds}-fold cross-validation by document (same folds for all).\n"
        "termwatch honest: each fold scored by a model trained, and its decisions tuned on "
        "inner folds, without it.\n"
    )
    print(f"{'':<10}" + "".join(f"{name + ' P/R/F1':>28}" for name, _ in systems))
    for code in UNFAIR_TOS_CODES:
        print(
            f"{code:<10}"
            + "".join(
                f"{s.categories[code].precision:>12.2f}{s.categories[code].recall:>8.2f}"
                f"{s.categories[code].f1:>8.2f}"
                for _, s in systems
            )
        )
    for name, value in (("macro-F1", "macro_f1"), ("micro-F1", "micro_f1")):
        print(f"{name:<10}" + "".join(f"{getattr(s, value):>28.3f}" for _, s in systems))
    honest, balanced = systems[0][1].macro_f1, systems[1][1].macro_f1
    print(f"\nhonest macro-F1 - balanced SVM macro-F1 = {honest - balanced:+.3f}")


if __name__ == "__main__":
    main()
