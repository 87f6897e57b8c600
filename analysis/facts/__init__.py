"""The facts termwatch reads in a version of terms, each with the clause that states it.

A *fact* is the answer to a question a team adopting an AI coding assistant asks ("who owns
the generated code?", "is liability capped, and at what?"). This package is the one place
where the fact names, their values, the words for each value and their definitions live
(the site, the change log and the JSON output all use them), and where they are read:

- ``engine``: how facts are looked for, read, chosen among clauses, inferred and explained;
- one module per group of facts (``ownership``, ``liability``, ``warranties``,
  ``indemnity``, ``training``, ``disputes``, ``notice``): the patterns a careful reader
  uses, and each fact's declaration with its values;
- ``normalise``: one comparable form for two wordings of the same answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from termwatch.analysis.facts.disputes import (
    ARBITRATION,
    CLASS_ACTION_WAIVER,
    GOVERNING_LAW,
    read_governing_law,
)
from termwatch.analysis.facts.engine import (
    CONFLICTING,
    INFERRED,
    STATED,
    UNSTATED,
    Answer,
    Clause,
    Fact,
    FactError,
    Value,
    comparable_words,
    extract,
    states_nothing,
)
from termwatch.analysis.facts.indemnity import PROVIDER_IP_INDEMNITY, USER_INDEMNIFIES_PROVIDER
from termwatch.analysis.facts.liability import (
    CONSEQUENTIAL_DAMAGES_EXCLUDED,
    LIABILITY_CAP_AMOUNTS,
    LIABILITY_CAP_KIND,
    read_cap,
)
from termwatch.analysis.facts.notice import CHANGE_NOTICE_DAYS, read_notice_days
from termwatch.analysis.facts.ownership import OUTPUT_OWNER
from termwatch.analysis.facts.patterns import words_to_number
from termwatch.analysis.facts.training import TRAINS_ON_USER_CONTENT
from termwatch.analysis.facts.warranties import WARRANTIES_DISCLAIMED

# In the order the JSON output, the matrix and the history list them.
FACTS: dict[str, Fact] = {
    fact.name: fact
    for fact in (
        OUTPUT_OWNER,
        LIABILITY_CAP_KIND,
        LIABILITY_CAP_AMOUNTS,
        CONSEQUENTIAL_DAMAGES_EXCLUDED,
        WARRANTIES_DISCLAIMED,
        USER_INDEMNIFIES_PROVIDER,
        PROVIDER_IP_INDEMNITY,
        TRAINS_ON_USER_CONTENT,
        ARBITRATION,
        CLASS_ACTION_WAIVER,
        GOVERNING_LAW,
        CHANGE_NOTICE_DAYS,
    )
}


def extract_facts(clauses: Sequence[Clause]) -> dict[str, Answer]:
    """Every fact of ``FACTS`` for one version, given its clauses in document order."""
    return extract(FACTS, clauses)


def comparable(name: str, value: Any) -> Any:
    """The form in which two wordings of the same answer are equal ("State of California"
    and "California law"; "US $100" and "USD 100"), for any fact name.

    The one comparison the matrix, the change log, the feed and the evaluation share; a
    name termwatch does not know compares by its words (spacing and case aside).
    """
    fact = FACTS.get(name)
    if fact is None:
        return comparable_words(value)
    return fact.comparable(value)


__all__ = [
    "CONFLICTING",
    "FACTS",
    "INFERRED",
    "STATED",
    "UNSTATED",
    "Answer",
    "Clause",
    "Fact",
    "FactError",
    "Value",
    "comparable",
    "extract_facts",
    "read_cap",
    "read_governing_law",
    "read_notice_days",
    "states_nothing",
    "words_to_number",
]
