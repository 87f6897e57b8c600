"""Notice of changes: how many days before changed terms apply to you."""

from __future__ import annotations

import re

from termwatch.analysis.facts.engine import (
    FAVOURABLE,
    MIXED,
    UNFAVOURABLE,
    Clause,
    Document,
    Fact,
    FactError,
    Reading,
    Value,
)
from termwatch.analysis.facts.patterns import NUMBER_WORDS, pattern, words_to_number

_DAYS = pattern(
    rf"""(?:{NUMBER_WORDS}\s*\(\s*(?P<figure>\d+)\s*\) | (?P<digits>\d+)
         | (?P<spelled>{NUMBER_WORDS}))[\s-]+(?:calendar\s+|business\s+|working\s+)?days?\b"""
)
_CHANGE = pattern(r"\b(?:chang|modif|amend|updat|revis)\w*")
_OF_THE_TERMS = pattern(r"\b(?:terms|agreement|policy|policies|conditions|rights|obligations)\b")
_SERVICE = pattern(r"\bservices?\b")
_NOTICE = pattern(
    r"\bnotice\b|\bnotif|\bprior\s+to\b|\bin\s+advance\b|\badvance\b|\bbefore\b"
    r"|\b(?:come|comes|take|takes)\s+(?:into\s+)?effect\b|\beffective\b"
)


def read_notice_days(text: str) -> int | None:
    """The days of notice given before a change, if the clause gives a number."""
    for days in _DAYS.finditer(text):
        if re.search(r"\bwithin\s+$", text[: days.start()], re.I):
            continue  # "you may object within 30 days": the user's deadline, not notice
        if days.group("figure") or days.group("digits"):
            return int(days.group("figure") or days.group("digits"))
        return words_to_number(days.group("spelled"))
    return None


# Changed terms that apply as soon as they are published: no notice, 0 days.
_ON_POSTING = pattern(
    r"""\b(?:effective|take\s+effect|apply|binding)\s+(?:immediately\s+)?
        (?:when|once|as\s+soon\s+as)\s+(?:they\s+are\s+|it\s+is\s+)?(?:posted|published)
      | \b(?:effective|take\s+effect)\s+(?:immediately\s+)?(?:upon|on|after)\s+(?:being\s+)?
        (?:posting|publication|posted|published)
      | \b(?:amended|modified|updated|revised|new)\s+(?:terms|agreement)\s+(?:will|shall)\s+
        (?:be\s+)?(?:effective|take\s+effect|apply)\s+immediately"""
)


_PRICE_CHANGE = pattern(
    r"""\b(?:price|pricing|fee|subscription)s?\s+(?:changes?|increases?)
      | \b(?:increase|change|raise)s?\s+(?:our\s+|the\s+|its\s+)?(?:subscription\s+)?
        (?:prices|fees)"""
)
_WITHOUT_NOTICE = pattern(
    r"""\b(?:modify|revise|amend|change|update)\s+(?:these|this|the)\s+(?:terms|agreement)\b
        [^.;]{0,60}? \bwithout\s+(?:any\s+)?(?:prior\s+|advance\s+)?notice
      | \bwithout\s+(?:any\s+)?(?:prior\s+|advance\s+)?notice\s+to\s+you,?\s+
        (?:revise|modify|amend|change|update)\s+(?:these|this|the)\s+(?:terms|agreement)"""
)


def _read_notice_days(clause: Clause, document: Document) -> Reading | None:
    text = clause.plain
    if not (_CHANGE.search(text) and _NOTICE.search(text)):
        return None
    if _PRICE_CHANGE.search(text) and not _OF_THE_TERMS.search(text):
        return None  # notice of new prices is not notice of changed terms
    days = read_notice_days(text)
    about_terms = _OF_THE_TERMS.search(text) or _OF_THE_TERMS.search(clause.section_path)
    if days is None:
        # "effective when posted", "may revise these Terms without prior notice": 0 days,
        # though a period promised elsewhere (for material changes) says more.
        if about_terms and _ON_POSTING.search(text):
            return Reading(0, rank=2)
        if _OF_THE_TERMS.search(text) and _WITHOUT_NOTICE.search(text):
            return Reading(0, rank=2)
        return None
    # Notice of changes to the terms before notice of changes to the service; notice of
    # price changes is not notice of changed terms.
    if about_terms:
        return Reading(days)
    if _SERVICE.search(text):
        return Reading(days, rank=1)
    return None


MIN_FAIR_NOTICE_DAYS = 30


def _word_notice(days: object) -> Value:
    if not isinstance(days, int | float) or isinstance(days, bool):
        raise FactError(f"fact change_notice_days: {days!r} is not a number of days")
    if days <= 0:
        return Value(days, "No notice", UNFAVOURABLE, "gives no notice of changes to its terms")
    rating = FAVOURABLE if days >= MIN_FAIR_NOTICE_DAYS else MIXED
    return Value(
        days, f"{days:g} days", rating, f"gives {days:g} days' notice of changes to its terms"
    )


CHANGE_NOTICE_DAYS = Fact(
    "change_notice_days",
    "How many days of notice the provider gives before changed terms apply to you.",
    "how much notice it gives of changes to its terms",
    frozenset({"ch"}),
    pattern(r"chang|modif|amend|updat"),
    _read_notice_days,
    anywhere=True,  # the reader wants a change, notice and a period: strict enough alone
    word=_word_notice,
    describe="a number of days",
)
