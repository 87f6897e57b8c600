"""The facts termwatch reads in a version of terms, each with the clause that states it.

A *fact* is the answer to a question a team adopting an AI coding assistant asks ("who owns
the generated code?", "is liability capped, and at what?"). This module is the one place
where the fact names, their allowed values and their definitions live (the site, the change
log and the JSON output all use these names), and where they are read from clauses.

Reading a fact takes two steps, the way a lawyer skims a contract:

1. *where to look*: the clauses labelled with the fact's categories (``ltd`` clauses for
   the liability cap, see ``analysis.taxonomy``), and the clauses of a section whose heading
   names the topic ("Limitation of Liability"), so a sentence the classifier missed in the
   right section is still read;
2. *what it says*: precise patterns on the clause's plain text read the value ("the greater
   of ... or $100" is a ``greater_of`` cap; "we do not use your code to train" is ``no``).

A fact no clause states is ``"unstated"`` with no evidence: termwatch never guesses. When
several clauses answer, the most specific reading wins (an explicit opt-out over a bare
licence grant that mentions training), then one in the section on the topic, then the first
in document order, so the same text always gives the same answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from analysis.segment import is_title, plain_text

UNSTATED = "unstated"


def _pattern(text: str) -> re.Pattern:
    return re.compile(text, re.IGNORECASE | re.VERBOSE)


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
class Answer:
    """A fact's value and the clause that supports it (None when unstated)."""

    value: Any
    evidence: Clause | None = None


@dataclass(frozen=True)
class Reading:
    """What one clause says about a fact; a lower ``rank`` is a more specific statement."""

    value: Any
    rank: int = 0


class Document:
    """The clauses of one version, and what readers may need beyond a single clause."""

    def __init__(self, clauses: Sequence[Clause]):
        self.clauses = list(clauses)

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


Reader = Callable[[Clause, Document], Reading | None]


@dataclass(frozen=True)
class Fact:
    """A question about the terms, where its answer is stated, and how to read it."""

    name: str
    values: str  # the allowed values, as shown to users
    definition: str  # one line, shown to users
    categories: frozenset[str]  # labels of the clauses that may state it
    heading: re.Pattern  # section headings whose clauses may state it
    read: Reader
    unstated: Any = UNSTATED

    def looks_at(self, clause: Clause) -> bool:
        return bool(clause.labels & self.categories) or _on_topic(self.heading, clause.section_path)

    def answer(self, document: Document) -> Answer:
        """The most specific reading; at equal rank, one from the section on the topic
        ("Disclaimer of Warranties" over a beta-features clause), then the first."""
        best: tuple[tuple[int, int, int], Any, Clause] | None = None
        for position, clause in enumerate(document.clauses):
            if not self.looks_at(clause) or states_nothing(clause.plain):
                continue
            reading = self.read(clause, document)
            if reading is None:
                continue
            off_topic = 0 if _on_topic(self.heading, clause.section_path) else 1
            order = (reading.rank, off_topic, position)
            if best is None or order < best[0]:
                best = (order, reading.value, clause)
        if best is None:
            return Answer(self.unstated)
        return Answer(best[1], best[2])


# Clauses that name a topic without committing to anything: a table-of-contents entry
# ("O. Disclaimer of Warranties"), a survival list ("warranty disclaimers ... survive
# termination"), a saving clause ("some states do not allow the exclusion of ...").
_MENTIONS_ONLY = _pattern(
    r"""\bsurviv\w*\b
      | \b(?:do|does)\s+not\s+(?:allow|permit)\s+(?:the\s+)?(?:exclusion|disclaimer|limitation)"""
)


@lru_cache(maxsize=2**16)
def states_nothing(text: str) -> bool:
    """True for a clause that mentions a topic without stating anything about it."""
    return is_title(text) or bool(_MENTIONS_ONLY.search(text))


@lru_cache(maxsize=2**14)
def _on_topic(heading: re.Pattern, section_path: str) -> bool:
    """Is a clause in a section on the topic? Paths repeat in every clause and version."""
    return bool(heading.search(section_path))


def extract_facts(clauses: Sequence[Clause]) -> dict[str, Answer]:
    """Every fact of ``FACTS`` for one version, given its clauses in document order."""
    document = Document(clauses)
    return {name: fact.answer(document) for name, fact in FACTS.items()}


