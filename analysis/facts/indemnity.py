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
    yes_no,
)
from termwatch.analysis.facts.patterns import NOT_END_ZH as NOT_END
from termwatch.analysis.facts.patterns import USER, USER_ZH, pattern

# What the user undertakes: "defend, indemnify and hold harmless", "hold harmless Acme", "is
# responsible for indemnifying us", "keep us fully indemnified against", or in plain words
# "compensate us for any losses", "reimburse Acme for all claims", "pay any damages awarded
# against us".
_INDEMNIFY = r"""(?:indemnify|indemnifying|defend|hold\s+(?:[\w-]+\s+){0,3}?harmless
                  |keep\s+(?:[\w-]+\s+){1,2}?indemnified
                  |(?:compensate|reimburse)\s+(?:us|the\s+\w+|[\w-]+)\s+(?:[\w-]+\s+){0,3}?for\s+
                   (?:any\s+(?:and\s+all\s+)?|all\s+)?(?:claims|loss|losses|damages|liabilit\w*)
                  |pay\s+(?:[\w-]+\s+){0,4}?(?:damages|amounts?|costs|judgments?|settlements?)\b
                   [^.;]{0,40}?\b(?:awarded|assessed)\b[^.;]{0,20}?\bagainst\s+(?!you\b)\w+)\b"""
# The user as the one who indemnifies: "Customer shall, at its own expense, defend", "You
# agree, to the extent permitted by applicable law, to indemnify", "where not prohibited by
# law", not "the Customer ... gives authorisations to allow Acme to defend" (Acme defends then)
# nor "Customer does not indemnify", nor the user defended ("we will defend you and indemnify
# you": "you" is the object there).
_DEFENDED = r"(?<!defend\s)(?<!protect\s)(?<!indemnify\s)"
_USER_INDEMNIFIES = pattern(
    rf"""{_DEFENDED}\b(?:{USER}|you['’]ll)\s+
         (?:(?!we\b|us\b|not\b|never\b|allow|permit(?:s|ting)?\b|enabl|let\b|authori[sz])
            [\w,]+\s+
            |\(\w{{1,4}}\)\s+
            |(?:to\s+the\s+(?:\w+\s+)?extent|where|if|as)\s+(?:not\s+prohibited|permitted|allowed)\s+
             (?:by|under)\s+(?:\w+\s+)?law,?\s+
         ){{0,6}}?
         {_INDEMNIFY}
       # the indemnity coordinated with what the user undertakes first: "You represent and
       # warrant that ... and will indemnify us for any breach", "you will be liable to us and
       # indemnify us", "you agree to be responsible for our costs and to indemnify us", not
       # "you agree that we will defend you and indemnify you".
       | {_DEFENDED}\b{USER}\s+
         (?:will|shall|must|agree\w*|represent\w*|warrant\w*|undertake\w*|are|is)\b
         (?:(?!\bwe\b)[^.;]){{0,200}}?
         \band\s+(?:(?:will|shall|must|agrees?\s+to|to)\s+)?(?:also\s+|fully\s+)?{_INDEMNIFY}"""
)
# Chinese terms (中文条款) indemnify against claims: "对于第三方提出的索赔……您同意赔偿公司" (you
# agree to compensate the company for third parties' claims), "导致公司向任何第三方赔偿的，你还应
# 足额赔偿公司" (if your acts make the company compensate a third party, you make it good),
# "使之免受损害" (hold harmless). A duty to make good the provider's own losses ("您应承担赔偿
# 责任") is damages for a breach, no indemnity; "他人要求您赔偿" has the user compensate someone
# else.
_USER_INDEMNIFIES_ZH = pattern(
    rf"""(?:(?:第三方|任何人|他人){NOT_END}{{0,60}}?(?:索赔|主张|诉讼|要求)
          | 向{NOT_END}{{0,6}}?(?:第三方|他人){NOT_END}{{0,10}}?(?:赔偿|支付|承担))
         {NOT_END}{{0,80}}?
         {USER_ZH}{NOT_END}{{0,20}}?(?:赔偿|补偿)(?!责任){NOT_END}{{0,15}}?(?:我们|公司|平台)
       | {USER_ZH}{NOT_END}{{0,60}}?使(?:之|其|我们|公司|{NOT_END}{{1,20}}?)免受{NOT_END}{{0,6}}?
         (?:损害|损失|索赔|伤害)"""
)
# "Your indemnity obligations in Section Q apply to ...": it points at the indemnity.
_REFERS_TO_YOURS = pattern(r"\byour\s+(?:indemnity|indemnification)\s+obligations")
# "You may offer warranties to others only if you agree to indemnify us for them": an indemnity
# as the price of an option the user may take, not a duty of every user.
_INDEMNITY_AS_CONDITION = pattern(
    rf"""\b(?:only\s+if|provided\s+that|on\s+(?:the\s+)?condition\s+that)\s+{USER}\s+
         (?:\w+\s+){{0,2}}?(?:agree\w*\s+to\s+)?(?:indemnify|defend|hold\s+\w+\s+harmless)"""
)


