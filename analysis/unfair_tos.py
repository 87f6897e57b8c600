"""Read the UNFAIR-ToS / CLAUDETTE benchmark format.

A benchmark folder holds ``sentences/NAME.txt`` (one sentence per line, as the authors
segmented them) and ``tags/NAME.txt`` (the same number of lines, each with the
space-separated tags of that sentence, such as ``ltd2 ter3``; empty = none). A tag is a
category code plus a fairness level 1-3; termwatch counts a category at any level, because
the point is to find every clause of that kind, fair or not. Tags outside the eight
categories (``pinc``, ``countrym``) are ignored.

The folder may list its documents in ``train_documents.txt`` and ``heldout_documents.txt``.
Held-out documents are the benchmark's test set: :func:`training_documents` never returns
one, wherever it is found, so no model or threshold is ever fitted on them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from termwatch.analysis.taxonomy import UNFAIR_TOS_CODES

TRAIN_LIST = "train_documents.txt"
HELDOUT_LIST = "heldout_documents.txt"
_TAG = re.compile(r"^(?P<code>[a-z]+)(?P<level>[123])?$")  # "countrym" has no level


class BenchmarkError(Exception):
    """A benchmark folder cannot be read: the message names the file and the problem."""


@dataclass(frozen=True)
class BenchmarkSentence:
    text: str
    labels: frozenset[str]  # category codes among UNFAIR_TOS_CODES


@dataclass(frozen=True)
class BenchmarkDocument:
    name: str  # file stem, e.g. "Dropbox"
    sentences: tuple[BenchmarkSentence, ...]


def read_benchmark(directory: Path) -> list[BenchmarkDocument]:
    """Read every document of a benchmark folder, sorted by name."""
    directory = Path(directory)
    sentence_files = sorted((directory / "sentences").glob("*.txt"))
    if not sentence_files:
        raise BenchmarkError(
            f"{directory}: no sentences/*.txt files; is this an UNFAIR-ToS benchmark folder?"
        )
    return [_read_document(path, directory / "tags" / path.name) for path in sentence_files]


def training_documents(directory: Path) -> list[BenchmarkDocument]:
    """The documents a model may learn from: those of ``train_documents.txt`` when the folder
    has that list, and never one named in ``heldout_documents.txt``."""
    directory = Path(directory)
    documents = read_benchmark(directory)
    heldout = _document_list(directory / HELDOUT_LIST)
    allowed = _document_list(directory / TRAIN_LIST)
    return [
        document
        for document in documents
        if document.name not in heldout and (not allowed or document.name in allowed)
    ]


def document_folds(documents: list[BenchmarkDocument], folds: int) -> list[int]:
    """Assign each document a fold number, deterministically (sorted names, round robin), so
    that every run and every system compared is scored on the same folds."""
    if not 2 <= folds <= len(documents):
        raise BenchmarkError(
            f"cannot cross-validate {len(documents)} documents in {folds} folds "
            "(need 2 <= folds <= number of documents)"
        )
    order = sorted(range(len(documents)), key=lambda index: documents[index].name)
    assignment = [0] * len(documents)
    for rank, index in enumerate(order):
        assignment[index] = rank % folds
    return assignment


def _document_list(path: Path) -> set[str]:
    if not path.exists():
        return set()
    return {Path(line.strip()).stem for line in path.read_text().splitlines() if line.strip()}


def _read_document(sentences_path: Path, tags_path: Path) -> BenchmarkDocument:
    if not tags_path.exists():
        raise BenchmarkError(f"{sentences_path}: no matching tags file {tags_path}")
    sentences = _lines(sentences_path)
    tags = _lines(tags_path)
    if len(sentences) != len(tags):
        raise BenchmarkError(
            f"{tags_path}: {len(tags)} lines of tags for {len(sentences)} sentences in "
            f"{sentences_path}; the two files must have one line per sentence"
        )
    parsed = [
        BenchmarkSentence(text.strip(), _labels(line, tags_path, number))
        for number, (text, line) in enumerate(zip(sentences, tags, strict=True), start=1)
        if text.strip()
    ]
    return BenchmarkDocument(sentences_path.stem, tuple(parsed))


def _lines(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the final line break ends the last line, it does not open a new one
    return lines


def _labels(line: str, path: Path, number: int) -> frozenset[str]:
    labels = set()
    for tag in line.split():
        match = _TAG.match(tag)
        if not match:
            raise BenchmarkError(f"{path}:{number}: {tag!r} is not a tag like 'ltd2' or 'a3'")
        if match.group("code") in UNFAIR_TOS_CODES:
            labels.add(match.group("code"))
    return frozenset(labels)