_DEFINITION = re.compile(r"[\"“](?P<term>[A-Z][\w -]{2,40}?)[\"”]\s+(?:means|refers to|shall mean)")
_NEGATION = r"(?:not|never|no|neither|nor)"
_USER = r"(?:you|customers?|users?|licensees?|developers?|subscribers?)"


# --- output ownership ------------------------------------------------------------------------

_OUTPUT = (
    r"(?:outputs?|suggestions?|completions?|generations?"
    r"|generated\s+(?:code|content|text)|ai[- ]generated)"
)
_OWN = r"(?<!their\s)(?<!your\s)(?<!its\s)(?<!our\s)(?<!my\s)\bowns?\b"
_USER_OWNS = _pattern(
    rf"""\b{_USER}\b [^.;]{{0,100}}? {_OWN} [^.;]{{0,120}}? \b{_OUTPUT}\b
       | \b{_USER}\s+retains?\s+(?:all\s+)?ownership\s+(?:rights\s+)?(?:of|in|to)\s+
         (?:the\s+|your\s+|all\s+|any\s+)?{_OUTPUT}\b"""
)
_PROVIDER_DISCLAIMS = _pattern(
    rf"""\b(?:does|do|will|shall)\s+not\s+(?:claim\s+)?(?:any\s+)?own(?:ership)?\b
         [^.;]{{0,60}}? \b{_OUTPUT}\b
       | \bassigns?\s+to\s+{_USER}\b [^.;]{{0,120}}? \b{_OUTPUT}\b"""
)
_PROVIDER_OWNS = _pattern(
    rf"""\b(?:we|us)\b (?:(?!\b(?:you|{_USER})\b)[^.;]){{0,40}}? {_OWN} [^.;]{{0,80}}? \b{_OUTPUT}\b
       | \b{_OUTPUT}\b [^.;]{{0,60}}? \b(?:is|are|remains?|shall\s+be|will\s+be)\s+(?:the\s+)?
         (?:sole\s+(?:and\s+exclusive\s+)?|exclusive\s+)?property\s+of\s+(?:us|[A-Z])
       | \b{_USER}\s+(?:hereby\s+)?assigns?\s+to\s+(?:us|[A-Z]\w+) [^.;]{{0,120}}? \b{_OUTPUT}\b"""
)
_JOINTLY_OWNED = _pattern(
    rf"""\b(?:joint(?:ly)?|co-?)\s*own\w* [^.;]{{0,80}}? \b{_OUTPUT}\b
       | \b{_OUTPUT}\b [^.;]{{0,40}}? \b(?:joint(?:ly)?\s+|co-?)owned\b"""
)


def _read_output_owner(clause: Clause, document: Document) -> Reading | None:
    text = clause.plain
    if _JOINTLY_OWNED.search(text):
        return Reading("shared")
    user, provider = _USER_OWNS.search(text), _PROVIDER_OWNS.search(text)
    if user and provider:
        return Reading("shared")
    if user:
        return Reading("user")
    if provider:
        return Reading("provider")
    if _PROVIDER_DISCLAIMS.search(text):  # "GitHub does not own Suggestions": less explicit
        return Reading("user", rank=1)
    return None


# --- liability cap ---------------------------------------------------------------------------

