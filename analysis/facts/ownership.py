"""Who owns the output: "you own the Output", "Suggestions are the property of Acme"."""

from __future__ import annotations

from termwatch.analysis.facts.engine import (
    FAVOURABLE,
    MIXED,
    UNFAVOURABLE,
    Clause,
    Document,
    Fact,
    Reading,
    Value,
)
from termwatch.analysis.facts.patterns import USER, pattern

_OUTPUT = (
    r"(?:outputs?|suggestions?|completions?|generations?"
    r"|generated\s+(?:code|content|text)|ai[- ]generated)"
)
_OWN = r"(?<!their\s)(?<!your\s)(?<!its\s)(?<!our\s)(?<!my\s)\bowns?\b"
_USER_OWNS = pattern(
    rf"""\b{USER}\b [^.;]{{0,100}}? {_OWN} [^.;]{{0,120}}? \b{_OUTPUT}\b
       | \b{USER}\s+retains?\s+(?:all\s+)?ownership\s+(?:rights\s+)?(?:of|in|to)\s+
         (?:the\s+|your\s+|all\s+|any\s+)?{_OUTPUT}\b"""
)
_PROVIDER_DISCLAIMS = pattern(
    rf"""(?:\b(?:does|do|will|shall)\s+not|\b(?:won't|won’t|doesn't|doesn’t|don't|don’t))\s+
         (?:claim\s+)?(?:any\s+)?own(?:ership)?\b
         [^.;]{{0,60}}? \b{_OUTPUT}\b
       | \bassigns?\s+to\s+{USER}\b [^.;]{{0,120}}? \b{_OUTPUT}\b
       | \b(?:grants?|transfers?)\s+to\s+{USER}\s+(?:all\s+)?(?:of\s+)?(?:its\s+|our\s+)?
         right,?\s+title,?\s+and\s+interest\b [^.;]{{0,80}}? \b{_OUTPUT}\b"""
)
_PROVIDER_OWNS = pattern(
    rf"""\b(?:we|us)\b (?:(?!\b(?:you|{USER})\b)[^.;]){{0,40}}? {_OWN} [^.;]{{0,80}}? \b{_OUTPUT}\b
       | \b{_OUTPUT}\b [^.;]{{0,60}}? \b(?:is|are|remains?|shall\s+be|will\s+be)\s+(?:the\s+)?
         (?:sole\s+(?:and\s+exclusive\s+)?|exclusive\s+)?property\s+of\s+(?:us|[A-Z])
       | \b{USER}\s+(?:hereby\s+)?assigns?\s+to\s+(?:us|[A-Z]\w+) [^.;]{{0,120}}? \b{_OUTPUT}\b"""
)
_JOINTLY_OWNED = pattern(
    rf"""\b(?:joint(?:ly)?|co-?)\s*own\w* [^.;]{{0,80}}? \b{_OUTPUT}\b
       | \b{_OUTPUT}\b [^.;]{{0,40}}? \b(?:joint(?:ly)?\s+|co-?)owned\b"""
)


_DISCLAIMS_THAT_CONTENT = pattern(
    r"""(?:\b(?:does|do|will|shall)\s+not|\b(?:won't|won’t|doesn't|doesn’t|don't|don’t))\s+
        claim\s+(?:any\s+)?ownership\s+(?:over|of|in|to)\s+(?:that|this|such|the\s+generated)\s+
        content\b"""
)
_GENERATED = pattern(r"\bgenerat\w*\b [^.;]{0,40}? \bcontent\b")


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
    # "Some of our services allow you to generate original content. Google won't claim
    # ownership over that content.": "that content" is the generated one named just before.
    if _DISCLAIMS_THAT_CONTENT.search(text) and any(
        _GENERATED.search(before.plain) for before in document.preceding(clause, 1)
    ):
        return Reading("user", rank=1)
    return None


OUTPUT_OWNER = Fact(
    "output_owner",
    "Who owns the code and other output the assistant generates.",
    "who owns the output",
    frozenset({"output_ownership", "input_license"}),
    pattern(r"owner|output|intellectual\s+property|content"),
    _read_output_owner,
    choices=(
        Value("user", "You", FAVOURABLE, "says the output belongs to you"),
        Value("shared", "Shared", MIXED, "says the output belongs to you and the provider jointly"),
        Value("provider", "The provider", UNFAVOURABLE, "says the output belongs to the provider"),
    ),
)
