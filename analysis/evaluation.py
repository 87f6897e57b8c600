"""Score the clause classifier honestly: per category precision, recall and F1, macro and micro.

The metrics are those of the UNFAIR-ToS README: a sentence has a category when it carries
that category's tag at any level; per category precision, recall and F1 over sentences;
macro-F1 is their mean; micro-F1 pools the true and false positives and negatives of all
categories (sentences without any label add no hit).

A figure measured on sentences the model learned from says nothing about new terms. So when
the documents to score overlap the model's training documents (as the default benchmark
folder does), :func:`evaluate_unfair_tos` cross-validates by document instead: the folder's
documents are split into K folds, and each fold is scored by a model built without any of
that fold's documents: its weights, and its decisions (threshold, rules or either), which it
tunes on inner folds of its own training documents rather than reading them from
``analysis/decisions.json`` (tuned on all of them). Its word vectors come from the corpus of
AI-assistant terms, which holds no benchmark document. Only the rules, which are code, were
written reading all the training documents. The result says which it did.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from termwatch.analysis import training
from termwatch.analysis.taxonomy import CODES, UNFAIR_TOS_CODES
from termwatch.analysis.unfair_tos import (
    BenchmarkDocument,
    document_folds,
    read_benchmark,
    training_documents,
)

# A document whose sentences are at least this much in the training data counts as seen.
OVERLAP = 0.5
# Inner folds on which each fold model tunes its decisions: two, not the three of
# `termwatch train --tune`, because each fold costs a training and there are already K of them.
FOLD_MODEL_INNER_FOLDS = 2


@dataclass(frozen=True)
class CategoryScore:
    precision: float
    recall: float
    f1: float
    support: int  # sentences that have the category
    predicted: int  # sentences the system gave the category


@dataclass
class Evaluation:
    categories: dict[str, CategoryScore]
    macro_f1: float
    micro_f1: float
    sentences: int
    documents: int
    method: str = ""
    extra: dict[str, object] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        result: dict[str, object] = {
            code: {
                "precision": round(score.precision, 4),
                "recall": round(score.recall, 4),
                "f1": round(score.f1, 4),
                "support": score.support,
            }
            for code, score in self.categories.items()
        }
        result.update(
            macro_f1=round(self.macro_f1, 4),
            micro_f1=round(self.micro_f1, 4),
            method=self.method,
            documents=self.documents,
            sentences=self.sentences,
            **self.extra,
        )
        return result

    def table(self) -> str:
        """A spaCy-style table: one row per category, then macro and micro F1."""
        lines = [f"{'':<24}{'P':>8}{'R':>8}{'F':>8}{'N':>7}"]
        for code, score in self.categories.items():
            lines.append(
                f"{code:<24}{score.precision * 100:>8.2f}{score.recall * 100:>8.2f}"
                f"{score.f1 * 100:>8.2f}{score.support:>7}"
            )
        lines.append(f"{'macro-F1':<24}{'':>16}{self.macro_f1 * 100:>8.2f}")
        lines.append(f"{'micro-F1':<24}{'':>16}{self.micro_f1 * 100:>8.2f}")
        return "\n".join(lines)


def score(
    gold: Sequence[frozenset[str] | set[str]],
    predicted: Sequence[frozenset[str] | set[str]],
    categories: Sequence[str] = UNFAIR_TOS_CODES,
) -> Evaluation:
    """Precision, recall and F1 per category, macro- and micro-F1, over parallel label sets."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold label sets but {len(predicted)} predictions")
    per_category = {}
    pooled = [0, 0, 0]  # true positives, false positives, false negatives
    for code in categories:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if code in g and code in p)
        fp = sum(1 for g, p in zip(gold, predicted, strict=True) if code not in g and code in p)
        fn = sum(1 for g, p in zip(gold, predicted, strict=True) if code in g and code not in p)
        pooled = [pooled[0] + tp, pooled[1] + fp, pooled[2] + fn]
        per_category[code] = CategoryScore(
            precision=_ratio(tp, tp + fp),
            recall=_ratio(tp, tp + fn),
            f1=_ratio(2 * tp, 2 * tp + fp + fn),
            support=tp + fn,
            predicted=tp + fp,
        )
    tp, fp, fn = pooled
    return Evaluation(
        categories=per_category,
        macro_f1=sum(s.f1 for s in per_category.values()) / max(len(per_category), 1),
        micro_f1=_ratio(2 * tp, 2 * tp + fp + fn),
        sentences=len(gold),
        documents=0,
    )


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0


# --- UNFAIR-ToS --------------------------------------------------------------------------------