_NUMBER_WORD = (
    r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy"
    r"|eighty|ninety|hundred|thousand|million)"
)
_NUMBER_WORDS = rf"{_NUMBER_WORD}(?:[\s-]+(?:and\s+)?{_NUMBER_WORD})*"
_CODE = r"(?:USD|EUR|GBP|AUD|CAD|CHF|SGD|JPY|INR)"
_FIGURE = r"\d[\d,]*(?:\.\d+)?"
_SYMBOL_AMOUNT = rf"(?:(?:U\.?S\.?|{_CODE}|A|C)\s?)?[$€£]\s?{_FIGURE}"
_CODE_AMOUNT = rf"{_CODE}\s?{_FIGURE}|{_FIGURE}\s?{_CODE}\b"
_CURRENCY_WORDS = r"(?:(?:U\.?S\.?|United\s+States)\s+)?(?:dollars?|euros?|pounds?(?:\s+sterling)?)"
# "$100", "US $500", "USD 100", "€100", "$500 (five hundred) USD",
# "one hundred U.S. dollars (US$100)", "ONE HUNDRED DOLLARS ($100)", "100 euros".
_AMOUNT = _pattern(
    rf"""(?:{_NUMBER_WORDS}|{_FIGURE})\s+{_CURRENCY_WORDS}
         (?:\s*\(\s*(?:{_SYMBOL_AMOUNT}(?:\s?{_CODE}\b)?|{_CODE_AMOUNT})\s*\))?
       | {_SYMBOL_AMOUNT}(?:\s*\(\s*{_NUMBER_WORDS}\s*\))?(?:\s?{_CODE}\b)?
       | {_CODE_AMOUNT}"""
)
# "the amount you paid us in the 12 months before the claim", "the fees paid by Customer...".
_FEES_PAID = _pattern(
    rf"""\b(?:the\s+)?(?:total\s+|aggregate\s+)?(?:amounts?|fees?|sums?|charges)\s+
         (?:(?:actually|that|which)\s+)?(?:(?:{_USER}|you)\s+(?:have\s+|has\s+)?(?:actually\s+)?)?
         (?:paid|payable|pays?)\b"""
)
# Where the formula ends: the next alternative, a clause break or the end of the sentence.
_FORMULA_END = _pattern(
    rf""",?\s+or,?\s+if\s+greater | ,?\s+whichever\s+is | ,?\s*(?:or|and)\s+\(\s*[a-z]{{1,3}}\s*\)
       | ,?\s+(?:or|and)\s+(?=(?:{_AMOUNT.pattern})) | ; | \.(?:\s|$) | $"""
)
_CAP = _pattern(
    r"""\b(?:aggregate|total|maximum|entire|cumulative|overall|collective)\s+liabilit
      | \bliabilit\w* [^.;]{0,500}? \b(?:exceed\w*|limited\s+to|capped\s+at|up\s+to)\b
      | \bliable\b [^.;]{0,300}? \bexceed\w*"""
)
_USERS_CAP = _pattern(rf"\b(?:your|{_USER}(?:'s|’s|s'|s’))\s+(?:\w+\s+)?liabilit")
_PROVIDERS_CAP = _pattern(
    r"\b(?:our|either\s+party's|either\s+party’s|each\s+party's|each\s+party’s)\b"
    r"|\bliabilit\w*\s+(?:\w+\s+){0,4}?to\s+(?:you|customer)"
)
_GREATER = _pattern(r"\bgreater\s+of\b|\bif\s+greater\b|\bwhichever\s+is\s+(?:greater|higher|more)")
_LESSER = _pattern(r"\b(?:lesser|less)\s+of\b|\bwhichever\s+is\s+(?:less|lower|smaller)")
_UNCAPPED = _pattern(
    r"""\bunlimited\s+liabilit
      | \bliabilit\w*\s+(?:\w+\s+){0,4}?(?:is|are|shall\s+be|will\s+be)\s+unlimited
      | \bno\s+(?:limit|cap)\s+(?:on|to)\s+(?:our|its|the\s+provider's)\s+liabilit"""
)


@dataclass(frozen=True)
class Cap:
    """A liability cap as a clause states it: its kind and what it is made of."""

    kind: str  # see the values of liability_cap_kind
    amounts: list[str] = field(default_factory=list)  # as written


def read_cap(text: str) -> Cap | None:
    """The cap a clause sets on the provider's liability, if it sets one."""
    if _USERS_CAP.search(text) and not _PROVIDERS_CAP.search(text):
        return None  # "your total liability to us shall not exceed ...": not the question
    if _UNCAPPED.search(text):
        return Cap("uncapped")
    cap = _CAP.search(text)
    if not cap:
        return None
    amounts = _cap_amounts(text[cap.start() :])
    if not amounts:
        return None  # "our liability is limited to the extent permitted by law": no cap read
    if _GREATER.search(text):
        kind = "greater_of"
    elif _LESSER.search(text):
        kind = "lesser_of"
    elif any(_FEES_PAID.match(amount) for amount in amounts):
        kind = "fees_paid"
    else:
        kind = "fixed"
    return Cap(kind, amounts)


def _cap_amounts(text: str) -> list[str]:
    """Amounts and fee formulas, as written, in the order they appear."""
    spans = []
    for formula in _FEES_PAID.finditer(text):
        end = _FORMULA_END.search(text, formula.end()).start()
        spans.append((formula.start(), end))
    for amount in _AMOUNT.finditer(text):
        if not any(start <= amount.start() < end for start, end in spans):
            spans.append(amount.span())
    return [text[start:end].strip(" ,:") for start, end in sorted(spans)]


