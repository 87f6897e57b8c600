"""Changes said in words: the sentences a user reads in the feed, the site and the terminal.

A change row holds old and new values; this module turns them into what a reader cares
about ("Cursor now trains on your content unless you opt out", "GitHub Copilot changed its
liability cap from USD 100 to the fees you paid in the 12 months before the claim"). The
fact values are those of ``analysis.facts``; a fact this module has no words for still
reads correctly, just more plainly ("changed governing law from X to Y").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from analysis.segment import plain_text
from analysis.taxonomy import CATEGORIES

UNSTATED = "unstated"
EXCERPT_LENGTH = 160

# How fact values read inside a sentence.
_OWNERS = {"user": "you", "provider": "the provider", "shared": "you and the provider jointly"}
_CAP_KINDS = {
    "fixed": "a fixed amount",
    "fees_paid": "the fees you paid",
    "greater_of": "the greater of two amounts",
    "lesser_of": "the lesser of two amounts",
}
_TRAINING = {
    "yes": "trains on your content",
    "no": "says it does not train on your content",
    "opt-out": "trains on your content unless you opt out",
    "opt-in": "trains on your content only if you opt in",
}
# How a former value reads in "(was: ...)".
_FORMER = {
    UNSTATED: "not stated",
    "uncapped": "no cap",
    "opt-out": "unless you opt out",
    "opt-in": "only if you opt in",
    **_OWNERS,
    **_CAP_KINDS,
}
# Yes/no facts: what the provider does when the fact is true, what it says when false, and
# the topic it is about.
_COMMITMENTS = {
    "consequential_damages_excluded": (
        "excludes liability for consequential damages",
        "does not exclude liability for consequential damages",
        "consequential damages",
    ),
    "warranties_disclaimed": ("disclaims warranties", "does not disclaim warranties", "warranties"),
    "user_indemnifies_provider": (
        "requires you to indemnify it",
        "does not require you to indemnify it",
        "your indemnity",
    ),
    "provider_ip_indemnity": (
        "defends you against intellectual property claims",
        "does not defend you against intellectual property claims",
        "IP indemnity",
    ),
    "arbitration": (
        "requires arbitration of disputes",
        "does not require arbitration",
        "arbitration",
    ),
    "class_action_waiver": (
        "requires you to waive class actions",
        "does not require you to waive class actions",
        "class actions",
    ),
}


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
    """One sentence about one fact: ``subject`` (a service name) followed by what it now does."""
    phrase = _FACT_PHRASES.get(name, _plain_phrase(name))
    return f"{subject} {phrase(old, new)}"


def _plain_phrase(name: str) -> Callable[[object, object], str]:
    topic = name.replace("_", " ")
    return lambda old, new: f"changed {topic} from {readable(old)} to {readable(new)}"


def _was(old: object) -> str:
    former = _FORMER.get(old, readable(old)) if isinstance(old, str) else readable(old)
    return f" (was: {former})"


def _cap_amounts(old: object, new: object) -> str:
    if old and new:
        return f"changed its liability cap from {readable(old)} to {readable(new)}"
    if new:
        return f"now caps liability at {readable(new)}"
    return f"no longer caps liability at {readable(old)}"


def _cap_kind(old: object, new: object) -> str:
    if new == "uncapped":
        return f"no longer caps its liability{_was(old)}"
    if new == UNSTATED:
        return f"no longer states a cap on its liability{_was(old)}"
    return f"now caps liability at {_CAP_KINDS.get(new, new)}{_was(old)}"


def _owner(old: object, new: object) -> str:
    if new == UNSTATED:
        return f"no longer says who owns the output{_was(old)}"
    return f"now says the output belongs to {_OWNERS.get(new, new)}{_was(old)}"


def _training(old: object, new: object) -> str:
    if new == UNSTATED:
        return f"no longer says whether it trains on your content{_was(old)}"
    return f"now {_TRAINING.get(new, new)}{_was(old)}"


def _commitment(name: str) -> Callable[[object, object], str]:
    does, does_not, topic = _COMMITMENTS[name]

    def phrase(old: object, new: object) -> str:
        if new is True:
            return f"now {does}"
        if new is False:
            return f"no longer {does}" if old is True else f"now says it {does_not}"
        return f"no longer addresses {topic}{_was(old)}"

    return phrase


def _governing_law(old: object, new: object) -> str:
    if new == UNSTATED:
        return f"no longer names the governing law{_was(old)}"
    if old == UNSTATED:
        return f"now names the governing law: {new}"
    return f"changed the governing law from {old} to {new}"


def _notice(old: object, new: object) -> str:
    if new == UNSTATED:
        return f"no longer promises notice before changing its terms{_was(old)}"
    if old == UNSTATED:
        return f"now gives {new} days' notice of changes to its terms"
    return f"changed the notice of changes to its terms from {old} to {new} days"


_FACT_PHRASES: dict[str, Callable[[object, object], str]] = {
    "liability_cap_amounts": _cap_amounts,
    "liability_cap_kind": _cap_kind,
    "output_owner": _owner,
    "trains_on_user_content": _training,
    "governing_law": _governing_law,
    "change_notice_days": _notice,
    **{name: _commitment(name) for name in _COMMITMENTS},
}


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


def headline(clause_changes: Counter, fact_names: Sequence[str], technical: bool) -> str:
    """What a new version changed, in one line: clauses by kind of change, facts by name.

    ``clause_changes`` counts clause changes by kind (added / removed / modified).
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
        words = "wording changed, no clause changed"
    if fact_names:
        words += "; facts changed: " + ", ".join(name.replace("_", " ") for name in fact_names)
    if technical:
        words = f"technical change (the extraction changed, not the terms): {words}"
    return words


def document_label(document_type: str) -> str:
    """``terms-of-service--genai-eu`` -> ``Terms of service (genai-eu)``."""
    base, _, variant = document_type.partition("--")
    words = base.replace("-", " ")
    label = words[:1].upper() + words[1:]
    return f"{label} ({variant})" if variant else label
