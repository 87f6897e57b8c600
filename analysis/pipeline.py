"""The clause classifier as the rest of termwatch uses it: load it, classify sentences.

``load_pipeline()`` gives a spaCy pipeline that starts from ``spacy.blank("en")`` (nothing is
downloaded) with termwatch's registered components: ``termwatch_rules`` (formulas) and
``textcat_multilabel`` (trained by :mod:`analysis.training`). The trained model lives in
``data/model/`` (git-ignored); when it is missing or was built from other inputs, it is
built first, with a message on stderr.

``classify()`` turns the pipeline's output into decisions: per sentence, the categories it
has, each with a score and where the decision came from, ``"rule"`` (a formula matched,
and rules decide that category) or ``"model"`` (the classifier's score reached its category's
threshold). How each category is decided was tuned when the model was trained.

``MODEL_VERSION`` names what produced the decisions: a hash of the code of the rules and
model, the training config and the training data. Stored analyses keep it, so that a new
rule or new annotations mean the sentences are classified again.
"""

from __future__ import annotations

import hashlib
import logging
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import spacy
from spacy.language import Language

from termwatch.analysis import paths, training, vectors
from termwatch.analysis.components import rule_categories
from termwatch.analysis.segment import plain_text
from termwatch.analysis.taxonomy import CODES
from termwatch.analysis.unfair_tos import HELDOUT_LIST, TRAIN_LIST

DEFAULT_MODEL_DIR = training.DEFAULT_MODEL_DIR
RULE_SCORE = 1.0

log = logging.getLogger(__name__)


def model_version(
    unfair_tos: Path = training.DEFAULT_UNFAIR_TOS,
    annotations: Path = training.DEFAULT_ANNOTATIONS,
) -> str:
    """A short hash of everything a default model is built from (cheap: raw file bytes)."""
    digest = hashlib.sha256(f"seed={training.SEED}\n".encode())
    sources = [Path(training.__file__).with_name(name) for name in training.MODEL_SOURCES]
    sources += [Path(__file__), Path(vectors.__file__)]
    data = [unfair_tos / TRAIN_LIST, unfair_tos / HELDOUT_LIST]
    data += sorted(Path(unfair_tos).glob("sentences/*.txt")) + sorted(
        Path(unfair_tos).glob("tags/*.txt")
    )
    data += sorted(Path(annotations).glob("*.jsonl"))
    # The word vectors' text: the corpus, which its manifest describes (reading it all is slow).
    data.append(paths.corpus() / "manifest.json")
    for path in sources + data:
        if path.exists():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    if not training.annotations_resolvable():
        digest.update(b"annotations left out: no corpus\0")  # a model of UNFAIR-ToS alone
    return digest.hexdigest()[:16]


MODEL_VERSION: str = model_version()


def built_version(model_dir: Path) -> str | None:
    """The version recorded in a built model's meta.json, or None when there is no model."""
    return training.built_version(Path(model_dir) / training.PIPELINE_DIR)


def build_default_model(
    model_dir: Path = DEFAULT_MODEL_DIR, force: bool = False, tune: bool = False
) -> Path:
    """Build the model from the default inputs (the benchmark and data/annotations), deciding
    each category as stored in ``analysis/decisions.json``; ``tune`` re-derives that file
    first (inner cross-validation: several trainings) and so changes the model's version."""
    examples = training.load_examples(training.DEFAULT_UNFAIR_TOS, training.DEFAULT_ANNOTATIONS)
    if tune:
        decided = training.tune_decisions(examples)
        training.save_decisions(decided, examples, training.INNER_FOLDS)
        version = model_version()
    else:
        decided, version = training.load_decisions(examples), MODEL_VERSION
    pipeline_dir = Path(model_dir) / training.PIPELINE_DIR
    if not force and training.built_version(pipeline_dir) == version:
        # Up to date: no need to read the corpus for the hash of the vectors' text.
        log.info("Model in %s is up to date (version %s): not retraining", model_dir, version)
        return pipeline_dir
    return training.build_model(
        examples,
        model_dir,
        version=version,
        decisions=decided,
        vectors=training.configured_vectors(),
        force=force,
    )


def load_pipeline(model_dir: Path = DEFAULT_MODEL_DIR) -> Language:
    """The trained pipeline in ``model_dir``, built first if it is not there yet.

    The default model directory is also rebuilt when it is stale (its version is not
    ``MODEL_VERSION``); a model in another directory is loaded as it was built.
    """
    model_dir = Path(model_dir)
    version = built_version(model_dir)
    stale = model_dir.resolve() == DEFAULT_MODEL_DIR.resolve() and version != MODEL_VERSION
    if version is None or stale:
        reason = "not built yet" if version is None else "built from other inputs"
        print(
            f"The clause classifier in {model_dir} is {reason}: training it "
            "(spaCy, CPU, about a minute; `termwatch train` does this ahead of time)...",
            file=sys.stderr,
        )
        if model_dir.resolve() == DEFAULT_MODEL_DIR.resolve():
            build_default_model(model_dir)
        else:
            examples = training.load_examples()
            decided = training.load_decisions(examples)
            found = training.configured_vectors()
            training.build_model(examples, model_dir, decisions=decided, vectors=found)
    return spacy.load(model_dir / training.PIPELINE_DIR)


def decisions(nlp: Language) -> dict[str, training.Decision]:
    """How the pipeline decides each category, as tuned when it was trained."""
    tuned = nlp.meta.get("termwatch", {}).get("decisions", {})
    return {code: training.Decision(**decision) for code, decision in tuned.items()}


def classify(
    nlp: Language,
    texts: Iterable[str],
    batch_size: int = 256,
) -> Iterator[dict[str, training.Label]]:
    """Per text (a sentence, Markdown allowed), ``{category: Label(score, source,
    confidence)}`` for the categories it has, each decided as tuned in training
    (:func:`decisions`, :meth:`analysis.training.Decision.source`)."""
    tuned = decisions(nlp)
    for doc in nlp.pipe((plain_text(text) for text in texts), batch_size=batch_size):
        labels: dict[str, training.Label] = {}
        matched = rule_categories(doc)
        for code in CODES:
            decision = tuned.get(code, training.DEFAULT_DECISION)
            score = doc.cats.get(code)
            source = decision.source(score, code in matched)
            if source is not None:
                value = RULE_SCORE if source == "rule" else round(float(score), 4)
                labels[code] = training.Label(value, source, decision.confidence(value, source))
        yield labels