_OVERALL = _pattern(r"\b(?:aggregate|total|maximum|entire|cumulative)\b")


def _cap_reader(part: Callable[[Cap], Any]) -> Reader:
    """A reader of one side of the cap; both sides rank clauses alike, so they agree."""

    def read(clause: Clause, document: Document) -> Reading | None:
        cap = read_cap(clause.plain)
        if cap is None:
            return None
        # The overall cap ("our total liability") before a cap on one feature or service.
        return Reading(part(cap), rank=0 if _OVERALL.search(clause.plain) else 1)

    return read


# --- yes/no facts ----------------------------------------------------------------------------


def _yes_no(affirm: re.Pattern, deny: re.Pattern | None = None, skip: re.Pattern | None = None):
    """A reader for a true/false fact: ``affirm`` states it, ``deny`` states its opposite.

    Within a clause the denial is read first ("will not be required to submit to binding
    arbitration" denies); across clauses an affirmation outranks a denial (terms that grant
    an indemnity and deny it for one preview feature still grant it). Clauses matching
    ``skip`` (carve-outs such as "Nothing in these terms limits liability for fraud") say
    nothing either way.
    """

    def read(clause: Clause, document: Document) -> Reading | None:
        text = clause.plain
        if skip and skip.search(text):
            return None
        if deny and deny.search(text):
            return Reading(False, rank=1)
        if affirm.search(text):
            return Reading(True)
        return None

    return read


_CARVE_OUT = _pattern(
    r"""\bnothing\s+in\s+(?:these|this|the)\b
      | \b(?:does|do|shall|will)\s+not\s+(?:limit|exclude|affect)\s+(?:or\s+exclude\s+)?
        (?:our|any|your)?\s*liabilit"""
)
_CONSEQUENTIAL = _pattern(
    rf"""(?:\b{_NEGATION}\b [^.;]{{0,80}}? \bliab | \bin\s+no\s+event\b
         | \bunder\s+no\s+circumstances\b | \bexclud | \bdisclaim | \bwaive)
         [^;]*? \b(?:indirect|consequential|incidental|special|exemplary|punitive)\b
         [^.;]{{0,60}}? \b(?:damages|losses)\b"""
)
_WARRANTIES_DISCLAIMED = _pattern(
    r"""["“]as[\s-]+is\b | \b(?:provided|offered|licensed|supplied|furnished|made\s+available)
        \b[^.;]{0,60}?\bas[\s-]+is\b | ["“]as[\s-]+available\b
      | \bdisclaim\w* [^.;]{0,80}? \bwarrant | \bwithout\s+(?:any\s+)?warrant
      | \bmakes?\s+no\s+(?:\w+\s+){0,3}?(?:warrant|representations?\s+or\s+warrant)
      | \b(?:does|do)\s+not\s+warrant\b | \bno\s+warranties\b"""
)
_USER_INDEMNIFIES = _pattern(
    rf"""\b{_USER}\s+(?:(?!we\b|us\b)[\w,]+\s+){{0,6}}?(?:indemnify|defend|hold\s+\w+\s+harmless)\b
      | \byour\s+(?:indemnity|indemnification)\s+obligations"""
)
_IP = _pattern(r"\binfring|\bintellectual\s+property|\bmisappropriat|\bcopyrights?\b|\bpatents?\b")
_DEFENDS_USER = _pattern(
    rf"""\b(?:defend|indemnify|hold\s+harmless|indemnify\s+and\s+hold)\b [^.;]{{0,40}}?
         \b(?:{_USER}|you)\b(?!\s+(?:will|shall|agree|must))"""
)
_NO_PROVIDER_INDEMNITY = _pattern(
    r"""\bno\s+(?:obligation|duty)\s+to\s+(?:defend|indemnify)
      | \b(?:we|us)\s+(?:do|does|will|shall)\s+not\s+(?:defend|indemnify)"""
)
_CLAIM_TERM = re.compile(r"\b([A-Z][\w-]*(?: [A-Z][\w-]*)? Claims?)\b")


