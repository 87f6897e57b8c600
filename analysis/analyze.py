"""``termwatch analyze``: clauses, labels and facts for every version not analysed yet.

Each version is split into clauses (``analysis.segment``); each clause points at a
*sentence*, stored once and keyed by the sha256 of its plain text, because most sentences
of a version also stand in the versions before it (the corpus has 658k clauses but only
23k distinct sentences). Only the sentences the current model has not labelled yet are
classified, in batches, so analysing a new version costs what changed in it, and
analysing years of history costs its distinct sentences. Facts (``analysis.facts``) are
then read from each version's labelled clauses.

Each analysis records the *reader* that made it (``READER_VERSION``, a hash of the
segmenter's and the fact readers' code). A termwatch upgrade that reads clauses or facts
differently makes every version pending again, so a database kept across upgrades (a
deployed site, refreshed on a schedule) shows what the new readers read, not the old
facts; the changes recorded for a re-read version are forgotten with its old clauses and
computed again by the next ``changes`` or ``refresh``.

Writes go through the store (``store.analyses``) and are all or nothing: the labels of a
batch of sentences in one transaction (they are a cache any version may reuse), then each
version's clauses, facts and ``analyses`` row in one transaction, so an interrupted run
leaves versions either fully analysed or untouched, and the next run picks up the rest.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import sqlite_utils

from termwatch.analysis import facts as facts_package
from termwatch.analysis import segment as segment_module
from termwatch.analysis.facts import FACTS, STATED, Answer, Clause, extract_facts
from termwatch.analysis.segment import Segment, plain_text, segment
from termwatch.analysis.training import Label as ClassifierLabel
from termwatch.store.analyses import (
    PARAMETERS_PER_STATEMENT,
    ClauseRow,
    Label,
    record_labels,
    record_version_analysis,
)

# Versions segmented and classified together: large enough to fill the model's batches,
# small enough that progress moves and memory stays flat.
VERSIONS_PER_BATCH = 16

# category -> (score, "rule" | "model"[, "certain" | "likely"]): analysis.training.Label
Labels = dict[str, tuple]


class AnalysisError(Exception):
    """Analysis cannot run or its results cannot be read; the message says why."""


@dataclass(frozen=True)
class Classifier:
    """What analysis needs from the model: its version and a way to label sentences."""

    model_version: str
    classify: Callable[[list[str]], Iterable[Labels]]


def load_classifier(model_dir: Path | None = None) -> Classifier:
    """The trained pipeline of ``analysis.pipeline`` (built on first use), named by the
    version recorded in the model (``pipeline.MODEL_VERSION`` for the default one)."""
    from termwatch.analysis import pipeline

    try:
        nlp = pipeline.load_pipeline(model_dir or pipeline.DEFAULT_MODEL_DIR)
    except pipeline.PipelineError as error:
        raise AnalysisError(str(error)) from error
    version = nlp.meta.get("termwatch", {}).get("version") or pipeline.MODEL_VERSION
    return Classifier(version, lambda texts: pipeline.classify(nlp, texts))


@dataclass(frozen=True)
class Progress:
    """Where a run stands, reported after each version."""

    versions_done: int
    versions_total: int
    sentences_classified: int


@dataclass
class Summary:
    """What a run did."""

    model_version: str | None = None
    versions: int = 0
    clauses: int = 0
    sentences_classified: int = 0  # distinct sentences labelled by the model in this run
    sentences_reused: int = 0  # distinct sentences whose labels were already stored
    seconds: float = 0.0

    def __str__(self) -> str:
        if not self.versions:
            return "Nothing to analyse: every version is analysed."
        return (
            f"Analysed {self.versions} versions ({self.clauses} clauses) in "
            f"{self.seconds:.0f} s with model {self.model_version}: "
            f"{self.sentences_classified} distinct sentences classified, "
            f"{self.sentences_reused} already labelled."
        )


def sentence_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def reader_version() -> str:
    """A short hash of the code that turns a version's text into clauses and facts: the
    segmenter and every module of ``analysis.facts`` (cheap: raw file bytes).

    A hash rather than a number bumped by hand, which a change of one pattern would forget.
    """
    digest = hashlib.sha256()
    sources = [Path(segment_module.__file__)]
    sources += sorted(Path(facts_package.__file__).parent.glob("*.py"))
    for path in sources:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


READER_VERSION: str = reader_version()


def pending_versions(db: sqlite_utils.Database, redo_all: bool = False) -> list[int]:
    """The ids of the versions a run would analyse, oldest first: those not analysed yet,
    or analysed by another reader (``READER_VERSION``); every version with ``redo_all``."""
    where = "" if redo_all else "where id not in (select version_id from analyses where reader = ?)"
    return [
        row[0]
        for row in db.execute(
            f"select id from versions {where} order by id", [] if redo_all else [READER_VERSION]
        )
    ]


def analyze(
    db: sqlite_utils.Database,
    redo_all: bool = False,
    progress: Callable[[Progress], None] | None = None,
    classifier: Classifier | None = None,
) -> Summary:
    """Analyse every version not analysed yet (every version with ``redo_all``).

    The model is loaded only when there is something to analyse, so a refresh that found
    nothing new costs nothing here.
    """
    started = time.monotonic()
    pending = pending_versions(db, redo_all)
    summary = Summary()
    if not pending:
        return summary
    classifier = classifier or load_classifier()
    summary.model_version = classifier.model_version
    labels = _LabelStore(db, classifier)
    texts = _RecentTexts(db)
    for batch in _batches(pending, VERSIONS_PER_BATCH):
        versions = [(version_id, texts.of_version(version_id)) for version_id in batch]
        labels.prepare({sentence for _, text in versions for sentence in text.sentences})
        for version_id, text in versions:
            summary.clauses += _store_version(db, version_id, text, labels)
            summary.versions += 1
            if progress:
                progress(Progress(summary.versions, len(pending), labels.classified))
    summary.sentences_classified = labels.classified
    summary.sentences_reused = labels.reused
    summary.seconds = time.monotonic() - started
    return summary


def _batches(items: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@lru_cache(maxsize=2**16)
def _sentence_of(markdown: str) -> tuple[str, str]:
    """(hash, plain text) of a clause: what is stored once and classified once."""
    words = plain_text(markdown)
    return sentence_hash(words), words


class _Text:
    """A version text split into clauses, the sentence of each, and its facts once read."""

    def __init__(self, text: str):
        self.pieces: list[Segment] = segment(text)
        self.sentences = [_sentence_of(piece.text) for piece in self.pieces]
        self._facts: dict[str, Answer] | None = None

    def facts(self, labels_of: Callable[[str], frozenset[str]]) -> dict[str, Answer]:
        """The facts of this text, given the labels of each sentence (by hash); evidence
        clauses carry their position as ``id``."""
        if self._facts is None:
            clauses = [
                Clause(piece.text, piece.section_path, labels_of(digest), position, words)
                for position, (piece, (digest, words)) in enumerate(
                    zip(self.pieces, self.sentences, strict=True)
                )
            ]
            self._facts = extract_facts(clauses)
        return self._facts


class _RecentTexts:
    """The texts of the last versions analysed, by hash.

    Pages that flip between variants (A/B tests) give many versions but few texts: the
    corpus has 2,596 versions and 1,429 distinct texts. A text met again is neither
    segmented nor read again; the same labels give the same facts.
    """

    KEPT = 64

    def __init__(self, db: sqlite_utils.Database):
        self.db = db
        self.recent: OrderedDict[str, _Text] = OrderedDict()

    def of_version(self, version_id: int) -> _Text:
        (digest,) = self.db.execute(
            "select text_hash from versions where id = ?", [version_id]
        ).fetchone()
        if digest in self.recent:
            self.recent.move_to_end(digest)
            return self.recent[digest]
        (text,) = self.db.execute("select text from versions where id = ?", [version_id]).fetchone()
        self.recent[digest] = _Text(text)
        if len(self.recent) > self.KEPT:
            self.recent.popitem(last=False)
        return self.recent[digest]


class _LabelStore:
    """The labels of every sentence met in this run, classifying only the unlabelled ones.

    A sentence counts as labelled when ``sentences.model_version`` is the current model's:
    most sentences have no label at all, and must not be classified again for that.
    """

    def __init__(self, db: sqlite_utils.Database, classifier: Classifier):
        self.db = db
        self.classifier = classifier
        self.categories: dict[str, frozenset[str]] = {}
        self.classified = 0
        self.reused = 0

    def prepare(self, sentences: set[tuple[str, str]]) -> None:
        """Make sure every sentence has its labels by the current model, stored and known."""
        unknown = {digest: text for digest, text in sentences if digest not in self.categories}
        stored = self._stored(list(unknown))
        self.categories.update(stored)
        self.reused += len(stored)
        missing = {digest: text for digest, text in unknown.items() if digest not in stored}
        if missing:
            self._classify(missing)

    def labels_of(self, digest: str) -> frozenset[str]:
        return self.categories[digest]

    def _stored(self, hashes: list[str]) -> dict[str, frozenset[str]]:
        found: dict[str, set[str]] = {}
        for start in range(0, len(hashes), PARAMETERS_PER_STATEMENT):
            chunk = hashes[start : start + PARAMETERS_PER_STATEMENT]
            marks = ", ".join("?" * len(chunk))
            rows = self.db.execute(
                f"""select s.hash, l.category from sentences s
                left join labels l on l.sentence_hash = s.hash
                where s.hash in ({marks}) and s.model_version = ?""",
                [*chunk, self.classifier.model_version],
            )
            for digest, category in rows:
                found.setdefault(digest, set())
                if category:
                    found[digest].add(category)
        return {digest: frozenset(categories) for digest, categories in found.items()}

    def _classify(self, sentences: dict[str, str]) -> None:
        hashes = list(sentences)
        results = _classified(self.classifier, [sentences[digest] for digest in hashes])
        record_labels(
            self.db,
            sentences,
            (
                Label(digest, category, *ClassifierLabel(*value))
                for digest, result in zip(hashes, results, strict=True)
                for category, value in result.items()
            ),
            self.classifier.model_version,
        )
        for digest, result in zip(hashes, results, strict=True):
            self.categories[digest] = frozenset(result)
        self.classified += len(hashes)


def _classified(classifier: Classifier, texts: list[str]) -> list[Labels]:
    """The classifier's labels of each text, checked to be one result per text."""
    results = list(classifier.classify(texts))
    if len(results) != len(texts):
        raise AnalysisError(
            f"the classifier returned {len(results)} results for {len(texts)} sentences: "
            "analysis.pipeline.classify must yield one result per text"
        )
    return results


