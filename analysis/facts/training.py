"""Training on your content: yes, no, unless you opt out, only if you opt in."""

from __future__ import annotations

import re

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

# Training models, not training staff: "personnel are properly trained" says nothing.
_TRAINING = pattern(
    r"""\btrain(?:s|ing)?\b(?!\s+(?:materials?|sessions?|courses?|programs?|videos?))
      | \btrained\s+(?:on|with|using)\b
      | \b(?:improve|develop)\s+(?:our\s+|the\s+|its\s+)?(?:ai\s+)?models\b"""
)
# The user's content: "your data", "Customer Data", or a noun that in these terms always
# means what the user submits or receives ("Content", "Inputs", "Suggestions").
_USER_CONTENT = pattern(
    rf"""\b(?:your|{USER}(?:'s|’s|s'|s’)?)\s+(?:\w+\s+){{0,2}}?
         (?:content|data|code|inputs?|prompts?|materials?|conversations?|chats?|outputs?
           |suggestions?|files?|repositor(?:y|ies)|information|feedback)\b
       | \b(?:content|inputs?|outputs?|materials|prompts?|suggestions|conversations)\b"""
)
# "You may not use Output to develop models that compete with us": a rule for the user.
_USER_RESTRICTION = pattern(
    rf"""\b{USER}\s+(?:(?:may|must|shall|will|can)\s+not|won't|cannot|agrees?\s+not\s+to
         |(?:may|must|shall|will)\s+not\s+and\s+must\s+not)\b
       | \bwithout\s+(?:\w+\s+){{0,2}}(?:authori[sz]ation|permission|consent)\s+from
       | \bin\s+violation\s+of
       | \bcompet\w*                    # "... models that compete with us"
       | \bautomated\s+means\b | \bscrap\w*  # rules for scrapers, not for your content"""
)
# "If you choose to enable zero retention, we will not train": the user acts to stop it.
_IF_YOU_ACT = pattern(
    r"""\b(?:if|when|where)\s+you\s+(?:have\s+)?
        (?:allow|agree|consent|choose|enable|instruct|permit)"""
)
_OPT_IN = pattern(
    r"""\bopt(?:s|ed|ing)?[- ]?in\b
      | \bunless\s+(?:you|customer)(?:\s+have|\s+has|’ve|'ve)?\s+(?:\w+ly\s+)?
        (?:instruct|consent|agree|allow|choose|enable|permit|opt)
      | \bwith\s+your\s+(?:prior\s+|explicit\s+|express\s+)?(?:consent|permission)"""
)
_OPT_OUT = pattern(
    r"""\bopt(?:s|ed|ing)?[- ]?out\b
      | \bunless\s+you\s+(?:turn\s+off|disable|object)
      | \binstruct\s+(?:us|[A-Z]\w*)\s+not\s+to\s+use\b
      | \bdo\s+not\s+want\s+(?:us\s+to\s+use\s+)?your\b"""
)
_NOT_TRAINED = pattern(
    r"""\b(?:do|does|will|shall|would|may)\s+not\s+(?:\w+\s+){0,2}?(?:use|train|collect)\b
      | \b(?:never|don't|doesn't|won't)\s+(?:\w+\s+)?(?:use|train)\b
      | \bnot\s+(?:be\s+)?used\s+(?:\w+\s+){0,3}?(?:to|for)\b"""
)
# "You can select whether your Content is used for training": a choice, default unsaid.
_CHOICE = pattern(
    r"""\b(?:elect|select|choose|decide)\w*\s+whether | \bmanage\s+your\s+preferences"""
)
# "You may instruct us not to use your Content for service improvement (opt-out)".
_IMPROVEMENT = pattern(r"\bimprov\w*")
_USES = pattern(r"\b(?:use[sd]?|using|collect\w*|analy[sz]\w*|licen[sc]e|grant\w*|leverag\w*)\b")
# Most specific first: a clause naming the user's choice says more than a bare yes or no,
# and an explicit "we do not train" more than licence grants mentioning training in passing.
_TRAINING_RANKS = {"opt-out": 0, "opt-in": 1, "no": 2, "yes": 3}


# "We will not train our models on your Materials, except in two circumstances:" followed by
# "(1) If you provide Feedback ...": no training unless you act, which is opt-in.
_EXCEPT_LIST = pattern(r"\b(?:except|unless|other\s+than)\b[^.;]*:\s*$")
_YOU_OFFER = pattern(
    r"""\bif\s+you\s+(?:\w+\s+){0,2}?(?:provide|give|send|submit|share|rate)\b
        [^.;]{0,60}? \bfeedback
      | \bfeedback\b [^.;]{0,40}? \byou\s+(?:provide|give|send|submit|share)
      | \bopt(?:s|ed|ing)?[- ]?in\b | \byour\s+(?:explicit\s+|express\s+|prior\s+)?consent\b
      | \bif\s+you\s+(?:\w+\s+)?(?:allow|agree|consent|choose|permit)\b"""
)
LIST_ITEMS = 3  # how far an "except:" list is read


def _excepts_what_you_offer(clause: Clause, document: Document) -> bool:
    """Does "we do not train" make an exception for what the user chooses to give?"""
    if _YOU_OFFER.search(clause.plain) and re.search(r"\b(?:except|unless)\b", clause.plain, re.I):
        return True
    if not _EXCEPT_LIST.search(clause.plain):
        return False
    return any(_YOU_OFFER.search(item.plain) for item in document.following(clause, LIST_ITEMS))


def _read_training(clause: Clause, document: Document) -> Reading | None:
    text = clause.plain
    training = [match.start() for match in _TRAINING.finditer(text)]
    # "unless you opt in to allow us to use Customer Data to improve the Service": a choice
    # about improving the service with your data is one about training on it.
    chosen = _OPT_OUT.search(text) or _OPT_IN.search(text)
    about_training = bool(training) or bool(chosen and _IMPROVEMENT.search(text))
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
        value = "opt-in" if _excepts_what_you_offer(clause, document) else "no"
    elif any(use.start() < max(training) for use in _USES.finditer(text)):
        value = "yes"  # a use of the content, then what it is used for
    else:
        return None  # "we publish how our models are trained": says nothing about yours
    return Reading(value, rank=_TRAINING_RANKS[value])


TRAINS_ON_USER_CONTENT = Fact(
    "trains_on_user_content",
    "Whether the provider trains its models on your prompts, code or output, and "
    "whether you must opt out or opt in.",
    "whether it trains on your content",
    frozenset({"training", "input_license"}),
    pattern(r"train|your\s+data|content|\bai\b|machine\s+learning|models"),
    _read_training,
    choices=(
        Value("no", "No", FAVOURABLE, "says it does not train on your content"),
        Value(
            "opt-in", "Only if you opt in", FAVOURABLE, "trains on your content only if you opt in"
        ),
        Value(
            "opt-out", "Yes, unless you opt out", MIXED, "trains on your content unless you opt out"
        ),
        Value("yes", "Yes", UNFAVOURABLE, "trains on your content"),
    ),
)