def _read_provider_ip_indemnity(clause: Clause, document: Document) -> Reading | None:
    text = clause.plain
    if _NO_PROVIDER_INDEMNITY.search(text):
        return Reading(False, rank=1)
    if _DEFENDS_USER.search(text) and not _USER_INDEMNIFIES.search(text):
        defined = (document.definitions.get(term.rstrip("s"), "") for term in _claim_terms(text))
        if _IP.search(text) or any(_IP.search(definition) for definition in defined):
            return Reading(True)
    return None


def _claim_terms(text: str) -> list[str]:
    return [match.group(1) for match in _CLAIM_TERM.finditer(text)]


_ARBITRATION = _pattern(
    r"""\bbinding\s+(?:individual\s+)?arbitration\b
      | \b(?:resolved|settled|decided|determined|heard)\s+
        (?:exclusively\s+|solely\s+|finally\s+|only\s+)?(?:by|through|in)\s+
        (?:final\s+(?:and\s+)?)?(?:binding\s+)?(?:individual\s+)?arbitration\b
      | \bagree\w*\s+to\s+arbitrate
      | \bsubmit\w*\s+to\s+(?:final\s+(?:and\s+)?)?(?:binding\s+)?arbitration
      | \barbitration\s+agreement\b | \bfederal\s+arbitration\s+act\b"""
)
_NO_ARBITRATION = _pattern(
    rf"""\b{_NEGATION}\b\s+(?:be\s+)?(?:required|subject|obliged)\s+to\s+(?:\w+\s+){{0,2}}?
         (?:binding\s+)?arbitrat"""
)
_CLASS_ACTION_WAIVER = _pattern(
    r"""\bclass[- ]action\s+waiver | \bwaive\w* [^.;]{0,80}? \bclass\b
      | \b(?:only|solely)\s+(?:on|in)\s+(?:an?\s+|their\s+|your\s+)?individual\s+(?:basis|capacity)
      | \bnot\s+as\s+(?:a\s+)?(?:plaintiff|class\s+member)
      | \bno\s+class\s+(?:actions?|arbitrations?)
      | \bmay\s+not\s+(?:bring|participate) [^.;]{0,60}? \bclass\b"""
)


# --- training on your content ----------------------------------------------------------------

# Training models, not training staff: "personnel are properly trained" says nothing.
_TRAINING = _pattern(
    r"""\btrain(?:s|ing)?\b(?!\s+(?:materials?|sessions?|courses?|programs?|videos?))
      | \btrained\s+(?:on|with|using)\b
      | \b(?:improve|develop)\s+(?:our\s+|the\s+|its\s+)?(?:ai\s+)?models\b"""
)
# The user's content: "your data", "Customer Data", or a noun that in these terms always
# means what the user submits or receives ("Content", "Inputs", "Suggestions").
_USER_CONTENT = _pattern(
    rf"""\b(?:your|{_USER}(?:'s|’s|s'|s’)?)\s+(?:\w+\s+){{0,2}}?
         (?:content|data|code|inputs?|prompts?|materials?|conversations?|chats?|outputs?
           |suggestions?|files?|repositor(?:y|ies)|information|feedback)\b
       | \b(?:content|inputs?|outputs?|materials|prompts?|suggestions|conversations)\b"""
)
# "You may not use Output to develop models that compete with us": a rule for the user.
_USER_RESTRICTION = _pattern(
    rf"""\b{_USER}\s+(?:(?:may|must|shall|will|can)\s+not|won't|cannot|agrees?\s+not\s+to
         |(?:may|must|shall|will)\s+not\s+and\s+must\s+not)\b
       | \bwithout\s+(?:\w+\s+){{0,2}}(?:authori[sz]ation|permission|consent)\s+from
       | \bin\s+violation\s+of
       | \bcompet\w*                    # "... models that compete with us"
       | \bautomated\s+means\b | \bscrap\w*  # rules for scrapers, not for your content"""
)
# "If you choose to enable zero retention, we will not train": the user acts to stop it.
_IF_YOU_ACT = _pattern(
    r"""\b(?:if|when|where)\s+you\s+(?:have\s+)?
        (?:allow|agree|consent|choose|enable|instruct|permit)"""
)
_OPT_IN = _pattern(
    r"""\bopt(?:s|ed|ing)?[- ]?in\b
      | \bunless\s+you(?:\s+have|’ve|'ve)?\s+(?:\w+ly\s+)?
        (?:instruct|consent|agree|allow|choose|enable|permit|opt)
      | \bwith\s+your\s+(?:prior\s+|explicit\s+|express\s+)?(?:consent|permission)"""
)
_OPT_OUT = _pattern(
    r"""\bopt(?:s|ed|ing)?[- ]?out\b
      | \bunless\s+you\s+(?:turn\s+off|disable|object)
      | \binstruct\s+(?:us|[A-Z]\w*)\s+not\s+to\s+use\b
      | \bdo\s+not\s+want\s+(?:us\s+to\s+use\s+)?your\b"""
)
_NOT_TRAINED = _pattern(
    r"""\b(?:do|does|will|shall|would|may)\s+not\s+(?:\w+\s+){0,2}?(?:use|train|collect)\b
      | \b(?:never|don't|doesn't|won't)\s+(?:\w+\s+)?(?:use|train)\b
      | \bnot\s+(?:be\s+)?used\s+(?:\w+\s+){0,3}?(?:to|for)\b"""
)
# "You can select whether your Content is used for training": a choice, default unsaid.
_CHOICE = _pattern(
    r"""\b(?:elect|select|choose|decide)\w*\s+whether | \bmanage\s+your\s+preferences"""
)
# "You may instruct us not to use your Content for service improvement (opt-out)".
_IMPROVEMENT = _pattern(r"\bimprov\w*")
_USES = _pattern(r"\b(?:use[sd]?|using|collect\w*|analy[sz]\w*|licen[sc]e|grant\w*|leverag\w*)\b")
# Most specific first: a clause naming the user's choice says more than a bare yes or no,
# and an explicit "we do not train" more than licence grants mentioning training in passing.
_TRAINING_RANKS = {"opt-out": 0, "opt-in": 1, "no": 2, "yes": 3}


