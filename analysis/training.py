"""Build termwatch's clause classifier with spaCy's own training, reproducibly.

The training data are two sources of labelled sentences:

* the UNFAIR-ToS benchmark's training documents (never its held-out ones), which label the
  eight benchmark categories and say nothing of the other eight: those are left *missing*
  for spaCy, not negative;
* our annotations of the AI-assistant corpus (``data/annotations``, ``train`` split only),
  which label all sixteen categories.

:func:`build_model` writes them as ``.spacy`` DocBins, runs ``spacy train`` with
``analysis/config.cfg`` (fixed seed, fixed number of epochs), and decides each category as
tuned on *inner* cross-validation by document: models trained on part of the training
documents score the others, and each category gets the decision that maximises its F1 on
those unseen documents: the classifier's score above a threshold, its rules alone, or
either. Tuning trains a model per inner fold, several times the cost of the model itself,
so it is done once, by ``termwatch train --tune``, and its outcome kept as data in
``analysis/decisions.json`` (reviewed and versioned like code); ``termwatch train`` reads it.
A model built to be *scored* on documents it has not seen (the cross-validation of
:mod:`analysis.evaluation`) tunes its own decisions on its own training documents instead,
so that no decision was taken looking at the documents it is scored on.

The decisions are stored in the pipeline's ``meta.json``. A model directory remembers the
hash of everything it was built from, so building again with the same inputs is a no-op.
"""

from __future__ import annotations

# spaCy is imported inside the functions that train: the CLI imports this module's error
# class, and `termwatch --help` must not wait for spaCy.
import contextlib
import hashlib
import io
import json
import logging
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NamedTuple

import numpy

from termwatch.analysis import paths
from termwatch.analysis.segment import plain_text
from termwatch.analysis.taxonomy import CODES
from termwatch.analysis.unfair_tos import BenchmarkDocument, training_documents

CONFIG_PATH = Path(__file__).with_name("config.cfg")
DECISIONS_PATH = Path(__file__).with_name("decisions.json")
DEFAULT_UNFAIR_TOS = paths.UNFAIR_TOS
DEFAULT_ANNOTATIONS = paths.ANNOTATIONS
DEFAULT_MODEL_DIR = paths.MODEL_DIR
PIPELINE_DIR = "pipeline"
SEED = 0
INNER_FOLDS = 3
# Below this many positive examples in the inner folds, a tuned threshold is noise.
MIN_POSITIVES_TO_TUNE = 5
DEFAULT_THRESHOLD = 0.5
# A label is "certain" where labels as strong were right this often on unseen documents.
CERTAIN_PRECISION = 0.9
# Source files whose change changes the scores (the rules are features of the classifier),
# and those that change the model: the same, its training code and its stored decisions.
SCORING_SOURCES = ("components.py", "config.cfg")
MODEL_SOURCES = (*SCORING_SOURCES, "training.py", DECISIONS_PATH.name)

log = logging.getLogger(__name__)


class TrainingError(Exception):
    """The classifier cannot be built: the message says which input is wrong."""


@dataclass(frozen=True)
class TrainingExample:
    text: str
    cats: dict[str, float]  # only the categories its source labels; the others are missing
    group: str  # the document it comes from: folds never split a document


def benchmark_examples(documents: Sequence[BenchmarkDocument]) -> list[TrainingExample]:
    """UNFAIR-ToS sentences, labelled for the eight benchmark categories only."""
    from termwatch.analysis.taxonomy import UNFAIR_TOS_CODES

    return [
        TrainingExample(
            sentence.text,
            {code: float(code in sentence.labels) for code in UNFAIR_TOS_CODES},
            f"unfair-tos/{document.name}",
        )
        for document in documents
        for sentence in document.sentences
    ]


def annotation_examples(directory: Path, corpus: Path | None = None) -> list[TrainingExample]:
    """The ``train`` split of our annotations, labelled for all sixteen categories."""
    from termwatch.analysis.annotations import load_annotations

    return [
        TrainingExample(
            plain_text(annotation.text),
            {code: float(code in annotation.labels) for code in CODES},
            annotation.document,
        )
        for annotation in load_annotations(directory, corpus)
        if annotation.split == "train"
    ]


