"""Warranties: does the service come "as is"?"""

from __future__ import annotations

from analysis.facts.engine import FAVOURABLE, UNFAVOURABLE, Fact, affirm_or_deny, yes_no
from analysis.facts.patterns import pattern

_WARRANTIES_DISCLAIMED = pattern(
    r"""["“]as[\s-]+is\b | \b(?:provided|offered|licensed|supplied|furnished|made\s+available)
        \b[^.;]{0,60}?\bas[\s-]+is\b | ["“]as[\s-]+available\b
      | \bdisclaim\w* [^.;]{0,80}? \bwarrant | \bwithout\s+(?:any\s+)?warrant
      | \bmakes?\s+no\s+(?:\w+\s+){0,3}?(?:warrant|representations?\s+or\s+warrant)
      | \b(?:does|do)\s+not\s+warrant\b | \bno\s+warranties\b"""
)


WARRANTIES_DISCLAIMED = Fact(
    "warranties_disclaimed",
    "The service and its output come 'as is', without warranty.",
    "whether it disclaims warranties",
    frozenset({"warranty", "ltd"}),
    pattern(r"warrant|disclaim"),
    affirm_or_deny(_WARRANTIES_DISCLAIMED),
    choices=yes_no(
        "disclaims warranties",
        "does not disclaim warranties",
        ("Disclaimed (as is)", UNFAVOURABLE),
        ("Not disclaimed", FAVOURABLE),
    ),
)