def _read_training(clause: Clause, document: Document) -> Reading | None:
    text = clause.plain
    training = [match.start() for match in _TRAINING.finditer(text)]
    about_training = bool(training) or bool(_OPT_OUT.search(text) and _IMPROVEMENT.search(text))
    if not (about_training and _USER_CONTENT.search(text)):
        return None
    if _USER_RESTRICTION.search(text) or _CHOICE.search(text):
        return None
    if _OPT_OUT.search(text):
        value = "opt-out"
    elif _OPT_IN.search(text):
        value = "opt-in"
    elif _IF_YOU_ACT.search(text):
        value = "opt-out" if _NOT_TRAINED.search(text) else "opt-in"
    elif _NOT_TRAINED.search(text):
        value = "no"
    elif any(use.start() < max(training) for use in _USES.finditer(text)):
        value = "yes"  # a use of the content, then what it is used for
    else:
        return None  # "we publish how our models are trained": says nothing about yours
    return Reading(value, rank=_TRAINING_RANKS[value])


# --- governing law ---------------------------------------------------------------------------

# A jurisdiction as written, up to what follows it ("..., without regard to conflict of laws").
_JURISDICTION = r"""(?:the\s+)?(?P<{group}>[^,;.()\[\]]{{2,80}}?)
    (?=\s*(?:[,;.()\[\]]|$)
       |\s+(?:without|excluding|except|regardless|notwithstanding|as\s+applied|applicable|apply
             |applies|to\s+the\s+exclusion|will|shall|govern\w*|insofar|in\s+all|unless|if|including
             |with\s+respect|for\s+all|that|and\s+(?:the\s+)?(?:courts?|any|you|your|construed
             |interpreted))\b)"""