def load_examples(
    unfair_tos: Path | None = DEFAULT_UNFAIR_TOS, annotations: Path | None = DEFAULT_ANNOTATIONS
) -> list[TrainingExample]:
    """All training examples; a source given as None, or absent annotations, is skipped."""
    examples: list[TrainingExample] = []
    if unfair_tos is not None:
        if not Path(unfair_tos).is_dir():
            raise TrainingError(
                f"{unfair_tos}: no such folder (the UNFAIR-ToS benchmark, carried in "
                f"{paths.UNFAIR_TOS}; pass --unfair-tos)"
            )
        examples += benchmark_examples(training_documents(Path(unfair_tos)))
    if annotations is not None and any(Path(annotations).glob("*.jsonl")):
        if annotations_resolvable():
            examples += annotation_examples(Path(annotations))
        else:
            log.warning(
                "No corpus at %s: the annotations point into it, so training on UNFAIR-ToS "
                "alone (set %s to a copy of the corpus to use them)",
                paths.corpus(),
                paths.CORPUS_ENV,
            )
    if not examples:
        raise TrainingError("no training examples: give a benchmark folder or annotations")
    return examples


def annotations_resolvable() -> bool:
    """Whether the corpus the annotations point into is here (a fresh clone has none)."""
    return paths.corpus().is_dir()


def inputs_hash(
    examples: Sequence[TrainingExample], seed: int = SEED, sources: Sequence[str] = MODEL_SOURCES
) -> str:
    """What the model depends on: its code, its config, its data and its seed."""
    digest = hashlib.sha256(f"seed={seed}\n".encode())
    for name in sources:
        digest.update(Path(__file__).with_name(name).read_bytes())
    for example in examples:
        record = [example.text, sorted(example.cats.items()), example.group]
        digest.update(json.dumps(record, ensure_ascii=False).encode())
    return digest.hexdigest()


def build_model(
    examples: Sequence[TrainingExample],
    model_dir: Path = DEFAULT_MODEL_DIR,
    *,
    version: str | None = None,
    seed: int = SEED,
    inner_folds: int = INNER_FOLDS,
    overrides: dict[str, object] | None = None,
    decisions: dict[str, Decision] | None = None,
    vectors: Path | None = None,
    force: bool = False,
) -> Path:
    """Train the pipeline into ``model_dir/pipeline`` unless it was built from the same inputs.

    ``decisions`` say how each category is decided (as :func:`load_decisions` reads them);
    None tunes them on ``inner_folds`` folds of ``examples`` first, which is what a model
    scored on unseen documents must do. ``vectors`` is a folder of word vectors
    (:func:`analysis.vectors.build_vectors`; None for none). ``version`` names the inputs
    (default: :func:`inputs_hash` of the examples, seed, overrides, decisions and vectors,
    whose folder name is the hash of their text) and is stored in
    the pipeline's meta; a model of the same version is reused. ``overrides`` are spaCy
    config overrides (tests use them to train for fewer epochs). Returns the pipeline's path.
    """
    model_dir = Path(model_dir)
    overrides = dict(overrides or {})
    if version is None:
        given = {code: decision.as_json() for code, decision in (decisions or {}).items()}
        named = [overrides, given, Path(vectors).name if vectors else None]
        salted = inputs_hash(examples, seed) + json.dumps(named, sort_keys=True)
        version = hashlib.sha256(salted.encode()).hexdigest()[:16]
    pipeline_dir = model_dir / PIPELINE_DIR
    if not force and built_version(pipeline_dir) == version:
        log.info("Model in %s is up to date (version %s): not retraining", model_dir, version)
        return pipeline_dir
    if decisions is None:
        decisions = tune_decisions(
            examples, folds=inner_folds, seed=seed, overrides=overrides, vectors=vectors
        )
    log.info("Training the clause classifier on %d sentences into %s", len(examples), model_dir)
    import spacy

    model_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="termwatch-train-") as scratch:
        trained = train_pipeline(
            examples, Path(scratch), seed=seed, overrides=overrides, vectors=vectors
        )
        nlp = spacy.load(trained)
        nlp.meta["name"] = "termwatch_clauses"
        nlp.meta["termwatch"] = {
            "decisions": {code: decision.as_json() for code, decision in decisions.items()},
            "version": version,
            "seed": seed,
        }
        nlp.meta["sources"] = [
            {
                "name": "UNFAIR-ToS / CLAUDETTE (Lippi et al. 2019; Galassi et al. 2024)",
                "license": "CC BY 4.0",
            }
        ]
        # Written beside, then swapped in: a crash never leaves half a model in place.
        staging = model_dir / f".{PIPELINE_DIR}.new"
        if staging.exists():
            shutil.rmtree(staging)
        nlp.to_disk(staging)
        if pipeline_dir.exists():
            shutil.rmtree(pipeline_dir)
        staging.rename(pipeline_dir)
    return pipeline_dir


