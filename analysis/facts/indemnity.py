"""Indemnities: yours to the provider, and the provider's against IP claims."""

from __future__ import annotations

import re
from collections.abc import Mapping

from termwatch.analysis.facts.engine import (
    FAVOURABLE,
    UNFAVOURABLE,
    Answer,
    Clause,
    Document,
    Fact,
    Reading,
    affirm_or_deny,
    yes_no,
)
from termwatch.analysis.facts.patterns import USER, pattern

_USER_INDEMNIFIES = pattern(
    rf"""\b(?:{USER}|you['’]ll)\s+(?:(?!we\b|us\b)[\w,]+\s+|\(\w{{1,4}}\)\s+){{0,6}}?
         (?:indemnify|defend|hold\s+\w+\s+harmless)\b
      | \byour\s+(?:indemnity|indemnification)\s+obligations"""
)
_IP = pattern(r"\binfring|\bintellectual\s+property|\bmisappropriat|\bcopyrights?\b|\bpatents?\b")
_DEFENDS_USER = pattern(
    rf"""\b(?:defend|indemnify|hold\s+harmless|indemnify\s+and\s+hold)\b [^.;]{{0,40}}?
         \b(?:{USER}|you)\b(?!\s+(?:will|shall|agree|must))"""
)
_NO_PROVIDER_INDEMNITY = pattern(
    r"""\bno\s+(?:obligation|duty)\s+to\s+(?:defend|indemnify)
      | \b(?:we|us)\s+(?:do|does|will|shall)\s+not\s+(?:defend|indemnify)"""
)
_PROVIDER_OBLIGATIONS_APPLY = pattern(
    r"""\b(?:our|[A-Z]\w+(?:'s|’s))\s+(?:defense\s+and\s+)?indemnification\s+obligations\b
        [^.;]{0,80}? \bapply\s+to\s+(?:any\s+)?claims\b"""
)
_CLAIM_TERM = re.compile(r"\b([A-Z][\w-]*(?: [A-Z][\w-]*)? Claims?)\b")


def _read_provider_ip_indemnity(clause: Clause, document: Document) -> Reading | None:
    text = clause.plain
    if _NO_PROVIDER_INDEMNITY.search(text):
        return Reading(False, rank=1)
    if _PROVIDER_OBLIGATIONS_APPLY.search(text) and _IP.search(text):
        return Reading(True)  # "Acme's indemnification obligations ... apply to claims that ..."
    if _DEFENDS_USER.search(text) and not _USER_INDEMNIFIES.search(text):
        defined = (document.definitions.get(term.rstrip("s"), "") for term in _claim_terms(text))
        if _IP.search(text) or any(_IP.search(definition) for definition in defined):
            return Reading(True)
    return None


def _only_the_user_indemnifies(document: Document, answers: Mapping[str, Answer]) -> Answer | None:
    """The terms' only indemnity binds the user: the provider gives none, IP or other."""
    yours = answers["user_indemnifies_provider"]
    if yours.value is not True or yours.evidence is None:
        return None
    for clause in document.clauses:
        text = clause.plain
        if _DEFENDS_USER.search(text) and not _USER_INDEMNIFIES.search(text):
            return None  # the provider defends the user against something: not inferred
    return Answer(
        False, yours.evidence, reason="The only indemnity in the terms is the one you give."
    )


def _claim_terms(text: str) -> list[str]:
    return [match.group(1) for match in _CLAIM_TERM.finditer(text)]


USER_INDEMNIFIES_PROVIDER = Fact(
    "user_indemnifies_provider",
    "You must defend or indemnify the provider against claims arising from your use.",
    "whether you must indemnify it",
    frozenset({"user_indemnity"}),
    pattern(r"indemn"),
    affirm_or_deny(_USER_INDEMNIFIES),
    choices=yes_no(
        "requires you to indemnify it",
        "does not require you to indemnify it",
        ("Yes", UNFAVOURABLE),
        ("No", FAVOURABLE),
    ),
)
PROVIDER_IP_INDEMNITY = Fact(
    "provider_ip_indemnity",
    "The provider defends you against third-party intellectual-property claims, "
    "e.g. that the output infringes.",
    "whether it defends you against IP claims",
    frozenset({"provider_indemnity"}),
    pattern(r"indemn"),
    _read_provider_ip_indemnity,
    infer=_only_the_user_indemnifies,
    choices=yes_no(
        "defends you against intellectual property claims",
        "does not defend you against intellectual property claims",
        ("Yes", FAVOURABLE),
        ("No", UNFAVOURABLE),
    ),
)