# Any character up to the end of the sentence; "U.S.A." does not end it.
_SAME_SENTENCE = r"(?:[^.;]|\.(?=[\w,)]))"
_LAWS_OF = _pattern(
    rf"""\bgovern\w*\b {_SAME_SENTENCE}{{0,80}}?
         \blaws?\s+of\s+{_JURISDICTION.format(group="place")}
       | \blaws?\s+of\s+{_JURISDICTION.format(group="place2")} {_SAME_SENTENCE}{{0,80}}?
         \b(?:govern|shall\s+apply|will\s+apply|applies)"""
)
_ANY_LAWS_OF = _pattern(rf"\blaws?\s+of\s+{_JURISDICTION.format(group='place')}")
_DEFAULT_REGION = _pattern(r"\b(?:all\s+other|otherwise|elsewhere|rest\s+of\s+the\s+world)\b")
_NAMED_LAW = re.compile(
    r"\b[Gg]overned\s+(?:exclusively\s+)?by\s+(?:the\s+)?(?P<place>(?:[A-Z][\w.]*\s+){1,3})law\b"
    r"|\b(?P<place2>(?:[A-Z][\w.]*\s+){1,3})law\s+(?:will\s+|shall\s+)?governs?\b"
)
_CONDITION = _pattern(r"\W*(?:\(\w+\)\s*)?(?:if|for\s+such|where|when|in\s+case)\b")
_FEDERAL = re.compile(r"^(?:the\s+)?(?:United\s+States(?:\s+of\s+America)?|U\.S\.A?\.?|USA)$", re.I)
_LAW_HEADING = _pattern(
    r"govern\w*\s+law|choice\s+of\s+law|applicable\s+law|law\s+and\s+jurisdiction"
)


def read_governing_law(text: str) -> str | None:
    """The jurisdiction whose law governs, as written ("State of California", "Irish law")."""
    laws_of = _LAWS_OF.search(text)
    if laws_of:
        place = laws_of.group("place") or laws_of.group("place2")
        # "(i) for Customers in the EEA, the Laws of Ireland; and (ii) for all other
        # Customers, the laws of the State of California": the default one is the main one.
        for other in _ANY_LAWS_OF.finditer(text):
            if _DEFAULT_REGION.search(text, max(0, other.start() - 60), other.start()):
                place = other.group("place")
        # "the federal laws of the United States of America and the laws of the State of
        # California": the state is the one that settles contract disputes.
        places = re.split(r"\s+and\s+(?:the\s+)?(?:laws?\s+of\s+)?(?:the\s+)?", place.strip())
        if len(places) > 1 and _FEDERAL.match(places[0]):
            return " and ".join(places[1:])
        return place.strip()
    named = _NAMED_LAW.search(text)
    if named:
        return f"{(named.group('place') or named.group('place2')).strip()} law"
    return None


def _read_governing_law(clause: Clause, document: Document) -> Reading | None:
    place = read_governing_law(clause.plain)
    if place is None:
        return None
    # "If you are a U.S. federal government entity, the laws of ... apply instead": an
    # exception, after the main rule.
    return Reading(place, rank=1 if _CONDITION.match(clause.plain) else 0)


# --- notice of changes -----------------------------------------------------------------------

_DAYS = _pattern(
    rf"""(?:{_NUMBER_WORDS}\s*\(\s*(?P<figure>\d+)\s*\) | (?P<digits>\d+)
         | (?P<spelled>{_NUMBER_WORDS}))[\s-]+(?:calendar\s+|business\s+|working\s+)?days?\b"""
)
_CHANGE = _pattern(r"\b(?:chang|modif|amend|updat|revis)\w*")
_OF_THE_TERMS = _pattern(r"\b(?:terms|agreement|policy|policies|conditions|rights|obligations)\b")
_SERVICE = _pattern(r"\bservices?\b")
_NOTICE = _pattern(
    r"\bnotice\b|\bnotif|\bprior\s+to\b|\bin\s+advance\b|\badvance\b|\bbefore\b"
    r"|\b(?:come|comes|take|takes)\s+(?:into\s+)?effect\b|\beffective\b"
)
_UNITS = {
    word: value
    for value, word in enumerate(
        (
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        )
    )
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}


def words_to_number(words: str) -> int:
    """ "thirty" -> 30, "forty-five" -> 45, "one hundred" -> 100."""
    total = current = 0
    for word in re.split(r"[\s-]+", words.lower()):
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in ("thousand", "million"):
            total += (current or 1) * (1000 if word == "thousand" else 1_000_000)
            current = 0
    return total + current


def read_notice_days(text: str) -> int | None:
    """The days of notice given before a change, if the clause gives a number."""
    for days in _DAYS.finditer(text):
        if re.search(r"\bwithin\s+$", text[: days.start()], re.I):
            continue  # "you may object within 30 days": the user's deadline, not notice
        if days.group("figure") or days.group("digits"):
            return int(days.group("figure") or days.group("digits"))
        return words_to_number(days.group("spelled"))
    return None