def load_decisions(
    examples: Sequence[TrainingExample] | None = None, path: Path = DECISIONS_PATH
) -> dict[str, Decision]:
    """The decisions stored by ``termwatch train --tune``; with ``examples``, a warning when
    they were tuned on other data or scoring code (they still serve: a retune is advised)."""
    try:
        stored = json.loads(Path(path).read_text(encoding="utf-8"))
        decisions = {code: Decision(**value) for code, value in stored["decisions"].items()}
    except FileNotFoundError:
        raise TrainingError(
            f"{path}: no stored decisions; run `termwatch train --tune` to derive them"
        ) from None
    except (ValueError, KeyError, TypeError) as error:
        raise TrainingError(
            f"{path}: not a decisions file ({error}); run `termwatch train --tune` to rewrite it"
        ) from None
    if examples is not None and stored.get("inputs") != tuning_inputs(examples):
        log.warning(
            "%s was tuned on other training data or scoring code: the model uses it as it is; "
            "`termwatch train --tune` re-derives it",
            path,
        )
    return decisions


def save_decisions(
    decisions: dict[str, Decision],
    examples: Sequence[TrainingExample],
    folds: int,
    path: Path = DECISIONS_PATH,
) -> None:
    """Write tuned decisions as reviewable data, with what they were tuned on."""
    record = {
        "about": (
            "How termwatch_textcat decides each category, tuned on inner cross-validation by "
            "document; written by `termwatch train --tune`, read by `termwatch train`."
        ),
        "folds": folds,
        "documents": len({example.group for example in examples}),
        "sentences": len(examples),
        "inputs": tuning_inputs(examples),
        "decisions": {code: decisions[code].as_json() for code in sorted(decisions)},
    }
    Path(path).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


def tuning_inputs(examples: Sequence[TrainingExample]) -> str:
    """What tuned decisions depend on: the data and the code that scores (not the decisions)."""
    return inputs_hash(examples, sources=SCORING_SOURCES)[:16]


def built_version(pipeline_dir: Path) -> str | None:
    meta = pipeline_dir / "meta.json"
    if not meta.exists():
        return None
    return json.loads(meta.read_text()).get("termwatch", {}).get("version")


def train_pipeline(
    examples: Sequence[TrainingExample],
    workdir: Path,
    *,
    seed: int = SEED,
    overrides: dict[str, object] | None = None,
    vectors: Path | None = None,
) -> Path:
    """Run ``spacy train`` on ``examples``; return the trained pipeline's path (model-last).

    The dev corpus is the first sentences of the training set: spaCy requires one, and with
    a fixed number of epochs it only reports, it selects nothing.
    """
    from spacy.cli.train import train

    from termwatch.analysis import components  # noqa: F401 - registers termwatch's spaCy factories

    workdir.mkdir(parents=True, exist_ok=True)
    train_path = workdir / "train.spacy"
    write_docbin(examples, train_path)
    settings = {
        "paths.train": str(train_path),
        "paths.dev": str(train_path),
        "corpora.dev.limit": 200,
        "system.seed": seed,
        "paths.vectors": str(vectors) if vectors else None,
        **(overrides or {}),
    }
    # spaCy's console logger prints a table per epoch: keep it in the debug log instead.
    output = io.StringIO()
    spacy_logger = logging.getLogger("spacy")
    level = spacy_logger.level
    spacy_logger.setLevel(logging.WARNING)
    try:
        with contextlib.redirect_stdout(output):
            train(CONFIG_PATH, workdir / "output", overrides=settings)
    finally:
        spacy_logger.setLevel(level)
    log.debug("%s", output.getvalue())
    return workdir / "output" / "model-last"


def configured(key: str) -> object:
    """A setting of ``analysis/config.cfg``, by its dotted name (``training.max_epochs``)."""
    from thinc.api import Config

    value: object = Config().from_disk(CONFIG_PATH, interpolate=False)
    for part in key.split("."):
        value = value[part]  # type: ignore[index]
    return value


