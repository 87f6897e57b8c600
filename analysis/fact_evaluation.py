"""Score the fact reader against the reviewed answer key (``termwatch eval facts``).

Each keyed version's text is read by ``analysis.analyze.read_facts``, the reader behind
``termwatch facts``, so the figures are those a user gets. Per fact and overall it reports:

- **accuracy**: the share of (document, fact) pairs whose value is right. Values are compared
  by meaning (``analysis.facts.comparable``: "the laws of the State of California" is
  "California", "US $100" is "USD 100"); pairs right in other words are listed, so a reader
  of the report sees what was equated;
- **evidence overlap**: among the right answers to facts the key states, the share whose quote
  overlaps one of the key's quotes in the version text (the same clause, not merely the same
  value found for another reason);
- **basis agreement**: among the same right stated answers, the share read on the key's basis
  (``stated`` from a clause, or ``inferred`` from the terms as a whole);
- **confusion**: for the wrong ones, which value was given where the key says which
  (``false -> unstated``), and the list of mistakes with both quotes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from termwatch.analysis import paths
from termwatch.analysis.fact_key import KeyedDocument, load_fact_key
from termwatch.analysis.facts import FACTS, comparable
from termwatch.analysis.segment import plain_text

SPLITS = ("test", "train", "all")


@dataclass(frozen=True)
class ReadFact:
    """What a fact reader gives for one fact: its value, the quoted clause(s), and why."""

    value: Any
    quotes: tuple[str, ...] = ()
    basis: str | None = None  # "stated" / "inferred"; None when unstated or not told


# What a fact reader gives for one document, by fact name.
Reading = dict[str, ReadFact]


@dataclass
class FactScore:
    """The tallies of one fact over the documents scored."""

    documents: int = 0
    right: int = 0
    right_stated: int = 0  # right answers to facts the key states (not unstated)
    overlapping: int = 0  # ... whose evidence overlaps the key's quote
    same_basis: int = 0  # ... read on the key's basis (stated / inferred)

    @property
    def accuracy(self) -> float:
        return _ratio(self.right, self.documents)

    @property
    def evidence_overlap(self) -> float:
        return _ratio(self.overlapping, self.right_stated)

    @property
    def basis_agreement(self) -> float:
        return _ratio(self.same_basis, self.right_stated)

    def add(self, other: FactScore) -> None:
        self.documents += other.documents
        self.right += other.right
        self.right_stated += other.right_stated
        self.overlapping += other.overlapping
        self.same_basis += other.same_basis


@dataclass(frozen=True)
class Mistake:
    """A wrong value, or a right value whose quote is not the key's."""

    file: str
    fact: str
    expected: Any
    given: Any
    expected_evidence: tuple[str, ...]
    given_evidence: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "fact": self.fact,
            "expected": self.expected,
            "given": self.given,
            "expected_evidence": list(self.expected_evidence),
            "given_evidence": list(self.given_evidence),
        }


@dataclass
class FactEvaluation:
    split: str
    documents: int
    facts: dict[str, FactScore]
    confusion: dict[str, Counter[str]] = field(default_factory=dict)  # fact -> "key -> given"
    mistakes: list[Mistake] = field(default_factory=list)  # wrong values
    elsewhere: list[Mistake] = field(default_factory=list)  # right values, other evidence
    same_meaning: list[Mistake] = field(default_factory=list)  # right, worded differently

    @property
    def total(self) -> FactScore:
        total = FactScore()
        for score in self.facts.values():
            total.add(score)
        return total

    def as_json(self) -> dict[str, Any]:
        total = self.total
        return {
            "split": self.split,
            "documents": self.documents,
            "accuracy": {name: round(score.accuracy, 4) for name, score in self.facts.items()},
            "overall": round(total.accuracy, 4),
            "evidence_overlap": {
                name: round(score.evidence_overlap, 4) for name, score in self.facts.items()
            },
            "evidence_overlap_overall": round(total.evidence_overlap, 4),
            "basis_agreement": {
                name: round(score.basis_agreement, 4) for name, score in self.facts.items()
            },
            "basis_agreement_overall": round(total.basis_agreement, 4),
            "right": total.right,
            "facts_scored": total.documents,
            "confusion": {
                name: dict(counts.most_common())
                for name, counts in self.confusion.items()
                if counts
            },
            "mistakes": [mistake.as_json() for mistake in self.mistakes],
            "other_evidence": [mistake.as_json() for mistake in self.elsewhere],
            "same_meaning": [mistake.as_json() for mistake in self.same_meaning],
        }

    def table(self) -> str:
        """One row per fact: share right, evidence overlap, basis agreement, and the
        commonest confusion."""
        lines = [
            f"{'':<32}{'right':>7}{'evidence':>10}{'basis':>8}  most common mistake (key -> read)"
        ]
        rows = [*self.facts.items(), ("overall", self.total)]
        for name, score in rows:
            common = self.confusion.get(name, Counter()).most_common(1)
            note = f"{common[0][0]} ({common[0][1]})" if common else ""
            if name == "overall":
                note = f"{score.right} of {score.documents} facts right"
            lines.append(
                f"{name:<32}{score.accuracy * 100:>6.1f}%{score.evidence_overlap * 100:>9.1f}%"
                f"{score.basis_agreement * 100:>7.1f}%  {note}"
            )
        return "\n".join(lines)


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0


