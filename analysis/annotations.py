"""Our labelled sentences of the AI-assistant terms (``data/annotations/*.jsonl``).

The classifier learns the eight UNFAIR-ToS categories from the benchmark, but the eight
categories of AI coding assistants (who owns the output, training on your code, ...) exist
only in the sentences we labelled ourselves. Those sentences are not copied into the
project: each record points into the shared corpus by file and character offsets, with the
first 12 hex digits of the SHA-1 of the span, so that the corpus stays the one copy of the
publishers' texts and a record that no longer matches its file is caught instead of
silently training on the wrong words. One JSON object per line::

    {"file": "cursor/terms-of-service/2025-09-18T00-32-27Z.md", "start": 1234, "end": 1390,
     "labels": ["training"], "split": "train", "sha1": "0123456789ab"}

``file`` is relative to the corpus root; ``start``/``end`` are offsets (Python ``str``
indices) into the file decoded as UTF-8; ``labels`` may be empty (a negative: a sentence
with none of the 16 categories); ``split`` is ``train`` or ``test`` and is fixed per
document, so that the held-out figures are measured on documents the model never saw.
``data/annotations/README.md`` holds the labelling guidelines.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from termwatch.analysis import paths
from termwatch.analysis.paths import CORPUS_ENV
from termwatch.analysis.paths import corpus as default_corpus
from termwatch.analysis.taxonomy import CODES

DEFAULT_DIRECTORY = paths.ANNOTATIONS

SPLITS = ("train", "test")
SHA1_LENGTH = 12
REQUIRED_KEYS = ("file", "start", "end", "labels", "split", "sha1")


class AnnotationError(Exception):
    """An annotation record cannot be read or no longer matches the corpus."""


@dataclass(frozen=True)
class Annotation:
    """One labelled span of a corpus file, with its text resolved from the corpus."""

    file: str  # relative to the corpus root: SERVICE/DOCUMENT_TYPE/DATE.md
    start: int
    end: int
    labels: tuple[str, ...]  # category codes of analysis.taxonomy; empty for a negative
    split: str  # "train" or "test"
    text: str

    @property
    def service(self) -> str:
        return self.file.split("/", 1)[0]

    @property
    def document(self) -> str:
        """The document folder (``SERVICE/DOCUMENT_TYPE``): the unit of the train/test split."""
        return self.file.rsplit("/", 1)[0]


def span_sha1(text: str) -> str:
    """The short fingerprint stored with each record: first 12 hex digits of SHA-1 (UTF-8)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:SHA1_LENGTH]


def read_corpus_text(path: Path) -> str:
    """A corpus file exactly as the offsets count it: UTF-8, no newline translation."""
    return path.read_bytes().decode("utf-8")


def load_annotations(
    directory: Path = DEFAULT_DIRECTORY, corpus: Path | None = None
) -> list[Annotation]:
    """Every record of ``directory/*.jsonl`` (files in name order), text resolved from ``corpus``.

    Raises AnnotationError, naming the JSONL file and line, for a malformed record, an unknown
    label, a duplicated span, a corpus file that is missing or a span whose SHA-1 differs
    (the corpus file changed, or the offsets are wrong).
    """
    directory = Path(directory)
    corpus = Path(corpus) if corpus is not None else default_corpus()
    if not directory.is_dir():
        raise AnnotationError(f"{directory}: no such folder (expected *.jsonl annotation files)")
    if not corpus.is_dir():
        raise AnnotationError(
            f"{corpus}: no such folder (the shared corpus the annotations point into; "
            f"pass its path or set {CORPUS_ENV})"
        )
    texts: dict[str, str] = {}
    seen: dict[tuple[str, int, int], str] = {}
    annotations = []
    for jsonl in sorted(directory.glob("*.jsonl")):
        for number, line in enumerate(jsonl.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{jsonl}:{number}"
            annotation = _resolve(_parse(line, where), corpus, texts, where)
            span = (annotation.file, annotation.start, annotation.end)
            if span in seen:
                raise AnnotationError(f"{where}: same span as {seen[span]} (label it once)")
            seen[span] = where
            annotations.append(annotation)
    return annotations


def _parse(line: str, where: str) -> dict:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise AnnotationError(f"{where}: not a JSON object ({error.msg})") from None
    if not isinstance(record, dict):
        raise AnnotationError(f"{where}: not a JSON object")
    missing = [key for key in REQUIRED_KEYS if key not in record]
    if missing:
        raise AnnotationError(f"{where}: missing key(s) {', '.join(missing)}")
    start, end = record["start"], record["end"]
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end):
        raise AnnotationError(f"{where}: start and end must be integers with 0 <= start < end")
    if record["split"] not in SPLITS:
        raise AnnotationError(f"{where}: split {record['split']!r} is not one of {SPLITS}")
    labels = record["labels"]
    if not isinstance(labels, list) or not all(isinstance(label, str) for label in labels):
        raise AnnotationError(f"{where}: labels must be a list of category codes")
    unknown = [label for label in labels if label not in CODES]
    if unknown:
        raise AnnotationError(
            f"{where}: unknown label(s) {', '.join(unknown)} (categories are those of "
            "analysis/taxonomy.py)"
        )
    return record


def _resolve(record: dict, corpus: Path, texts: dict[str, str], where: str) -> Annotation:
    file = record["file"]
    if file not in texts:
        path = corpus / file
        if not path.is_file():
            raise AnnotationError(f"{where}: {file} is not in the corpus at {corpus}")
        texts[file] = read_corpus_text(path)
    start, end = record["start"], record["end"]
    if end > len(texts[file]):
        raise AnnotationError(f"{where}: span {start}-{end} runs past the end of {file}")
    text = texts[file][start:end]
    if span_sha1(text) != record["sha1"]:
        raise AnnotationError(
            f"{where}: the text at {file} {start}-{end} does not match sha1 {record['sha1']} "
            "(the corpus file changed or the offsets are wrong)"
        )
    return Annotation(
        file=file,
        start=start,
        end=end,
        labels=tuple(dict.fromkeys(record["labels"])),
        split=record["split"],
        text=text,
    )