def _read_user_indemnity(clause: Clause, document: Document) -> Reading | None:
    text = clause.plain
    if _INDEMNITY_AS_CONDITION.search(text):
        return None
    # "You agree to indemnify us from any claims arising out of:" is the indemnity, its list
    # of causes following: unlike a sentence announcing provisions, it ranks as stated.
    if _USER_INDEMNIFIES.search(text) or _USER_INDEMNIFIES_ZH.search(text):
        return Reading(True)
    if _REFERS_TO_YOURS.search(text):
        return Reading(True, rank=1)
    return None


_IP = pattern(
    r"\binfring|\bintellectual\s+property|\bmisappropriat|\bcopyrights?\b|\bpatents?\b"
    r"|\bIP\s+(?:claims?|rights?|infringement)\b|知识产权|侵权|著作权|版权|专利"
)
# The provider defends the user: "we will defend you against", "Acme shall indemnify Customer
# from", "We'll defend or settle, at our option and expense, any third-party claim brought
# against you".
_DEFENDS_USER = pattern(
    rf"""\b(?:defend(?:ing)?|indemnif(?:y|ying)|hold\s+harmless|indemnify\s+and\s+hold)\b
         [^.;]{{0,40}}? \b(?:{USER}|you)\b(?!\s+(?:will|shall|agree|must))
       | \bhold\s+(?:{USER}|you)\s+harmless\b
       | \b(?:defend|settle)\b [^.;]{{0,80}}?
         \b(?:claims?|suits?|lawsuits?|actions?|proceedings?)\s+(?:\w+\s+){{0,3}}?against\s+
         (?:{USER}|you)\b
       # "Acme will pay any damages finally awarded against you arising from a claim that ...",
       # not "you agree to pay any costs awarded against you".
       | \b(?!(?:{USER}|you)\b)\w+\s+(?:will|shall|agrees?\s+to|must)\s+(?:\w+\s+){{0,2}}?pay\b
         [^.;]{{0,60}}? \b(?:damages|amounts?|costs|judgments?|settlements?)\b [^.;]{{0,40}}?
         \b(?:awarded|assessed)\b [^.;]{{0,20}}? \bagainst\s+(?:{USER}|you)\b"""
)
# "GitHub has no obligation to defend", "Neither GitHub nor Microsoft will have any obligation
# to defend, indemnify, or hold you harmless", "Acme is not obligated to indemnify", "Acme does
# not offer an intellectual property indemnity".
_NO_PROVIDER_INDEMNITY = pattern(
    rf"""\bno\s+(?:\w+\s+)?(?:obligation|duty)\s+(?:\w+\s+)?to\s+(?:defend|indemnify)
      | (?:\bneither\b|\bnot\b|n['’]t\b) [^.;]{{0,80}}? \bany\s+(?:obligation|duty)\s+to\s+
        (?:defend|indemnify)
      | \b(?:is|are)\s+not\s+(?:obligated|obliged|required)\s+to\s+(?:defend|indemnify)
      # "Acme does not offer an intellectual property indemnity"
      | (?:\bnot|\bnever|n['’]t)\s+(?:offer|provide|grant|extend)\s+(?:an?\s+|any\s+)?
        (?:[\w-]+\s+){{0,3}}?(?:indemnification|indemnit(?:y|ies))\b
      | \b(?:we|us)\s+(?:do|does|will|shall)\s+not\s+(?:defend|indemnify)
      # "Acme does not indemnify you for claims relating to Output"
      | \b(?:do|does|will|shall)\s*(?:not|n['’]t)\s+(?:defend|indemnify)\s+(?:{USER}|you)\b"""
)
_CLAIMS = pattern(r"\b(?:claims?|suits?|lawsuits?|proceedings?|allegations?)\b")
# "If the Services are claimed to infringe ..., Customer's sole remedy is to terminate its
# Account": against an infringement claim the user gets to stop, not a defence.
_STOPPING_IS_THE_REMEDY = pattern(
    r"""\bsole\s+(?:and\s+exclusive\s+)?remedy\s+(?:\w+\s+){0,3}?(?:is|shall\s+be|will\s+be)\s+
        (?:to\s+)?(?:terminat|cease|stop|discontinu)"""
)
# "Acme's indemnification obligations ... apply to claims that ...", not the customer's own.
# Infringement claims left to the user: "Any intellectual property issues arising from the use
# of generated content are handled by you", "you are solely responsible for any third-party
# infringement claims": the provider defends no one.
_CLAIMS_LEFT_TO_YOU = pattern(
    rf"""\b(?:claims?|issues|disputes)\b [^.;]{{0,80}}? \b(?:are|is|will\s+be|shall\s+be)\s+
        (?:handled|borne|resolved|dealt\s+with)\s+(?:solely\s+|exclusively\s+)?by\s+you\b
      | \byou\s+(?:are|will\s+be|shall\s+be)\s+(?:solely\s+)?responsible\s+for\s+(?:any\s+|all\s+)?
        (?:(?:third[- ]party|intellectual\s+property|infringement|such)\s+)+
        (?:claims|issues|disputes)\b
      # "任何知识产权问题由您自行处理" (any IP issue is for you to handle), "纠纷由用户自行解决"
      | (?:问题|纠纷|索赔|争议|主张){NOT_END}{{0,6}}?由{USER_ZH}(?:自行|独自|自己)?
        (?:处理|承担|解决|负责)"""
)
# The provider's indemnity named as such: "Acme's indemnification obligations ... apply to
# claims that ...", "our IP indemnification covers claims that", "Acme offers an intellectual
# property indemnity for Output", not the user's ("Your indemnity obligations cover ...") nor
# one withheld ("Acme does not offer an IP indemnity").
_PROVIDER_OBLIGATIONS_APPLY = pattern(
    rf"""\b(?!(?:{USER}|your)\b)(?:our|[A-Z]\w+(?:'s|’s))\s+(?:[\w-]+\s+){{0,3}}?
        (?:indemnification|indemnit(?:y|ies))(?:\s+obligations)?\b [^.;]{{0,80}}?
        \b(?:apply|applies|covers?|extends?|against)\s+(?:to\s+)?(?:any\s+|all\s+)?
        (?:[\w-]+\s+){{0,3}}?(?:claims|lawsuits|suits)\b
      | \b(?!(?:{USER}|you|not|never)\b)(?!\w+n['’]t\b)\w+\s+
        (?:offers?|provides?|grants?|extends?)\s+(?:an?|its|our)\s+(?:[\w-]+\s+){{0,3}}?(?:indemnification|indemnit(?:y|ies))\b"""
)
_CLAIM_TERM = re.compile(r"\b([A-Z][\w-]*(?: [A-Z][\w-]*)? Claims?)\b")