def _store_version(
    db: sqlite_utils.Database, version_id: int, text: _Text, labels: _LabelStore
) -> int:
    """Replace a version's clauses and facts and mark it analysed, in one transaction."""
    model_version = labels.classifier.model_version
    clauses = [
        ClauseRow(position, piece.section_path, piece.start, piece.end, digest)
        for position, (piece, (digest, _)) in enumerate(
            zip(text.pieces, text.sentences, strict=True)
        )
    ]
    answers = text.facts(labels.labels_of)
    record_version_analysis(
        db,
        version_id,
        clauses,
        lambda ids: [
            _fact_row(version_id, name, answer, ids, model_version)
            for name, answer in answers.items()
        ],
        model_version,
        READER_VERSION,
    )
    return len(text.pieces)


def _fact_row(
    version_id: int, name: str, answer: Answer, ids: Mapping[int, int], model_version: str
) -> dict:
    """A ``facts`` row; evidence clauses carry their position, ``ids`` maps it to clauses.id."""
    evidence = answer.evidence
    conflicts = [
        {
            "value": rival.value,
            "evidence": rival.evidence.text,
            "clause_id": ids[rival.evidence.id],
        }
        for rival in answer.conflicts
    ]
    return {
        "version_id": version_id,
        "name": name,
        "value": json.dumps(answer.value),
        "evidence": evidence.text if evidence else None,
        "clause_id": ids[evidence.id] if evidence else None,
        "basis": answer.basis,
        "reason": answer.reason,
        "conflicts": json.dumps(conflicts) if conflicts else None,
        "model_version": model_version,
    }


