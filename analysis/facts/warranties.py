"""Warranties: does the service come "as is"?"""

from __future__ import annotations

from termwatch.analysis.facts.engine import (
    FAVOURABLE,
    UNFAVOURABLE,
    Clause,
    Document,
    Fact,
    Reading,
    yes_no,
)
from termwatch.analysis.facts.patterns import pattern

_WARRANTIES_DISCLAIMED = pattern(
    r"""["“]as[\s-]+is\b | \b(?:provided|offered|licensed|supplied|furnished|made\s+available)
        \b[^.;]{0,60}?\bas[\s-]+is\b | ["“]as[\s-]+available\b
      | \bdisclaim\w* [^.;]{0,80}? \bwarrant | \bwithout\s+(?:any\s+)?warrant
      | \bmakes?\s+no\s+(?:\w+\s+){0,3}?(?:warrant|representations?\s+or\s+warrant)
      | \b(?:does|do)\s+not\s+warrant\b | \bno\s+warranties\b"""
)
# Consumer terms that keep the warranties the law gives: "Nothing in these Terms affects your
# statutory rights", "we are under a legal duty to provide Services in conformity".
_STATUTORY_KEPT = pattern(
    r"""nothing\s+in\s+(?:these|this|the)\s+(?:\w+\s+){0,2}?(?:affects?|limits?|excludes?
          |restricts?|prejudices?)\s+(?:your\s+)?(?:statutory|legal|consumer|mandatory)\s+rights
      | \b(?:does|do|will|shall)\s+not\s+(?:affect|limit|exclude|restrict)\s+(?:your\s+)?
        (?:statutory|consumer|mandatory)\s+(?:warranty\s+)?rights
      | \blegal\s+(?:duty|obligation)\s+to\s+provide\b [^.;]{0,80}? \bconformity
      | \blegal\s+guarantee\s+of\s+conformity
      | \bstatutory\s+(?:warranty|guarantee|liability\s+for\s+defects)\s+(?:rights\s+)?
        (?:applies|apply|remains?|shall\s+apply)"""
)


def _read_warranties(clause: Clause, document: Document) -> Reading | None:
    """An "as is" disclaimer is ``True``; a clause keeping the statutory warranties is
    ``False`` and outranks it: a consumer keeps what the law gives, whatever "as is" says."""
    if _STATUTORY_KEPT.search(clause.plain):
        return Reading(False)
    if _WARRANTIES_DISCLAIMED.search(clause.plain):
        return Reading(True, rank=1)
    return None


WARRANTIES_DISCLAIMED = Fact(
    "warranties_disclaimed",
    "The service and its output come 'as is', without warranty.",
    "whether it disclaims warranties",
    frozenset({"warranty", "ltd"}),
    pattern(r"warrant|disclaim"),
    _read_warranties,
    choices=yes_no(
        "disclaims warranties",
        "does not disclaim warranties",
        ("Disclaimed (as is)", UNFAVOURABLE),
        ("Not disclaimed", FAVOURABLE),
    ),
)