def _read_provider_ip_indemnity(clause: Clause, document: Document) -> Reading | None:
    text = clause.plain
    # A denial of indemnity answers the question when it concerns claims: "we will not indemnify
    # you in case your Output is similar to another user's" denies a promise nobody asked for.
    denied = _NO_PROVIDER_INDEMNITY.search(text) and (_CLAIMS.search(text) or _IP.search(text))
    if denied or (_STOPPING_IS_THE_REMEDY.search(text) and _IP.search(text)):
        return Reading(False, rank=1)
    if _PROVIDER_OBLIGATIONS_APPLY.search(text) and _IP.search(text):
        return Reading(True)  # "Acme's indemnification obligations ... apply to claims that ..."
    if _DEFENDS_USER.search(text) and not _USER_INDEMNIFIES.search(text):
        defined = (document.definitions.get(term.rstrip("s"), "") for term in _claim_terms(text))
        if _IP.search(text) or any(_IP.search(definition) for definition in defined):
            return Reading(True)
    return None


def _no_provider_indemnity(document: Document, answers: Mapping[str, Answer]) -> Answer | None:
    """No clause has the provider defend the user, and the terms say who bears IP claims:
    the user, by an indemnity that only binds them, or by being left the claims."""
    if any(
        _DEFENDS_USER.search(clause.plain) and not _USER_INDEMNIFIES.search(clause.plain)
        for clause in document.clauses
    ):
        return None  # the provider defends the user against something: not inferred
    yours = answers["user_indemnifies_provider"]
    if yours.value is True and yours.evidence is not None:
        return Answer(
            False, yours.evidence, reason="The only indemnity in the terms is the one you give."
        )
    left = document.first(_CLAIMS_LEFT_TO_YOU, where=lambda clause: bool(_IP.search(clause.plain)))
    if left is not None:
        return Answer(False, left, reason="The terms leave intellectual property claims to you.")
    return None


def _claim_terms(text: str) -> list[str]:
    return [match.group(1) for match in _CLAIM_TERM.finditer(text)]


# Chinese terms put the indemnity under the user's breach or liabilities ("违约责任", "赔偿").
_INDEMNITY_HEADING = pattern(r"indemn|赔偿|违约|责任")

USER_INDEMNIFIES_PROVIDER = Fact(
    "user_indemnifies_provider",
    "You must defend or indemnify the provider against claims arising from your use.",
    "whether you must indemnify it",
    frozenset({"user_indemnity"}),
    _INDEMNITY_HEADING,
    _read_user_indemnity,
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
    _INDEMNITY_HEADING,
    _read_provider_ip_indemnity,
    infer=_no_provider_indemnity,
    choices=yes_no(
        "defends you against intellectual property claims",
        "does not defend you against intellectual property claims",
        ("Yes", FAVOURABLE),
        ("No", UNFAVOURABLE),
    ),
)