def configured_vectors() -> Path | None:
    """The word vectors the configured model reads (:func:`analysis.vectors.build_vectors`,
    built when missing), or None when its ``static_vectors`` is off: the model then works from
    its n-grams and rule hits alone, which scored better on the honest protocol (README)."""
    if not configured("components.textcat_multilabel.model.static_vectors"):
        return None
    from termwatch.analysis.vectors import build_vectors

    return build_vectors()


def write_docbin(examples: Sequence[TrainingExample], path: Path) -> None:
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    docbin = DocBin(store_user_data=False)
    for example in examples:
        doc = nlp.make_doc(example.text)
        doc.cats = dict(example.cats)
        docbin.add(doc)
    docbin.to_disk(path)


def group_folds(examples: Sequence[TrainingExample], folds: int) -> list[int]:
    """A fold number per example, by document (sorted group names, round robin)."""
    groups = sorted({example.group for example in examples})
    fold_of = {group: index % folds for index, group in enumerate(groups)}
    return [fold_of[example.group] for example in examples]


def out_of_fold_scores(
    examples: Sequence[TrainingExample],
    folds: int,
    *,
    seed: int = SEED,
    overrides: dict[str, object] | None = None,
    vectors: Path | None = None,
) -> tuple[list[str], numpy.ndarray, numpy.ndarray]:
    """Each example scored by a model trained without its document's fold.

    Returns the category labels, a (examples x labels) array of model scores and a boolean
    array of the same shape saying where the category's rules matched.
    """
    import spacy

    from termwatch.analysis.components import rule_categories

    assignment = group_folds(examples, folds)
    labels = sorted({code for example in examples for code in example.cats})
    scores = numpy.zeros((len(examples), len(labels)), dtype="f")
    matched = numpy.zeros((len(examples), len(labels)), dtype=bool)
    epochs = int((overrides or {}).get("training.max_epochs", configured("training.max_epochs")))
    for fold in range(folds):
        held = [index for index, value in enumerate(assignment) if value == fold]
        kept = [examples[index] for index, value in enumerate(assignment) if value != fold]
        log.info("Tuning decisions: inner fold %d/%d (%d sentences)", fold + 1, folds, len(kept))
        # As many updates as the model trained on all the examples gets, not as many epochs:
        # a model trained on fewer sentences for as many epochs has smaller weights, so lower
        # scores, and thresholds tuned on them would be too low for the full model.
        same_updates = {"training.max_epochs": max(1, round(epochs * len(examples) / len(kept)))}
        with tempfile.TemporaryDirectory(prefix="termwatch-fold-") as scratch:
            trained = train_pipeline(
                kept,
                Path(scratch),
                seed=seed,
                overrides={**(overrides or {}), **same_updates},
                vectors=vectors,
            )
            nlp = spacy.load(trained)
        texts = [examples[index].text for index in held]
        for index, doc in zip(held, nlp.pipe(texts, batch_size=256), strict=True):
            scores[index] = [doc.cats.get(label, 0.0) for label in labels]
            matched[index] = [label in rule_categories(doc) for label in labels]
    return labels, scores, matched


@dataclass(frozen=True)
class Decision:
    """How a category is decided: by the classifier's score reaching ``threshold``
    (``"model"``), by a rule match alone (``"rules"``), or by either (``"rules_or_model"``);
    and from which strength (a rule's label counts 1.0, a model's its score) its labels were
    right at least nine times in ten on unseen documents: those are *certain*, the others
    *likely* (``certain`` None: none was)."""

    mode: str
    threshold: float
    certain: float | None = None

    def source(self, score: float | None, matched: bool) -> str | None:
        """What gives a sentence the category: ``"rule"``, ``"model"``, or None when neither
        does. A rule is named first where both do, because its span is evidence a reader can
        check; a category the classifier was not trained on (no score) is left to its rules."""
        if matched and (self.mode != "model" or score is None):
            return "rule"
        if self.mode != "rules" and score is not None and score >= self.threshold:
            return "model"
        return None

    def confidence(self, score: float | None, source: str) -> str:
        """``"certain"`` or ``"likely"``, for a label given by ``source`` with ``score``."""
        strength = 1.0 if source == "rule" else (score or 0.0)
        return "certain" if self.certain is not None and strength >= self.certain else "likely"

    def as_json(self) -> dict[str, object]:
        return {"mode": self.mode, "threshold": self.threshold, "certain": self.certain}


