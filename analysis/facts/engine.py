"""The reading engine: how a fact is looked for, read, chosen among clauses and explained.

Reading a fact takes two steps, the way a lawyer skims a contract:

1. *where to look*: the clauses labelled with the fact's categories (``ltd`` clauses for
   the liability cap, see ``analysis.taxonomy``), and the clauses of a section whose heading
   names the topic ("Limitation of Liability"), so a sentence the classifier missed in the
   right section is still read;
2. *what it says*: a reader (one per fact, in the modules of this package) turns a clause's
   plain text into a ``Reading``: "the greater of ... or $100" is a ``greater_of`` cap.

When several clauses answer, the most specific reading wins (an explicit opt-out over a bare
licence grant that mentions training), then one in the section on the topic, then the first
in document order, so the same text always gives the same answer. When clauses of the same
weight give different answers (see ``Fact.answer``), the fact is ``conflicting`` and quotes
them all: a silent pick would hide what a reader must resolve.

A fact no clause states may still be settled by the terms as a whole: disputes sent to named
courts, with no arbitration clause anywhere, mean no arbitration. Such an answer is
*inferred*, with the rule's one-line reason; one read from a clause is *stated*. A fact that
neither is ``unstated``, with no evidence: termwatch never guesses.

Each fact declares its values once (``Value``: the matrix's words, the rating for the user,
the change log's phrase), and the value any reader returns must be declared: a forgotten
wording is an error, never a silent fallback.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from termwatch.analysis.facts.patterns import Pattern, pattern
from termwatch.analysis.segment import SECTION_SEPARATOR, is_title, plain_text

UNSTATED = "unstated"
CONFLICTING = "conflicting"

# Why a fact has its value (``Answer.basis``).
STATED = "stated"  # a clause says it
INFERRED = "inferred"  # derived from the terms as a whole, with a reason

# How favourable a value is to the user (the colour of a matrix cell).
FAVOURABLE = "favourable"
MIXED = "mixed"
UNFAVOURABLE = "unfavourable"
NEUTRAL = "neutral"  # neither good nor bad in itself (a governing law)
UNKNOWN = "unknown"  # unstated, conflicting, or not read yet
RATINGS = (FAVOURABLE, MIXED, UNFAVOURABLE, NEUTRAL, UNKNOWN)


class FactError(Exception):
    """A fact was read or worded outside its declaration (a bug in a reader or a value)."""


@dataclass(frozen=True)
class Clause:
    """One clause of a version, as fact extraction reads it."""

    text: str  # exactly as in the version (the evidence quote)
    section_path: str = ""
    labels: frozenset[str] = frozenset()  # category codes (analysis.taxonomy)
    id: int | None = None  # clauses.id once stored
    plain: str = ""  # the words without Markdown markup, what patterns read (derived if "")

    def __post_init__(self):
        if not self.plain:
            object.__setattr__(self, "plain", plain_text(self.text))


@dataclass(frozen=True)
class Reading:
    """What one clause says about a fact; a lower ``rank`` is a more specific statement."""

    value: Any
    rank: int = 0


@dataclass(frozen=True)
class Answer:
    """A fact's value, the clause that supports it, and why.

    ``evidence`` is the clause quoted (None when unstated). A ``conflicting`` answer quotes
    every clause in ``conflicts``, each with the value it reads. ``reason`` is set for an
    inferred answer: the one-line rule that derived it.
    """

    value: Any
    evidence: Clause | None = None
    reason: str | None = None
    conflicts: tuple[Answer, ...] = ()

    @property
    def basis(self) -> str | None:
        """``stated`` or ``inferred``; None for an unstated fact (nothing supports it)."""
        if self.evidence is None:
            return None
        return INFERRED if self.reason else STATED

    @property
    def quotes(self) -> list[Clause]:
        """Every clause the answer rests on: one, or each side of a conflict."""
        if self.conflicts:
            return [answer.evidence for answer in self.conflicts if answer.evidence]
        return [self.evidence] if self.evidence else []


class Document:
    """The clauses of one version, and what readers may need beyond a single clause."""

    def __init__(self, clauses: Sequence[Clause]):
        self.clauses = list(clauses)
        self._derived: dict[Callable[[Document], Any], Any] = {}

    def derived(self, derive: Callable[[Document], Any]) -> Any:
        """What ``derive`` reads in the whole document, worked out once per document: the
        defined terms that include the output, which the reading of every clause needs."""
        if derive not in self._derived:
            self._derived[derive] = derive(self)
        return self._derived[derive]

    @cached_property
    def definitions(self) -> dict[str, str]:
        """Defined terms ("“Customer Claim” means ...") and the clause that defines them.

        An indemnity often names a defined claim ("Anthropic will defend Customer against any
        Customer Claim") whose definition, elsewhere, says it is about IP infringement.
        """
        found = {}
        for clause in self.clauses:
            for match in _DEFINITION.finditer(clause.plain):
                found.setdefault(match.group("term"), clause.plain)
        return found

    @cached_property
    def _positions(self) -> dict[int, int]:
        return {id(clause): position for position, clause in enumerate(self.clauses)}

    def following(self, clause: Clause, count: int) -> list[Clause]:
        """The ``count`` clauses after ``clause``: the items of a list it introduces."""
        start = self._positions[id(clause)] + 1
        return self.clauses[start : start + count]

    def preceding(self, clause: Clause, count: int) -> list[Clause]:
        """The ``count`` clauses before ``clause``: what "that content" refers back to."""
        end = self._positions[id(clause)]
        return self.clauses[max(0, end - count) : end]

    def first(self, wanted: Pattern, where: Callable[[Clause], bool] = bool) -> Clause | None:
        """The first clause (that is not a heading) whose plain text matches ``wanted``."""
        for clause in self.clauses:
            if where(clause) and not states_nothing(clause.plain) and wanted.search(clause.plain):
                return clause
        return None


_DEFINITION = re.compile(r"[\"“](?P<term>[A-Z][\w -]{2,40}?)[\"”]\s+(?:means|refers to|shall mean)")

Reader = Callable[[Clause, Document], Reading | None]
# An inference sees the document and the answers read so far; it answers or returns None.
Inference = Callable[[Document, Mapping[str, Answer]], Answer | None]


@dataclass(frozen=True)
class Value:
    """One value a fact can take, with every way termwatch words it.

    ``label`` is the matrix's short answer ("Yes, unless you opt out"), ``rating`` how
    favourable it is to the user, ``phrase`` what a provider does when the fact takes this
    value, as the change log says it after the service's name and "now" ("trains on your
    content unless you opt out"); ``was`` how it reads as a former value ("(was: you)"),
    by default the label in lower case.
    """

    value: Any
    label: str
    rating: str
    phrase: str
    was: str = ""

    def __post_init__(self):
        if self.rating not in RATINGS:
            raise FactError(f"value {self.value!r}: rating {self.rating!r} is not one of {RATINGS}")
        if not (self.label and self.phrase):
            raise FactError(f"value {self.value!r} needs a label and a phrase")
        if not self.was:
            object.__setattr__(self, "was", self.label[:1].lower() + self.label[1:])


def comparable_words(value: Any) -> Hashable:
    """Values equal for a reader compare equal: spacing and case do not matter."""
    if isinstance(value, list):
        return tuple(sorted(str(comparable_words(item)) for item in value))
    if isinstance(value, str):
        return " ".join(value.split()).lower()
    return value


@dataclass(frozen=True)
class Fact:
    """A question about the terms, where its answer is stated, how to read and word it.

    A fact with a closed set of answers declares them in ``choices``; one whose answer is
    open (a jurisdiction, a number of days) words any value with ``word`` instead.
    ``normalise`` maps two wordings of the same answer to one comparable form ("State of
    California" and "California law" to "California"), which the matrix, the change log
    and the evaluation all use (``comparable``). ``topic`` completes "no longer says ...".
    """

    name: str
    definition: str  # one line, shown to users
    topic: str  # "who owns the output"
    categories: frozenset[str]  # labels of the clauses that may state it
    heading: Pattern  # section headings whose clauses may state it
    read: Reader
    choices: tuple[Value, ...] = ()
    word: Callable[[Any], Value] | None = None
    normalise: Callable[[Any], Hashable] = comparable_words
    infer: Inference | None = None
    # Settles the best answer against every reading, in order (``Fact.answer``): training
    # statements that each hold for one plan only are a conflict, whatever their ranks.
    settle: Callable[[Answer, Sequence[Answer]], Answer] | None = None
    anywhere: bool = False  # read every clause, whatever its labels and section
    unstated: Any = UNSTATED
    describe: str = ""  # the allowed values in words, for an open fact ("a number of days")

    def __post_init__(self):
        if (self.word is None) == (not self.choices):
            raise FactError(f"fact {self.name}: declare either choices or word, not both")

    @cached_property
    def _by_value(self) -> dict[Any, Value]:
        return {(type(v.value), v.value): v for v in self.choices}

    @property
    def values(self) -> str:
        """The allowed values, as shown to users: "user / provider / shared / unstated"."""
        named = [_as_written(v.value) for v in self.choices] or [self.describe]
        return " / ".join([*named, CONFLICTING, _as_written(self.unstated)])

    def is_unstated(self, value: Any) -> bool:
        """True for no answer: this fact's "unstated" ([] for amounts), the word, or None."""
        return (
            value is None
            or (value == self.unstated or value == UNSTATED)
            and (not isinstance(value, bool))
        )

    def value(self, value: Any) -> Value:
        """The declaration of ``value``; an undeclared one is an error, not a fallback."""
        if self.is_unstated(value):
            return Value(value, "Not stated", UNKNOWN, f"no longer says {self.topic}")
        if value == CONFLICTING:
            return Value(
                value, "Conflicting", UNKNOWN, f"gives conflicting answers on {self.topic}"
            )
        if self.word is not None:
            return self.word(value)
        try:
            return self._by_value[(type(value), value)]
        except (KeyError, TypeError):
            raise FactError(
                f"fact {self.name}: value {value!r} is not declared "
                f"(allowed: {self.values}); declare it with its wording"
            ) from None

    def comparable(self, value: Any) -> Hashable:
        """The form two wordings of the same answer share."""
        if self.is_unstated(value):
            return UNSTATED
        if value == CONFLICTING:
            return CONFLICTING
        return self.normalise(value)

    def looks_at(self, clause: Clause) -> bool:
        return (
            self.anywhere
            or bool(clause.labels & self.categories)
            or on_topic(self.heading, clause.section_path)
        )

    def readings(self, document: Document) -> list[tuple[tuple[int, ...], Any, Clause]]:
        """Every clause's reading, as (order, value, clause): rank, off topic, narrowed to
        one feature, position."""
        found = []
        for position, clause in enumerate(document.clauses):
            if not self.looks_at(clause) or states_nothing(clause.plain):
                continue
            reading = self.read(clause, document)
            if reading is None:
                continue
            self.value(reading.value)  # a reader returning an undeclared value is a bug
            off_topic = 0 if on_topic(self.heading, clause.section_path) else 1
            narrow = 1 if not off_topic and narrowed(self.heading, clause.section_path) else 0
            found.append(((reading.rank, off_topic, narrow, position), reading.value, clause))
        return sorted(found, key=lambda found: found[0])

    def answer(self, document: Document) -> Answer:
        """The best reading (most specific, then on topic, then first).

        Clauses that state the answer outright (rank 0, not an exception or a conditional
        rule) in the section on the topic, and read different values (compared by
        ``comparable``), make the fact ``conflicting``: which one applies is for the reader to
        settle, with both quotes. Regional or conditional rules ("if you are in the EEA, ...")
        rank lower and are not conflicts: the first one stands.
        """
        readings = self.readings(document)
        if not readings:
            return Answer(self.unstated)
        (rank, off_topic, narrow, _), value, clause = readings[0]
        if rank == 0 and off_topic == 0:
            rivals = {self.comparable(value): Answer(value, clause)}
            for (*weight, _), other, other_clause in readings[1:]:
                if tuple(weight) == (rank, off_topic, narrow):
                    rivals.setdefault(self.comparable(other), Answer(other, other_clause))
            if len(rivals) > 1:
                return Answer(CONFLICTING, clause, conflicts=tuple(rivals.values()))
        if self.settle is not None:
            return self.settle(Answer(value, clause), [Answer(v, c) for _, v, c in readings])
        return Answer(value, clause)


def _as_written(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else repr(value)


def extract(facts: Mapping[str, Fact], clauses: Sequence[Clause]) -> dict[str, Answer]:
    """Every fact for one version, given its clauses in document order.

    Facts are read clause by clause first; then each fact still unstated gets its
    inference, which sees every answer read (an indemnity that binds only the user).
    """
    document = Document(clauses)
    answers = {name: fact.answer(document) for name, fact in facts.items()}
    for name, fact in facts.items():
        if fact.infer and fact.is_unstated(answers[name].value):
            inferred = fact.infer(document, answers)
            if inferred is not None:
                fact.value(inferred.value)
                answers[name] = inferred
    return answers


# Clauses that name a topic without committing to anything: a table-of-contents entry
# ("O. Disclaimer of Warranties"), a survival list ("warranty disclaimers ... survive
# termination"), a saving clause ("some states do not allow the exclusion of ...").
_MENTIONS_ONLY = pattern(
    r"""\bsurviv\w*\b
      | \b(?:do|does)\s+not\s+(?:allow|permit)\s+(?:the\s+)?(?:exclusion|disclaimer|limitation)"""
)


@lru_cache(maxsize=2**16)
def states_nothing(text: str) -> bool:
    """True for a clause that mentions a topic without stating anything about it."""
    return is_title(text) or bool(_MENTIONS_ONLY.search(text))


@lru_cache(maxsize=2**14)
def on_topic(heading: Pattern, section_path: str) -> bool:
    """Is a clause in a section on the topic? Paths repeat in every clause and version."""
    return bool(heading.search(section_path))


# A topic heading narrowed to one feature: "Limitation of Liability for API Use", "Warranty
# Disclaimer (Previews)", "Indemnity for Beta Services". What such a section says gives way
# to the general section on the topic, as a careful reader quotes the general rule.
_NARROWED = pattern(
    r"""\w*\W*(?:[\w-]+\s+){0,2}?(?:\(|for\s+|of\s+|on\s+)(?:the\s+|your\s+)?(?:use\s+of\s+)?
        (?:(?:the\s+)?api\b|beta|previews?\b|pre-?release
          |trials?\b|evaluations?\b|developer\s+products?|extensions?\b|plug-?ins?\b|marketplace
          |third[- ]party\s+(?:products?|services?|apps?|applications?|integrations?|offerings?
             |models?|tools?|extensions?|plug-?ins?))"""
)


@lru_cache(maxsize=2**14)
def narrowed(heading: Pattern, section_path: str) -> bool:
    """Is the heading on the topic narrowed to one feature ("... for API Use")?"""
    return any(
        _NARROWED.match(title, found.end())
        for title in section_path.split(SECTION_SEPARATOR)
        for found in heading.finditer(title)
    )


def affirm_or_deny(
    affirm: Pattern, deny: Pattern | None = None, skip: Pattern | None = None
) -> Reader:
    """A reader for a true/false fact: ``affirm`` states it, ``deny`` states its opposite.

    Within a clause the denial is read first ("will not be required to submit to binding
    arbitration" denies); across clauses an affirmation outranks a denial (terms that grant
    an indemnity and deny it for one preview feature still grant it). Clauses matching
    ``skip`` (carve-outs such as "Nothing in these terms limits liability for fraud") say
    nothing either way. A clause introducing a list ("... AGREE TO THE FOLLOWING ARBITRATION
    PROVISIONS:") affirms less than the provision itself, which is the quote a reader wants.
    """

    def read(clause: Clause, document: Document) -> Reading | None:
        text = clause.plain
        if skip and skip.search(text):
            return None
        if deny and deny.search(text):
            return Reading(False, rank=2)
        if affirm.search(text):
            return Reading(True, rank=1 if text.rstrip().endswith(":") else 0)
        return None

    return read


def yes_no(does: str, does_not: str, yes: tuple[str, str], no: tuple[str, str]) -> tuple:
    """The two values of a true/false fact: what the provider does (or not), and the matrix's
    (label, rating) of each."""
    return Value(True, *yes, does), Value(False, *no, does_not)