def read_facts(text: str, classifier: Classifier) -> dict[str, Answer]:
    """The facts of one version text, read exactly as ``analyze`` reads them for the database
    (same clauses, same labels, same reader), without a database: what ``termwatch eval
    facts`` scores against the answer key."""
    version = _Text(text)
    sentences = dict(version.sentences)  # hash -> plain text, each distinct sentence once
    results = _classified(classifier, list(sentences.values()))
    labels = {digest: frozenset(result) for digest, result in zip(sentences, results, strict=True)}
    return version.facts(labels.__getitem__)


# --- reading facts back ----------------------------------------------------------------------


def facts_in_force(
    db: sqlite_utils.Database, service: str | None = None, as_of: date | None = None
) -> list[dict]:
    """One entry per document: its version in force on ``as_of`` (default: the latest)
    and the facts read in it, ``{name: {"value": ..., "evidence": quote or None}}``.

    ``facts`` is None for a version not analysed yet: "unstated" would be a claim about
    the text, and nobody has read it.
    """
    if service is not None and not db["services"].count_where("slug = ?", [service]):
        known = ", ".join(row[0] for row in db.execute("select slug from services order by 1"))
        raise AnalysisError(
            f"unknown service {service!r}: the database knows {known or 'no service yet'}"
        )
    cutoff = f"{as_of.isoformat()}T23:59:59Z" if as_of else "9999"
    documents = db.execute(
        """select d.service, d.document_type, v.id, v.recorded_at,
                  exists (select 1 from analyses a where a.version_id = v.id)
        from documents d
        join versions v on v.id = (
            select w.id from versions w where w.document_id = d.id and w.recorded_at <= ?
            order by w.recorded_at desc, w.id desc limit 1)
        where ? is null or d.service = ?
        order by d.service, d.document_type""",
        [cutoff, service, service],
    ).fetchall()
    return [
        {
            "service": slug,
            "document_type": document_type,
            "version_date": recorded_at,
            "facts": _facts_of(db, version_id) if analysed else None,
        }
        for slug, document_type, version_id, recorded_at, analysed in documents
    ]