DEFAULT_DECISION = Decision("model", DEFAULT_THRESHOLD)


class Label(NamedTuple):
    """A category given to a sentence: its strength (a rule's 1.0, or the model's score),
    what gave it (``"rule"`` or ``"model"``), and ``"certain"`` or ``"likely"``."""

    score: float
    source: str
    confidence: str = "likely"


def tune_decisions(
    examples: Sequence[TrainingExample],
    folds: int = INNER_FOLDS,
    *,
    seed: int = SEED,
    overrides: dict[str, object] | None = None,
    vectors: Path | None = None,
) -> dict[str, Decision]:
    """Per category, the decision (mode and threshold) with the best F1 on inner
    cross-validation: where a formula is precise its rule may beat the classifier (choice of
    law), where the classifier has few examples the rule alone may be better (arbitration),
    and elsewhere the classifier wins; the data say which, category by category."""
    labels, scores, matched = out_of_fold_scores(
        examples, folds, seed=seed, overrides=overrides, vectors=vectors
    )
    decisions = {}
    for column, label in enumerate(labels):
        labelled = [index for index, example in enumerate(examples) if label in example.cats]
        gold = numpy.asarray([examples[index].cats[label] >= 0.5 for index in labelled])
        decisions[label] = best_decision(scores[labelled, column], matched[labelled, column], gold)
    return decisions


def best_decision(scores: numpy.ndarray, matched: numpy.ndarray, gold: numpy.ndarray) -> Decision:
    """The mode and threshold with the best F1 (the default when positives are few); a tie
    goes to the simpler decision: the model, then the rules, then either."""
    if gold.sum() < MIN_POSITIVES_TO_TUNE:
        return DEFAULT_DECISION
    candidates = [
        Decision("model", best_threshold(scores, gold)),
        Decision("rules", DEFAULT_THRESHOLD),
        # A rule match counts as a top score, so one threshold search serves both modes.
        Decision("rules_or_model", best_threshold(numpy.where(matched, 1.0, scores), gold)),
    ]
    best = max(candidates, key=lambda decision: f1(decide(decision, scores, matched), gold))
    return replace(best, certain=certain_strength(best, scores, matched, gold))


def certain_strength(
    decision: Decision, scores: numpy.ndarray, matched: numpy.ndarray, gold: numpy.ndarray
) -> float | None:
    """The lowest strength from which ``decision``'s labels reach :data:`CERTAIN_PRECISION`
    (on at least :data:`MIN_POSITIVES_TO_TUNE` labels), or None."""
    strengths = numpy.full(len(scores), -1.0)
    for index, (score, match) in enumerate(zip(scores, matched, strict=True)):
        source = decision.source(float(score), bool(match))
        if source is not None:
            strengths[index] = 1.0 if source == "rule" else float(score)
    for cut in numpy.round(numpy.arange(decision.threshold, 1.0 + 1e-9, 0.025), 3):
        chosen = strengths >= cut
        right = float((chosen & gold).sum())
        if right >= MIN_POSITIVES_TO_TUNE and right >= CERTAIN_PRECISION * chosen.sum():
            return float(cut)
    return None


def decide(decision: Decision, scores: numpy.ndarray, matched: numpy.ndarray) -> numpy.ndarray:
    """Which sentences ``decision`` gives the category, from model scores and rule matches."""
    return numpy.asarray(
        [
            decision.source(float(score), bool(match)) is not None
            for score, match in zip(scores, matched, strict=True)
        ],
        dtype=bool,
    )


def f1(predicted: numpy.ndarray, gold: numpy.ndarray) -> float:
    true_positives = float((predicted & gold).sum())
    return 2 * true_positives / max(float(predicted.sum() + gold.sum()), 1.0)


def best_threshold(scores: numpy.ndarray, gold: numpy.ndarray) -> float:
    """The threshold in [0.05, 0.95] with the best F1 (the default when positives are few)."""
    if gold.sum() < MIN_POSITIVES_TO_TUNE:
        return DEFAULT_THRESHOLD
    best_f1, best = -1.0, DEFAULT_THRESHOLD
    for threshold in numpy.round(numpy.arange(0.05, 0.951, 0.025), 3):
        score = f1(scores >= threshold, gold)
        if score > best_f1:
            best_f1, best = score, float(threshold)
    return best