def _read_notice_days(clause: Clause, document: Document) -> Reading | None:
    text = clause.plain
    if not (_CHANGE.search(text) and _NOTICE.search(text)):
        return None
    days = read_notice_days(text)
    if days is None:
        return None
    # Notice of changes to the terms before notice of changes to the service; notice of
    # price changes is not notice of changed terms.
    if _OF_THE_TERMS.search(text):
        return Reading(days)
    if _SERVICE.search(text):
        return Reading(days, rank=1)
    return None


# --- the facts -------------------------------------------------------------------------------

_LIABILITY = _pattern(r"liabilit|damages")

FACTS: dict[str, Fact] = {
    fact.name: fact
    for fact in [
        Fact(
            "output_owner",
            "user / provider / shared / unstated",
            "Who owns the code and other output the assistant generates.",
            frozenset({"output_ownership", "input_license"}),
            _pattern(r"owner|output|intellectual\s+property|content"),
            _read_output_owner,
        ),
        Fact(
            "liability_cap_kind",
            "fixed / fees_paid / greater_of / lesser_of / uncapped / unstated",
            "How the provider's total liability to you is capped: a fixed sum, the fees you "
            "paid, the greater or lesser of both, or not at all.",
            frozenset({"ltd"}),
            _LIABILITY,
            _cap_reader(lambda cap: cap.kind),
        ),
        Fact(
            "liability_cap_amounts",
            'list of amounts or formulas as written, e.g. ["USD 100"]; [] when none',
            "The sums and formulas the liability cap is made of, as written.",
            frozenset({"ltd"}),
            _LIABILITY,
            _cap_reader(lambda cap: cap.amounts),
            unstated=[],
        ),
        Fact(
            "consequential_damages_excluded",
            'true / false / "unstated"',
            "The provider excludes liability for indirect, consequential or special damages "
            "(lost profits, lost data, ...).",
            frozenset({"ltd"}),
            _LIABILITY,
            _yes_no(_CONSEQUENTIAL, skip=_CARVE_OUT),
        ),
        Fact(
            "warranties_disclaimed",
            'true / false / "unstated"',
            "The service and its output come 'as is', without warranty.",
            frozenset({"warranty", "ltd"}),
            _pattern(r"warrant|disclaim"),
            _yes_no(_WARRANTIES_DISCLAIMED),
        ),
        Fact(
            "user_indemnifies_provider",
            'true / false / "unstated"',
            "You must defend or indemnify the provider against claims arising from your use.",
            frozenset({"user_indemnity"}),
            _pattern(r"indemn"),
            _yes_no(_USER_INDEMNIFIES),
        ),
        Fact(
            "provider_ip_indemnity",
            'true / false / "unstated"',
            "The provider defends you against third-party intellectual-property claims, "
            "e.g. that the output infringes.",
            frozenset({"provider_indemnity"}),
            _pattern(r"indemn"),
            _read_provider_ip_indemnity,
        ),
        Fact(
            "trains_on_user_content",
            "yes / no / opt-out / opt-in / unstated",
            "Whether the provider trains its models on your prompts, code or output, and "
            "whether you must opt out or opt in.",
            frozenset({"training", "input_license"}),
            _pattern(r"train|your\s+data|content|\bai\b|machine\s+learning|models"),
            _read_training,
        ),
        Fact(
            "arbitration",
            'true / false / "unstated"',
            "Disputes go to binding arbitration instead of court.",
            frozenset({"a", "j", "law"}),
            _pattern(r"arbitrat|dispute"),
            _yes_no(_ARBITRATION, deny=_NO_ARBITRATION),
        ),
        Fact(
            "class_action_waiver",
            'true / false / "unstated"',
            "You waive the right to bring or join a class action.",
            frozenset({"a", "j"}),
            _pattern(r"arbitrat|dispute|class"),
            _yes_no(_CLASS_ACTION_WAIVER),
        ),
        Fact(
            "governing_law",
            'the jurisdiction as written, e.g. "State of California"; "unstated"',
            "Which jurisdiction's law governs the terms.",
            frozenset({"law", "j"}),
            _LAW_HEADING,
            _read_governing_law,
        ),
        Fact(
            "change_notice_days",
            'a number of days; "unstated"',
            "How many days of notice the provider gives before changed terms apply to you.",
            frozenset({"ch"}),
            _pattern(r"chang|modif|amend|updat"),
            _read_notice_days,
        ),
    ]
}
