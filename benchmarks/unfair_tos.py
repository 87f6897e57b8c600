"""Cross-validated figures on UNFAIR-ToS: termwatch's pipeline beside a TF-IDF + linear SVM.

Both systems are scored on the same document folds of the benchmark's 40 training documents
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

from analysis import training  # noqa: E402
from analysis.evaluation import cross_validated_predictions, score  # noqa: E402
from analysis.taxonomy import UNFAIR_TOS_CODES  # noqa: E402
from analysis.unfair_tos import document_folds, training_documents  # noqa: E402


def svm_predictions(documents, folds: int) -> list[set[str]]:
    """The classic baseline: TF-IDF word uni+bigrams, one LinearSVC per category (defaults)."""
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
            code: LinearSVC().fit(features, [code in s.labels for d in train for s in d.sentences])
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
    svm = score(gold, svm_predictions(documents, arguments.folds))
    print(
        f"UNFAIR-ToS, {len(documents)} training documents, {len(gold)} sentences, "
        f"{arguments.folds}-fold cross-validation by document (same folds for both)\n"
    )
    print(f"{'':<10}{'termwatch P/R/F1':>24}{'TF-IDF + SVM P/R/F1':>26}")
    for code in UNFAIR_TOS_CODES:
        a, b = ours.categories[code], svm.categories[code]
        print(
            f"{code:<10}{a.precision:>8.2f}{a.recall:>8.2f}{a.f1:>8.2f}"
            f"{b.precision:>10.2f}{b.recall:>8.2f}{b.f1:>8.2f}"
        )
    print(f"{'macro-F1':<10}{ours.macro_f1:>24.3f}{svm.macro_f1:>26.3f}")
    print(f"{'micro-F1':<10}{ours.micro_f1:>24.3f}{svm.micro_f1:>26.3f}")


if __name__ == "__main__":
    main()
