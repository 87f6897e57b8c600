"""Changes said in words: the sentences a user reads in the feed, the site and the terminal.

A change row holds old and new values; this module turns them into what a reader cares
about ("Cursor now trains on your content unless you opt out (was: no)"). The words of
each fact value are declared with the fact (``analysis.facts``); a fact name termwatch does
not know still reads, plainly ("changed some fact from X to Y").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from termwatch.analysis.facts import FACTS
from termwatch.analysis.segment import plain_text
from termwatch.analysis.taxonomy import CATEGORIES

EXCERPT_LENGTH = 160


def counted(number: int, noun: str) -> str:
    """``counted(1, "clause change")`` -> "1 clause change"; 2 -> "2 clause changes"."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def readable(value: object) -> str:
    """A fact value as a person writes it: lists joined with "or", nothing for an empty one."""
    if isinstance(value, list):
        return " or ".join(str(item) for item in value) if value else "nothing"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def describe_fact_change(subject: str, name: str, old: object, new: object) -> str:
    """One sentence about one fact: ``subject`` (a service name) followed by what it now does.

    The words are the values' own (``analysis.facts``): "now trains on your content unless
    you opt out (was: no)"; a fact turned false reads "no longer ..." after a true one.
    """
    fact = FACTS.get(name)
    if fact is None:
        topic = name.replace("_", " ")
        return f"{subject} changed {topic} from {readable(old)} to {readable(new)}"
    before, after = fact.value(old), fact.value(new)
    if new is False and old is True:
        return f"{subject} no longer {fact.value(True).phrase}"
    if fact.is_unstated(new):
        return f"{subject} {after.phrase} (was: {before.was})"
    return f"{subject} now {after.phrase} (was: {before.was})"


def excerpt(text: str, length: int = EXCERPT_LENGTH) -> str:
    """The start of a clause as plain text, cut at a word with an ellipsis if long."""
    words = plain_text(text)
    if len(words) <= length:
        return words
    return words[:length].rsplit(" ", 1)[0] + "…"


def describe_clause_change(
    change: str, text: str, section_path: str, categories: Sequence[str]
) -> str:
    """'Limitation of liability clause modified in "9. Liability": "In no event shall…"'."""
    names = ", ".join(CATEGORIES[code].name for code in categories if code in CATEGORIES)
    what = f"{names} clause" if names else "Clause"
    where = f' in "{section_path}"' if section_path else ""
    return f'{what} {change}{where}: "{excerpt(text)}"'


def headline(
    clause_changes: Counter, fact_names: Sequence[str], technical: bool, minor: bool = False
) -> str:
    """What a new version changed, in one line: clauses by kind of change, facts by name.

    ``clause_changes`` counts clause changes by kind (added / removed / modified); ``minor``
    says they are typo-level edits (``analysis.changes.is_typo_level``).
    """
    total = sum(clause_changes.values())
    if total:
        kinds = ", ".join(
            f"{clause_changes[kind]} {kind}"
            for kind in ("added", "removed", "modified")
            if clause_changes[kind]
        )
        words = f"{total} clause{'s' if total != 1 else ''} changed ({kinds})"
    else:
        words = "no clause changed"
    if fact_names:
        words += "; facts changed: " + ", ".join(name.replace("_", " ") for name in fact_names)
    if technical:
        words = f"technical change (markup or extraction, not the terms): {words}"
    elif minor:
        words = f"minor wording: {words}"
    return words


def document_label(document_type: str) -> str:
    """``terms-of-service--genai-eu`` -> ``Terms of service (genai-eu)``."""
    base, _, variant = document_type.partition("--")
    words = base.replace("-", " ")
    label = words[:1].upper() + words[1:]
    return f"{label} ({variant})" if variant else label
