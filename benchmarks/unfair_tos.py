"""Cross-validated figures on UNFAIR-ToS: termwatch's pipeline beside TF-IDF + linear SVMs.

All systems are scored on the same document folds of the benchmark's 40 training documents
(the held-out documents are never read). termwatch's fold models are built by the same code as
`termwatch eval unfair-tos` and cached under data/model/cross-validation, so a second run is quick.

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--benchmark", type=Path, default=training.DEFAULT_UNFAIR_TOS)
    arguments = parser.parse_args()
    documents = training_documents(arguments.benchmark)
    gold = [s.labels for d in documents for s in d.sentences]
    ours = score(
        gold,
        cross_validated_predictions(
            documents,
            arguments.folds,
            cache_dir=training.DEFAULT_MODEL_DIR / "cross-validation",
            progress=lambda message: print(message, file=sys.stderr),
        ),
    )
    systems = [
        ("termwatch", ours),
        ("TF-IDF + SVM", score(gold, svm_predictions(documents, arguments.folds))),
        ("balanced SVM", score(gold, svm_predictions(documents, arguments.folds, "balanced"))),
    ]
    print(
        f"UNFAIR-ToS, {len(documents)} training documents, {len(gold)} sentences, "
        f"{arguments.folds}-fold cross-validation by document (same folds for all)\n"
    )
    print(f"{'':<10}" + "".join(f"{name + ' P/R/F1':>26}" for name, _ in systems))
    for code in UNFAIR_TOS_CODES:
        print(
            f"{code:<10}"
            + "".join(
                f"{s.categories[code].precision:>10.2f}{s.categories[code].recall:>8.2f}"
                f"{s.categories[code].f1:>8.2f}"
                for _, s in systems
            )
        )
    for name, value in (("macro-F1", "macro_f1"), ("micro-F1", "micro_f1")):
        print(f"{name:<10}" + "".join(f"{getattr(s, value):>26.3f}" for _, s in systems))


if __name__ == "__main__":
    main()
