"""Word vectors learned from the unlabelled terms of the corpus, by the project's own command.

Labelled sentences are few (the benchmark's 40 documents, our annotations); unlabelled terms
are many: the corpus holds some 1,500 distinct versions of AI-assistant terms. Vectors
trained on them place "arbitrator" near "arbitration", "indemnify" near "hold harmless", and
so let the classifier score wording it never saw labelled. They are floret vectors (fastText
with subword hashing in a fixed-size table, so an unseen word still gets a vector from its
character n-grams), trained with the ``floret`` package and converted by ``spacy init
vectors``; the pipeline's vocab carries them.

The text is every distinct line of the corpus's Markdown files (its versions repeat most of
their lines), tokenised by the same blank English tokenizer as the pipeline, lower-cased. Only
the corpus is read: no benchmark document, so the vectors never saw a sentence the
cross-validation scores. Vectors are cached by the hash of their text and settings; without a
corpus there are none, and the classifier works from its n-grams alone.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import tempfile
from pathlib import Path

from termwatch.analysis import paths
from termwatch.analysis.segment import plain_text

DEFAULT_CACHE = paths.MODEL_DIR / "vectors"
MIN_WORDS = 3  # shorter lines are headings, links and list markers
# floret settings: CBOW trains several times faster than skip-gram and scored as well on the
# benchmark's folds; 64 dimensions and a 20,000-row table keep the model small (5 MB).
SETTINGS = {
    "model": "cbow",
    "mode": "floret",
    "dim": 64,
    "epoch": 5,
    "minCount": 3,
    "minn": 4,
    "maxn": 5,
    "bucket": 20000,
    "hashCount": 2,
    # One thread: with more, floret is not reproducible (its threads race on the weights).
    "thread": 1,
}

log = logging.getLogger(__name__)


class VectorsError(Exception):
    """Word vectors cannot be built: the message says which input is wrong."""


def corpus_lines(corpus: Path) -> list[str]:
    """The distinct lines of the corpus's Markdown versions, as plain text, sorted."""
    files = sorted(Path(corpus).glob("*/*/*.md"))
    if not files:
        raise VectorsError(f"{corpus}: no SERVICE/DOCUMENT_TYPE/DATE.md files to learn from")
    lines = {
        line
        for path in files
        for line in path.read_text(encoding="utf-8").splitlines()
        if len(line.split()) >= MIN_WORDS
    }
    return sorted({plain_text(line) for line in lines})


def build_vectors(corpus: Path | None = None, cache: Path = DEFAULT_CACHE) -> Path | None:
    """A spaCy pipeline folder holding floret vectors of ``corpus``, built when missing.

    ``corpus`` defaults to :func:`analysis.paths.corpus`. Returns None when there is no
    corpus (the classifier then has no vectors)."""
    corpus = paths.corpus() if corpus is None else Path(corpus)
    if not corpus.is_dir():
        log.info("No corpus at %s: the classifier is trained without word vectors", corpus)
        return None
    import spacy

    lines = corpus_lines(corpus)
    # Named by the lines and settings they are learned from (and the tokenizer's spaCy
    # version): a cached copy is found without tokenising the corpus.
    named = json.dumps([SETTINGS, spacy.__version__], sort_keys=True) + "\n".join(lines)
    digest = hashlib.sha256(named.encode()).hexdigest()
    target = Path(cache) / digest[:16]
    if (target / "vocab").is_dir():
        return target
    tokenizer = spacy.blank("en").tokenizer
    text = "\n".join(
        " ".join(token.lower_ for token in doc if not token.is_space)
        for doc in tokenizer.pipe(lines, batch_size=1000)
    )
    log.info("Learning word vectors from %d words of the corpus (floret)", len(text.split()))
    import floret
    from spacy.training.initialize import convert_vectors

    with tempfile.TemporaryDirectory(prefix="termwatch-vectors-") as scratch:
        text_path = Path(scratch) / "corpus.txt"
        text_path.write_text(text + "\n", encoding="utf-8")
        model = floret.train_unsupervised(str(text_path), verbose=0, **SETTINGS)
        floret_path = Path(scratch) / "vectors.floret"
        model.save_floret_vectors(str(floret_path))
        nlp = spacy.blank("en")
        convert_vectors(nlp, floret_path, truncate=0, prune=-1, mode="floret")
        # Written beside, then renamed: a crash never leaves half a vectors folder in the cache.
        staging = Path(cache) / f".{digest[:16]}.new"
        staging.parent.mkdir(parents=True, exist_ok=True)
        if staging.exists():
            shutil.rmtree(staging)
        nlp.to_disk(staging)
        staging.rename(target)
    return target