def evaluate_unfair_tos(
    directory: Path,
    *,
    folds: int = 5,
    model_dir: Path = training.DEFAULT_MODEL_DIR,
    unfair_tos: Path = training.DEFAULT_UNFAIR_TOS,
    annotations: Path | None = training.DEFAULT_ANNOTATIONS,
    progress: Callable[[str], None] | None = None,
) -> Evaluation:
    """Score the pipeline on a folder in the benchmark's format, honestly (see the module)."""
    documents = read_benchmark(Path(directory))
    seen = training_documents(unfair_tos) if Path(unfair_tos).is_dir() else []
    gold = [sentence.labels for document in documents for sentence in document.sentences]
    if not any(_overlaps(document, seen) for document in documents):
        from termwatch.analysis.pipeline import classify, load_pipeline

        nlp = load_pipeline(model_dir)
        texts = [sentence.text for document in documents for sentence in document.sentences]
        predicted = [set(decided) for decided in classify(nlp, texts)]
        method = "trained model, scored on documents it was not trained on"
        evaluation = score(gold, predicted)
    else:
        predicted = cross_validated_predictions(
            documents,
            folds,
            seen=seen,
            annotations=annotations,
            cache_dir=Path(model_dir) / "cross-validation",
            progress=progress,
        )
        method = (
            f"{folds}-fold cross-validation by document: the folder overlaps the training "
            "documents, so each fold was scored by a model (thresholds included) built "
            "without that fold's documents"
        )
        evaluation = score(gold, predicted)
        evaluation.extra["folds"] = folds
    evaluation.documents = len(documents)
    evaluation.method = method
    return evaluation


def _overlaps(document: BenchmarkDocument, seen: Sequence[BenchmarkDocument]) -> bool:
    texts = {sentence.text for sentence in document.sentences}
    if not texts:
        return False
    return any(
        len(texts & {sentence.text for sentence in other.sentences}) >= OVERLAP * len(texts)
        for other in seen
    )


def cross_validated_predictions(
    documents: Sequence[BenchmarkDocument],
    folds: int,
    *,
    seen: Sequence[BenchmarkDocument] = (),
    annotations: Path | None = training.DEFAULT_ANNOTATIONS,
    cache_dir: Path = training.DEFAULT_MODEL_DIR / "cross-validation",
    progress: Callable[[str], None] | None = None,
) -> list[set[str]]:
    """Per sentence of ``documents`` (in order), the categories predicted by a model built on
    the other folds: the benchmark documents of ``seen`` minus that fold's documents (and
    anything overlapping them), plus our annotations' train split.

    Each fold model decides as tuned on inner folds of its own training documents: nothing
    it was scored with was chosen looking at the fold."""
    import spacy

    from termwatch.analysis.pipeline import classify

    assignment = document_folds(list(documents), folds)
    extra = training.load_examples(None, annotations) if _has_annotations(annotations) else []
    # Learned from the corpus of AI-assistant terms only: no benchmark sentence is in them.
    word_vectors = training.configured_vectors()
    pool = list(seen) or list(documents)
    predictions: dict[int, list[set[str]]] = {}
    for fold in range(folds):
        held = [doc for doc, value in zip(documents, assignment, strict=True) if value == fold]
        kept = [other for other in pool if not any(_overlaps(other, [doc]) for doc in held)]
        if progress:
            progress(f"fold {fold + 1}/{folds}: training on {len(kept)} documents")
        examples = training.benchmark_examples(kept) + extra
        pipeline_dir = training.build_model(
            examples,
            cache_dir / f"fold-{fold}",
            inner_folds=FOLD_MODEL_INNER_FOLDS,
            vectors=word_vectors,
        )
        nlp = spacy.load(pipeline_dir)
        for index, document in enumerate(documents):
            if assignment[index] == fold:
                texts = [sentence.text for sentence in document.sentences]
                predictions[index] = [set(labels) for labels in classify(nlp, texts)]
    return [labels for index in range(len(documents)) for labels in predictions[index]]


def _has_annotations(directory: Path | None) -> bool:
    return directory is not None and any(Path(directory).glob("*.jsonl"))


# --- our annotations ---------------------------------------------------------------------------


def evaluate_annotations(
    directory: Path = training.DEFAULT_ANNOTATIONS,
    *,
    model_dir: Path = training.DEFAULT_MODEL_DIR,
    corpus: Path | None = None,
) -> Evaluation:
    """Score the pipeline on the held-out (``test``) split of our annotations, 16 categories.

    The split is by document, fixed in the data, and the model trains on ``train`` only."""
    from termwatch.analysis.annotations import load_annotations
    from termwatch.analysis.pipeline import classify, load_pipeline

    test = [record for record in load_annotations(directory, corpus) if record.split == "test"]
    nlp = load_pipeline(model_dir)
    predicted = [set(decided) for decided in classify(nlp, [record.text for record in test])]
    evaluation = score([set(record.labels) for record in test], predicted, CODES)
    evaluation.documents = len({record.document for record in test})
    evaluation.method = "held-out test split of data/annotations (documents never trained on)"
    return evaluation