# --- running the reader -----------------------------------------------------------------------


def evaluate_facts(
    split: str = "test",
    *,
    directory: Path = paths.FACT_KEY,
    corpus: Path | None = None,
    model_dir: Path | None = None,
    read: Callable[[str], Reading] | None = None,
) -> FactEvaluation:
    """Read every keyed document of ``split`` with the fact reader and score it.

    ``read`` maps a version text to its reading; by default the trained pipeline's
    (:func:`pipeline_reader`), loaded only when there is something to read.
    """
    if split not in SPLITS:
        raise ValueError(f"split {split!r} is not one of {SPLITS}")
    documents = [
        document
        for document in load_fact_key(directory, corpus)
        if split == "all" or document.split == split
    ]
    if documents and read is None:
        read = pipeline_reader(model_dir)
    readings = [read(document.text) for document in documents] if documents else []
    return score_facts(documents, readings, split)


def pipeline_reader(model_dir: Path | None = None) -> Callable[[str], Reading]:
    """What ``termwatch facts`` reads in a version text: values, quotes and basis."""
    from termwatch.analysis.analyze import load_classifier, read_facts

    classifier = load_classifier(model_dir)

    def read(text: str) -> Reading:
        return {
            name: ReadFact(
                answer.value, tuple(clause.text for clause in answer.quotes), answer.basis
            )
            for name, answer in read_facts(text, classifier).items()
        }

    return read


# --- scoring ----------------------------------------------------------------------------------


def score_facts(
    documents: Sequence[KeyedDocument], readings: Sequence[Reading], split: str = "all"
) -> FactEvaluation:
    """Compare each document's reading with its key, fact by fact."""
    if len(documents) != len(readings):
        raise ValueError(f"{len(documents)} documents but {len(readings)} readings")
    evaluation = FactEvaluation(
        split, len(documents), {name: FactScore() for name in FACTS}, {n: Counter() for n in FACTS}
    )
    for document, reading in zip(documents, readings, strict=True):
        for name, keyed in document.facts.items():
            read = reading.get(name, ReadFact(FACTS[name].unstated))
            value, quotes = read.value, read.quotes
            score = evaluation.facts[name]
            score.documents += 1
            found = Mistake(document.file, name, keyed.value, value, keyed.evidence, quotes)
            if not same_value(name, keyed.value, value):
                evaluation.confusion[name][f"{_shown(keyed.value)} -> {_shown(value)}"] += 1
                evaluation.mistakes.append(found)
                continue
            score.right += 1
            if keyed.value != value:
                evaluation.same_meaning.append(found)
            if keyed.stated:
                score.right_stated += 1
                score.same_basis += read.basis == keyed.basis
                if overlaps(document.text, keyed.evidence, quotes):
                    score.overlapping += 1
                else:
                    evaluation.elsewhere.append(found)
    return evaluation


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(value) + "]" if value else "none"
    return str(value)


def same_value(name: str, expected: Any, given: Any) -> bool:
    """Do two values of a fact say the same thing, whatever their wording? The comparison
    of ``analysis.facts.comparable``, the one the matrix and the change log use."""
    return comparable(name, expected) == comparable(name, given)


# --- evidence ---------------------------------------------------------------------------------


def overlaps(text: str, expected: Iterable[str], given: Iterable[str]) -> bool:
    """Does a quote given share text with one of the key's quotes, where they sit in the
    version? A quote not found in the text (the reader quoting a reworded clause) falls
    back to comparing plain words: one contains the other."""
    expected_spans = [span for quote in expected for span in _spans(text, quote)]
    for quote in given:
        spans = _spans(text, quote)
        if spans:
            if any(a < y and x < b for a, b in spans for x, y in expected_spans):
                return True
            continue
        words = plain_text(quote).casefold()
        for key_quote in expected:
            key_words = plain_text(key_quote).casefold()
            if key_words in words or words in key_words:
                return True
    return False


def _spans(text: str, quote: str) -> list[tuple[int, int]]:
    spans, start = [], text.find(quote) if quote else -1
    while start != -1:
        spans.append((start, start + len(quote)))
        start = text.find(quote, start + 1)
    return spans