def _facts_of(db: sqlite_utils.Database, version_id: int) -> dict[str, dict]:
    stored = {
        row[0]: stored_fact(*row[1:])
        for row in db.execute(
            "select name, value, evidence, basis, reason, conflicts from facts "
            "where version_id = ?",
            [version_id],
        )
    }
    return {name: stored[name] for name in FACTS if name in stored}  # in FACTS order


def stored_fact(
    value: str, evidence: str | None, basis: str | None, reason: str | None, conflicts: str | None
) -> dict:
    """A ``facts`` row as ``termwatch facts --json`` shows it.

    ``{"value", "evidence", "basis"}``, with ``reason`` when the basis is ``inferred``; a
    conflicting fact's ``evidence`` is the list of its quotes, and ``conflicts`` says what
    each one reads.
    """
    fact: dict = {"value": json.loads(value), "evidence": evidence, "basis": basis}
    if basis is None and evidence is not None:
        fact["basis"] = STATED  # read before termwatch recorded the basis
    if reason:
        fact["reason"] = reason
    if conflicts:
        rivals = json.loads(conflicts)
        fact["evidence"] = [rival["evidence"] for rival in rivals]
        fact["conflicts"] = [
            {"value": rival["value"], "evidence": rival["evidence"]} for rival in rivals
        ]
    return fact
