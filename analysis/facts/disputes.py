"""Disputes: arbitration, class actions, and the law that governs the terms."""

from __future__ import annotations

import re
from collections.abc import Mapping

from termwatch.analysis.facts import normalise
from termwatch.analysis.facts.engine import (
    FAVOURABLE,
    NEUTRAL,
    UNFAVOURABLE,
    Answer,
    Clause,
    Document,
    Fact,
    Reading,
    Value,
    on_topic,
    states_nothing,
    yes_no,
)
from termwatch.analysis.facts.patterns import NEGATION, pattern

# Terms in Chinese send disputes to an arbitration commission: "提交中国国际经济贸易仲裁委员会
# 仲裁" (submitted to CIETAC for arbitration), "申请仲裁" (apply for arbitration).
_CHINESE_ARBITRATION = r"(?:提交|申请|提请)[^，。；]{0,40}?仲裁"
# Disputes sent to arbitration: "resolved by final and binding arbitration", "resolved
# exclusively and finally by arbitration", "any disputes will be resolved by binding, individual
# arbitration", "you agree to resolve disputes only on an individual basis, through arbitration",
# "submit to the personal and exclusive arbitration of disputes", "finally settled under the
# LCIA Arbitration Rules", "shall be finally arbitrated", "submitted to the Singapore
# International Arbitration Centre for arbitration".
_ARBITRATION = pattern(
    r"""\b(?:binding|mandatory)[\s,]+(?:(?:and\s+)?(?:individual|confidential|final)[\s,]+)*
        arbitration\b
      | \b(?:resolved|settled|decided|determined|heard)\s+
        (?:(?:exclusively|solely|finally|only)\s+(?:and\s+)?){0,2}(?:by|through|in)\s+
        (?:final\s+(?:and\s+)?)?(?:binding\s+)?(?:individual\s+)?arbitration\b
      | \bagree\w*\s+to\s+resolve\s+(?:\w+\s+){0,3}?(?:disputes?|claims?)\b [^.;]{0,60}?
        \bthrough\s+arbitration\b
      | \bagree\w*\s+to\s+arbitrate
      | \b(?:finally\s+)?settled\s+(?:\w+\s+){0,2}?(?:under|by|in\s+accordance\s+with)\s+(?:the\s+)?
        (?:rules\s+of\s+|(?:[\w&]+\s+){1,2}?)?arbitration
      | \bsubmit\w*\s+to\s+(?:the\s+)?(?:(?:final|binding|personal|exclusive)\s+(?:and\s+)?)*
        arbitration
      | \barbitration\s+(?:in\s+accordance\s+with|under|pursuant\s+to|administered\s+by)\s+
        (?:the\s+)?(?:[\w&]+\s+){0,6}?(?:rules|procedures)\b
      | \b(?:seat|place)\s+of\s+(?:the\s+)?arbitration\b
      | \b(?:shall|will|must)\s+be\s+(?:finally\s+)?arbitrated\b
      | \bsubmit\w*\s+(?:\w+\s+){0,3}?to\s+[^.;]{0,100}?
        \bfor\s+(?:final\s+(?:and\s+binding\s+)?)?arbitration\b"""
    f"|{_CHINESE_ARBITRATION}"
)
# Said only where disputes are the topic, these wordings send disputes to arbitration wherever
# they sit (a page whose headings were lost): no other clause agrees to arbitrate, settles a
# dispute finally by arbitration ("shall be finally settled under the rules of arbitration of
# the ICC", "must be resolved by arbitration by the AAA") or names the rules it follows
# ("arbitration in accordance with the Arbitration Rules of the Stockholm Chamber").
_UNMISTAKABLE_ARBITRATION = pattern(
    r"""\bagree\w*\s+to\s+arbitrate\b | \bbinding\s+(?:individual\s+)?arbitration\b
      | \bfinally\s+(?:settled|resolved)\s+(?:\w+\s+){0,3}?
        (?:by|under|through|in\s+accordance\s+with)\s+(?:the\s+)?(?:rules\s+of\s+)?arbitration\b
      | \b(?:must|shall|will)\s+be\s+(?:exclusively\s+)?(?:resolved|settled)\s+by\s+arbitration\b
      | \barbitration\s+in\s+accordance\s+with\s+the\s+(?:\w+\s+){0,3}?rules\s+of\b"""
    f"|{_CHINESE_ARBITRATION}"
)
# Naming the arbitration agreement ("This section is referred to as the Arbitration
# Agreement", "the Federal Arbitration Act governs this Arbitration Agreement") or saying how
# the arbitration runs ("The arbitration will be conducted in accordance with the AAA Consumer
# Arbitration Rules", "any arbitration hearing will take place in ...", "Any election to
# arbitrate by one party shall be final") says there is one; the sentence that sends disputes
# to arbitration is the quote a reader wants.
_NAMES_ARBITRATION = pattern(
    r"""\barbitration\s+agreement\b | \bfederal\s+arbitration\s+act\b
      | \b(?:the|any)\s+arbitration\s+(?:hearing\s+|between\s+(?:\w+\s+){1,3})?[^.;]{0,40}?
        \b(?:will|shall|may)\s+(?:be\s+)?(?:conducted|governed|administered|held|initiated
        |take\s+place|occur)\b
      | \belection\s+to\s+arbitrate\b"""
)
_DEFINES = pattern(r"\b(?:is|are)\s+(?:hereinafter\s+)?referred\s+to\s+(?:\w+\s+){0,4}?as\b")
# "Consumers will not be required to submit to binding arbitration", "Nothing in these Terms
# requires you to arbitrate", "these Terms do not require arbitration", "we do not use binding
# arbitration", "there is no mandatory arbitration".
_NO_ARBITRATION = pattern(
    rf"""\b{NEGATION}\b\s+(?:be\s+)?(?:required|subject|obliged)\s+to\s+(?:\w+\s+){{0,2}}?
         (?:binding\s+)?arbitrat
       | \b(?:not|never|nothing\s+(?:\w+\s+){{0,4}}?)\s*(?:require|oblige|mandate|use|offer
         |provide\s+for)s?\s+(?:\w+\s+){{0,2}}?(?:binding\s+|mandatory\s+)?arbitrat
       | \bno\s+(?:binding\s+|mandatory\s+|forced\s+)?arbitration\b"""
)
# Claims limited to individual ones: "waive any right to participate in a class action",
# "only on an individual basis", "not as a plaintiff or class member", "no class or
# representative proceedings", "you agree not to bring or participate in any class action",
# "class actions ... are not permitted", "on an individual basis and not on a class basis",
# "waive the right to bring a representative action", "neither you nor we may bring class
# claims", "the arbitrator may not preside over any form of a class proceeding", "class
# actions ... aren't allowed", "resolve disputes individually, without class actions".
_CLASS_ACTION_WAIVER = pattern(
    r"""\bwaiv\w* [^.;]{0,120}? \b(?:class|collective|representative)\s+(?:or\s+\w+\s+)?
        (?:actions?|proceedings?|claims?|basis|arbitrations?|lawsuits?|suits?)\b
      | \bwaiv\w* [^.;]{0,120}? \bclass\b
      | \bneither\b [^.;]{0,40}? \b(?:may|will|shall|can)\s+(?:\w+\s+){0,2}?
        (?:bring|participate|join) [^.;]{0,60}? \bclass\b
      | \b(?:only|solely)\s+(?:on|in)\s+(?:an?\s+|their\s+|your\s+|(?:your|its|his|her)\s+or\s+
        (?:your|its|his|her)\s+)?individual\s+(?:basis|capacity)
      | \bon\s+an?\s+individual\s+basis\s+(?:only\b|and\s+not\s+(?:on|as|in)\b)
      | \bnot\s+as\s+(?:a\s+)?(?:plaintiff|class\s+member)
      | \bno\s+class\s+(?:or\s+representative\s+)?(?:actions?|arbitrations?|proceedings?)
      | \b(?:may|will|shall|must|cannot|can)\s+not\s+(?:\w+\s+){0,2}?
        (?:bring|participate|join|preside|proceed) [^.;]{0,60}? \bclass\b
      | \bagree\w*\s+not\s+to\s+(?:bring|participate|join) [^.;]{0,60}? \bclass\b
      | \bclass\s+(?:or\s+\w+\s+)?(?:actions?|arbitrations?|proceedings?)\b [^.;]{0,100}?
        (?:\b(?:are|is|will|shall)\s+(?:be\s+)?not\s+(?:be\s+)?|\b(?:aren|isn)['’]t\s+
          |\bwon['’]t\s+be\s+)(?:permitted|allowed|available)
      | \bindividually\W+without\s+(?:any\s+)?class\s+(?:actions?|proceedings?|arbitrations?)\b"""
)
# Less than the waiver itself: a sentence naming it ("the validity of the class action
# waiver"), one barring class arbitration only, or the summary that waives jury trials and
# class actions in one breath before the provisions that do it.
_NAMES_WAIVER = pattern(r"\bclass[- ]action\s+waiver\b")
_WAIVER_IN_PASSING = pattern(
    r"\btrial\s+by\s+jury\b | \bjury\s+trial\b | \bno\s+class\s+arbitrations?\b"
)


# "All Disputes shall be resolved by binding arbitration on an individual basis": individual
# claims only, said of the arbitration rather than as a waiver.
_ARBITRATION_ON_AN_INDIVIDUAL_BASIS = pattern(r"\barbitration\s+on\s+an?\s+individual\s+basis\b")


# "EACH MAY ONLY BRING CLAIMS ... IN ITS INDIVIDUAL CAPACITY, AND NOT AS A PLAINTIFF OR CLASS
# MEMBER IN ANY PURPORTED CLASS ...", "Disputes ... may not be brought as a plaintiff or class
# member", "ARBITRATION WILL BE SOLELY ON AN INDIVIDUAL BASIS AND NOT AS A CLASS ARBITRATION",
# "Customer agrees to waive any right to commence or participate in any class action": no other
# sentence reads so, so it is read wherever it sits (a page whose headings were lost), while
# the looser wordings only in a disputes clause.
_UNMISTAKABLE_WAIVER = pattern(
    r"""\bnot\s+(?:be\s+\w+\s+)?as\s+(?:a\s+)?plaintiff\s+or\s+class\s+member\b
      | \bclass\s+action\s+waiver\b
      | \bindividual\s+basis\s+and\s+not\s+(?:as|on|in)\s+(?:a\s+)?class\b
      | \bwaiv\w*\s+(?:\w+\s+){0,3}?rights?\s+to\s+(?:\w+\s+){0,3}?
        (?:participate|join|bring|commence)\b [^.;]{0,40}? \bclass\s+(?:actions?|arbitrations?
        |proceedings?)\b"""
)
_DISPUTES_HEADING = pattern(r"arbitrat|dispute|class")
_DISPUTES_LABELS = frozenset({"a", "j"})


def _read_class_action_waiver(clause: Clause, document: Document) -> Reading | None:
    text = clause.plain
    in_disputes = clause.labels & _DISPUTES_LABELS or _DISPUTES_HEADING.search(clause.section_path)
    if not in_disputes and not _UNMISTAKABLE_WAIVER.search(text):
        return None
    if _CLASS_ACTION_WAIVER.search(text):
        return Reading(True, rank=1 if _WAIVER_IN_PASSING.search(text) else 0)
    if _NAMES_WAIVER.search(text) or _ARBITRATION_ON_AN_INDIVIDUAL_BASIS.search(text):
        return Reading(True, rank=2)
    return None


# "If a Claim is not subject to arbitration, it must be resolved in ...", "claims that for
# whatever reason are not submitted to arbitration": the courts for what arbitration leaves
# out, which says there is arbitration for the rest.
_OUTSIDE_ARBITRATION = pattern(
    r"""\b(?:if|where|for|that|which)\b [^.;]{0,80}?
        \bnot\s+(?:be\s+)?(?:subject|submitted)\s+to\s+(?:the\s+|this\s+)?arbitrat"""
)
_ARBITRATION_LABELS = frozenset({"a", "j", "law"})
_ARBITRATION_HEADING = pattern(r"arbitrat|dispute")


def _on_disputes(clause: Clause) -> bool:
    """Is the clause labelled as one on disputes or in a section on them?"""
    return bool(clause.labels & _ARBITRATION_LABELS) or on_topic(
        _ARBITRATION_HEADING, clause.section_path
    )


# "BY ACCEPTING THESE TERMS, YOU ... ARE EACH WAIVING THE RIGHT TO A TRIAL BY JURY": the
# summary at the top of the terms, before the provision that sends disputes to arbitration.
_SUMMARY = pattern(r"\btrial\s+by\s+jury\b | \bjury\s+trials?\b")


def _read_arbitration(clause: Clause, document: Document) -> Reading | None:
    if in_regional_terms(clause):
        return None  # one region's rule, the answer only when the terms have no other one
    reading = _read_arbitration_clause(clause)
    if reading is None or reading.rank > 0:
        return reading
    # The provision itself, on disputes, is quoted before a summary or a mention elsewhere.
    if _SUMMARY.search(clause.plain) or not _on_disputes(clause):
        return Reading(reading.value, rank=1)
    return reading


def _read_arbitration_clause(clause: Clause) -> Reading | None:
    text = clause.plain
    if not _on_disputes(clause) and not _UNMISTAKABLE_ARBITRATION.search(text):
        return None
    if _OUTSIDE_ARBITRATION.search(text):
        return Reading(True, rank=2)
    if _NO_ARBITRATION.search(text):
        return Reading(False, rank=3)
    if _ARBITRATION.search(text) and not _DEFINES.search(text):
        return Reading(True, rank=1 if text.rstrip().endswith(":") else 0)
    if _ARBITRATION.search(text) or _NAMES_ARBITRATION.search(text):
        return Reading(True, rank=2)
    return None


# --- governing law ---------------------------------------------------------------------------

# A jurisdiction as written, up to what follows it ("..., without regard to conflict of laws").
_JURISDICTION = r"""(?:the\s+)?(?P<{group}>[^,;.()\[\]]{{2,80}}?)
    (?=\s*(?:[,;.()\[\]]|$)
       |\s+(?:without|excluding|except|regardless|notwithstanding|as\s+applied|applicable|apply
             |applies|to\s+the\s+exclusion|will|shall|govern\w*|insofar|in\s+all|unless|if|including
             |with\s+respect|for\s+all|that|and\s+(?:the\s+)?(?:courts?|any|you|your|construed
             |interpreted))\b)"""
# Any character up to the end of the sentence; "U.S.A." does not end it, nor "U.S. federal
# law" (a period before a lower-case word).
_SAME_SENTENCE = r"(?:[^.;]|\.(?=[\w,)]|\s+(?-i:[a-z])))"
# The law that governs, or by which the terms are construed or interpreted ("governed by and
# construed in accordance with the laws of ...", "interpreted in accordance with the laws of
# Japan", "The laws of the Republic of Lithuania apply to these terms", "These Terms are
# subject to the laws of Singapore"); "governmental" is no
# governing. The laws a user must obey ("the export control laws of the United States") and
# the mandatory ones a consumer keeps are no choice of law.
_GOVERNS = r"""(?:\b(?:govern(?!ment)|constru|interpret)\w*\b
    |\bapplicable\s+law\s+(?:is|shall\s+be|will\s+be)\b
    |\b(?:are|is|shall\s+be|will\s+be)\s+subject\s+to\b)"""
_NOT_CHOSEN = r"""(?<!export\s)(?<!control\s)(?<!sanctions\s)(?<!privacy\s)(?<!protection\s)
    (?<!tax\s)(?<!mandatory\s)(?<!local\s)(?<!other\s)"""
_LAWS_OF = pattern(
    rf"""{_GOVERNS} {_SAME_SENTENCE}{{0,80}}?
         \b{_NOT_CHOSEN}laws?\s+(?:of|in\s+force\s+in)\s+{_JURISDICTION.format(group="place")}
       | \b{_NOT_CHOSEN}laws?\s+(?:of|in\s+force\s+in)\s+{_JURISDICTION.format(group="place2")}
         {_SAME_SENTENCE}{{0,80}}?
         \b(?:govern|shall\s+apply|will\s+apply|applies|apply\s+to)"""
)
_ANY_LAWS_OF = pattern(
    rf"\b{_NOT_CHOSEN}laws?\s+(?:of|in\s+force\s+in)\s+{_JURISDICTION.format(group='place')}"
)
_DEFAULT_REGION = pattern(r"\b(?:all\s+other|otherwise|elsewhere|rest\s+of\s+the\s+world)\b")
# Case matters for the place (a capitalised name), not for the words around it: "GOVERNED BY
# CALIFORNIA LAW" in a paragraph of capitals too.
# "These Terms are subject to German law", "subject exclusively to Austrian law", "Swiss law
# applies to this Agreement", "Irish law will apply without regard to conflict of law
# provisions", "our dispute will be determined under California law", "governed by and
# construed in accordance with English and Welsh law", "the applicable law is French law" too.
_NAMED_LAW = re.compile(
    r"\b(?i:(?:(?:governed|construed|determined)\s+(?:exclusively\s+)?"
    r"(?:by|under|in\s+accordance\s+with)"
    r"|(?:is|are|shall\s+be|will\s+be)\s+subject\s+(?:exclusively\s+)?to"
    r"|(?:governing|applicable)\s+law\s+(?:is|shall\s+be|will\s+be))\s+(?:the\s+)?"
    r"(?:substantive\s+)?)"
    r"(?P<place>(?:[A-Z][\w.]*\s+){1,3}(?:and\s+[A-Z][\w.]*\s+)?)(?i:law)\b"
    r"|\b(?<!under\s)(?<!by\s)(?P<place2>(?:[A-Z][\w.]*\s+){1,3})(?i:law\s+(?:will\s+|shall\s+)?(?:governs?"
    r"|appl(?:y|ies)\s+to\s+(?:these|this|the)\s+(?:terms|agreement|contract)"
    r"|appl(?:y|ies)(?=\s+without\b|\s*[.;]|$)))\b"
)
# "... in the courts of the country of your main residence, and the laws of that country
# will apply": the law of the place named before.
_THAT_PLACE = pattern(r"^(?:that|such|this)\s+(?:country|state|jurisdiction)$")
# "the laws of the State of ________": a template's blank, left unfilled (the markup of the
# blank is gone from the plain text), names no place.
_BLANK_PLACE = pattern(
    r"^(?:the\s+)?(?:state|commonwealth|province|country|republic|kingdom|jurisdiction)(?:\s+of)?$"
)
# "If you are a consumer in the EEA, ...": a rule for some users. "If any dispute arises, it
# shall be submitted to ...", "In case of a dispute, ..." is the rule for every dispute.
_CONDITION = pattern(
    r"""\W*(?:\(\w+\)\s*)?(?:if|for\s+such|where|when|in\s+case)\b
        (?!\s+(?:of\s+)?(?:a|an|any|the)\s+(?:\w+\s+)?(?:disputes?|claims?|controvers\w*
          |disagreements?|conflicts?)\b)"""
)
_FEDERAL = re.compile(r"^(?:the\s+)?(?:United\s+States(?:\s+of\s+America)?|U\.S\.A?\.?|USA)$", re.I)
_LAW_LABELS = frozenset({"law", "j"})
_LAW_HEADING = pattern(
    r"govern\w*\s+law|choice\s+of\s+law|applicable\s+law|law\s+and\s+jurisdiction"
)


# Terms in Chinese choose their law so: "本协议...均适用中华人民共和国大陆地区法律" (the law of
# the PRC mainland applies to this agreement), "本协议受中华人民共和国法律管辖" (is governed by
# it). The place ends in a country or region, so "在适用法律允许的范围内" (as far as applicable
# law permits) names none; said of the agreement ("本协议"), the choice is read wherever it sits.
_CHINESE_LAW = re.compile(
    r"(?:适用|受)(?P<place>[\u4e00-\u9fff]{1,12}?(?:国|地区|特别行政区|香港|澳门|新加坡|州))"
    r"(?:的)?法律"
)
_CHINESE_CHOICE = re.compile(r"本(?:协议|条款|服务条款)[^。；]*?(?:适用|受)[^。；]*?法律")


def read_governing_law(text: str) -> str | None:
    """The jurisdiction whose law governs, as written ("State of California", "Irish law")."""
    laws_of = _LAWS_OF.search(text)
    if laws_of:
        place = laws_of.group("place") or laws_of.group("place2")
        # "(i) for Customers in the EEA, the Laws of Ireland; and (ii) for all other
        # Customers, the laws of the State of California": the default one is the main one.
        for other in _ANY_LAWS_OF.finditer(text):
            if _DEFAULT_REGION.search(text, max(0, other.start() - 60), other.start()):
                place = other.group("place")
        # "the federal laws of the United States of America and the laws of the State of
        # California": the state is the one that settles contract disputes.
        places = re.split(r"\s+and\s+(?:the\s+)?(?:laws?\s+of\s+)?(?:the\s+)?", place.strip())
        if len(places) > 1 and _FEDERAL.match(places[0]):
            return " and ".join(places[1:])
        if _THAT_PLACE.match(place.strip()):
            return normalise.RESIDENCE if normalise.names_residence(text) else None
        if _BLANK_PLACE.match(place.strip()):
            return None
        return place.strip()
    named = _NAMED_LAW.search(text)
    if named:
        return f"{(named.group('place') or named.group('place2')).strip()} law"
    chinese = _CHINESE_LAW.search(text)
    return chinese.group("place") if chinese else None


# "**Governing law (business use)**. California law will govern": a rule for some users only.
_QUALIFIED_TITLE = re.compile(r"\s*(?:\*\*|__)[^*_]*\([^)]*\)[^*_]*(?:\*\*|__)")
_QUALIFIED_HEADING = re.compile(r"\blaw\w*\s*\([^)]*\)$", re.IGNORECASE)


_SUBJECT_TO_LAWS = pattern(r"\bsubject\s+to\s+the\s+laws?\s+of\b")
_CHOOSES_LAW = pattern(r"\bgovern(?!ment)\w* | \bconstru\w* | \binterpret\w*")


# Said of the terms themselves, a choice of law is read wherever it sits (a page whose headings
# were lost, a clause the classifier left unlabelled): "These Terms are governed by the laws of
# ...", "California law will govern these Terms", "本协议...适用...法律". It ranks below a choice
# on the topic, which it never contradicts.
# "California law governs these Terms", "The laws of the State of New York govern this
# Agreement", "These Terms are subject to the laws of Germany", a run-in title ("Governing
# law: the laws of France") or "The applicable law is Swiss law" too.
_TERMS_GOVERNED = pattern(
    r"""\b(?:these|this)\s+(?:\w+\s+){0,3}?(?:terms|agreement|conditions|contract)\b [^.;]{0,40}?
        \b(?:are|is|shall\s+be|will\s+be)\s+(?:exclusively\s+)?
        (?:governed|construed|interpreted|subject\s+to\s+(?:the\s+)?(?:\w+\s+)?laws?\b)
      | \blaws?\s+(?:of\s+[^.;]{1,60}?\s+)?(?:will\s+govern|shall\s+govern|governs?)\s+
        (?:these|this)\s+(?:\w+\s+){0,3}?(?:terms|agreement|conditions|contract)\b
      | ^\W*(?:governing|applicable)\s+law\s*[:\u2013\u2014-]
      | \b(?:governing|applicable)\s+law\s+(?:is|shall\s+be|will\s+be)\s+(?:the\s+)?
        (?:\w+\s+){1,3}?laws?\b"""
)
OFF_TOPIC_RANKS = 2  # how far a choice of law read outside the topic ranks below one on it
# A processing agreement fills in the EU's standard contractual clauses for data transfers:
# "for the purposes of Clauses 17 and 18 of the SCCs, the SCCs shall be governed by the laws
# of Ireland and any dispute ... resolved by the courts of Ireland". That law and those courts
# are the clauses', not the terms'.
_TRANSFER_CLAUSES = pattern(
    r"""\bSCCs?\b | \bstandard\s+contractual\s+clauses\b | \bmodel\s+(?:contract\s+)?clauses\b
      | \b(?:UK|international\s+data\s+transfer)\s+addendum\b"""
)


def _of_transfer_clauses(clause: Clause) -> bool:
    """Does the clause choose a law or court for the data-transfer clauses only?"""
    return bool(_TRANSFER_CLAUSES.search(clause.plain) and not _TERMS_GOVERNED.search(clause.plain))


def _read_governing_law(clause: Clause, document: Document) -> Reading | None:
    on_law = clause.labels & _LAW_LABELS or on_topic(_LAW_HEADING, clause.section_path)
    if not on_law and not (
        _TERMS_GOVERNED.search(clause.plain) or _CHINESE_CHOICE.search(clause.plain)
    ):
        return None
    if _of_transfer_clauses(clause):
        return None
    place = read_governing_law(clause.plain)
    if place is None:
        return None
    # "If you are a U.S. federal government entity, the laws of ... apply instead": an
    # exception, after the main rule. "The Services are subject to the laws of ..." says less
    # than a choice of the law that governs: it gives way to one, and is no conflict with it.
    weak = _SUBJECT_TO_LAWS.search(clause.plain) and not _CHOOSES_LAW.search(clause.plain)
    rank = 1 if is_exception(clause) or weak else 0
    return Reading(place, rank=rank if on_law else rank + OFF_TOPIC_RANKS)


# Any mention of arbitration ("arbitrary" is not one): a document with one is not read as
# "courts only" by inference, whatever the mention says. The consumer arbitration board of
# EU terms ("we are not willing to take part in dispute resolution proceedings before a
# consumer arbitration board") is an out-of-court body the provider declines, not a mention.
_MENTIONS_ARBITRATION = pattern(
    r"\barbitrat(?:ion|ions|ors?|e|ed|ing)\b(?!\s+(?:board|body|bodies|boards|service)\b)|仲裁"
)
# Arbitration named among the proceedings a clause covers ("any claim, suit, action,
# arbitration or proceeding" of an indemnity, "any legal action, arbitration or other method
# of dispute resolution") is no arbitration agreement either.
_PROCEEDINGS = r"""(?:claims?|suits?|actions?|proceedings?|lawsuits?|litigation|demands?
    |investigations?|inquir(?:y|ies)|audits?|subpoenas?|hearings?)"""
_ARBITRATION_AMONG_PROCEEDINGS = pattern(
    rf"""\b{_PROCEEDINGS}\s*(?:,\s*(?:or\s+|and\s+)?|\s(?:or|and)\s+)arbitrat\w*
      | \barbitrat\w*\s*,?\s*(?:or|and)\s+(?:any\s+)?(?:other\s+)?(?:legal\s+|judicial\s+)?
        {_PROCEEDINGS}\b"""
)
# A court, however named: "the courts", "the competent people's court", "the tribunals of
# Paris" (terms translated from French, Italian or Spanish).
_COURT = r"(?:people['’]s\s+)?(?:courts?|tribunals?)\b"
_WORDS = r"(?:[\w'’-]+\s+)"  # any word, "people's" and "non-exclusive" included
# Disputes sent to named courts, in words no other clause uses: "submit to the exclusive
# jurisdiction of the courts located in ...", "you submit to the non-exclusive jurisdiction of
# the courts of England", "the exclusive forum for any claims is the United States District
# Court for ...", "we each agree to personal jurisdiction of the courts located in Dublin",
# "shall be submitted to the people's court with jurisdiction where the Company is located",
# "The exclusive place of jurisdiction is Berlin", "the sole court of jurisdiction ... is",
# "the Tokyo District Court shall be the exclusive court of first instance", "disputes fall
# within the exclusive competence of the courts of Milan", a people's court in Chinese ("向公司
# 所在地人民法院提起诉讼", sue at the people's court where the company is), disputes "resolved in
# the courts of Ontario" or "adjudicated exclusively by the courts located in ...", "the courts
# of Ontario shall have jurisdiction".
_FORUM_CHOSEN = rf"""
        \b(?:submit\w*|subject|consent\w*|agree\w*)\s+to\s+(?:the\s+)?{_WORDS}{{0,3}}?
        (?:jurisdiction|venue)\b [^.;]{{0,80}}? \b{_COURT}
      | \b(?:exclusive|sole)\s+(?:\w+\s+){{0,2}}?(?:jurisdiction|venue|forum|competence)\b
        [^.;]{{0,120}}? \b{_COURT}
      | \b(?:exclusive|sole)\s+(?:agreed\s+)?{_COURT}(?:\s+of\s+first\s+instance)?
      | \b{_COURT} [^.;]{{0,120}}? \b(?:exclusive|sole)\s+(?:\w+\s+){{0,2}}?(?:jurisdiction|venue)\b
      | \bpeople['’]s\s+courts?\b | 人民法院
      | \b(?:resolved|litigated|heard|adjudicated|decided|settled|determined)\s+
        (?:exclusively\s+|only\s+|solely\s+)?
        (?:in|before|by)\s+(?:the\s+)?{_WORDS}{{0,3}}?{_COURT}\s+(?:of|in|located|sitting|for)\b
        (?!\s+competent\b)
      | \b(?:shall|will|must|may\s+only|can\s+only)\s+(?:only\s+|exclusively\s+|solely\s+)?be\s+
        (?:exclusively\s+|only\s+|solely\s+)?(?:brought|filed|heard|resolved|litigated|decided
        |adjudicated|submitted|tried|settled|determined|commenced|instituted)\s+
        (?:exclusively\s+|only\s+|solely\s+)?(?:in|before|by|to)\s+(?:the\s+|a\s+)?
        {_WORDS}{{0,4}}?{_COURT}\s+(?:of|in|located|sitting|for|at)\b(?!\s+competent\b)
      | \bvenue\b [^.;]{{0,60}}? \b(?:shall|will)\s+(?:be|lie)\b [^.;]{{0,60}}? \b{_COURT}
      | \bconsent\w*\s+to\s+(?:the\s+)?(?:exclusive\s+)?(?:\w+\s+)?venue\s+(?:in|of)\b
      | \b(?:bring|file|commence|institute)\s+(?:\w+\s+){{0,2}}?(?:disputes?|claims?|actions?
        |proceedings?|suits?|lawsuits?)\b [^.;]{{0,60}}? \b(?:exclusively|only|solely)\s+
        (?:in|before)\s+(?:the\s+|a\s+)?{_WORDS}{{0,4}}?{_COURT}
      | \b(?:resolved|litigated|heard|adjudicated|decided|settled|determined|brought|filed)\s+
        (?:exclusively\s+|only\s+|solely\s+)?(?:in|before|by)\s+(?:the\s+)?
        (?:(?-i:[A-Z])[\w.'’-]*\s+){{1,4}}{_COURT}
      | \bcourts?\s+(?:of|in|located\s+in|sitting\s+in)\b [^.;]{{0,60}}?
        \b(?:shall|will)\s+have\s+(?:\w+\s+){{0,2}}?jurisdiction\b
      | \b(?:place|courts?)\s+of\s+jurisdiction\b(?!\s+(?:to|finds?|holds?|rules?|determines?))"""
# Looser wordings, read in a clause on disputes, the governing law or the courts: "must be
# brought in a competent court in Ireland", "You may bring any dispute ... to the competent
# court of England", "Venue shall be in the state and federal courts of ...", "jurisdiction
# lies exclusively with the courts of Amsterdam", "any litigation may be commenced only in the
# courts of ...", "You may file a lawsuit in a court in your country", "the Agreement will be
# subject to the relevant court in your home jurisdiction", "you can sue us in your home
# courts", "agree to resolve it in California courts", "agree to choose the courts of", "will
# be handled by the courts of", "the courts of Paris shall be competent", "the Seoul Central
# District Court shall be the court of competent jurisdiction", "shall be referred to the
# courts of Milan", "the parties irrevocably submit to the courts of England", "any dispute
# shall be under the exclusive jurisdiction of the courts of Madrid".
_COURTS = pattern(
    rf"""{_FORUM_CHOSEN}
      | \b(?:brought|filed|heard|resolved|litigated|decided|adjudicated|submitted|tried|settled
          |commenced|instituted|initiated|handled|dealt\s+with|referred)\s+
        (?:\w+\s+){{0,2}}?(?:in|before|by|to)\s+(?:the\s+|a\s+|any\s+)?{_WORDS}{{0,4}}?{_COURT}
      | \b(?:bring|file|submit|commence|institute)\s+(?:\w+\s+){{0,2}}?
        (?:disputes?|claims?|actions?|proceedings?|suits?|lawsuits?)\b [^.;]{{0,160}}? \b{_COURT}
      | \b(?:sue\s+(?:\w+\s+)?|resolve\s+(?:it|them|(?:the\s+|any\s+)?(?:disputes?|claims?))\s+)
        in\s+(?:\w+\s+){{0,3}}?{_COURT}
      | \bchoose\s+the\s+{_COURT}
      | \b(?:brought|filed|litigated|heard|commenced|instituted)\s+
        (?:exclusively\s+|only\s+|solely\s+)?in\s+(?!English\b)(?-i:[A-Z])\w+
      | \bsubmit\w*\s+(?:irrevocably\s+|exclusively\s+)?to\s+the\s+{_WORDS}{{0,3}}?{_COURT}
      | \b(?:under|within)\s+the\s+(?:\w+\s+){{0,2}}?jurisdiction\s+of\s+(?:the\s+)?
        {_WORDS}{{0,3}}?{_COURT}
      | \bsubject\s+to\s+the\s+(?:\w+\s+){{0,2}}?{_COURT}
      | \bgo\s+to\s+(?:the\s+|your\s+)?(?:\w+\s+){{0,2}}?{_COURT}
      | \bcompetent\s+{_COURT}
      | \b{_COURT} [^.;]{{0,80}}? \b(?:(?:shall|will)\s+have|have|has)\s+(?:\w+\s+){{0,2}}?
        jurisdiction\b
      | \bvenue\s+(?:for|of)\s+(?:any|all)\s+(?:\w+\s+){{0,6}}?(?:shall|will)\s+(?:be|lie)\b
      | \bvenue\s+(?:shall|will)\s+(?:be|lie)\b [^.;]{{0,40}}? \b{_COURT}
      | \b{_COURT} [^.;]{{0,60}}? \b(?:are|is|shall\s+be|will\s+be)\s+(?:exclusively\s+)?competent\b
      | \b{_COURT} [^.;]{{0,60}}? \b(?:shall|will)\s+be\s+the\s+(?:\w+\s+){{0,2}}?court\b
      | \bjurisdiction\b [^.;]{{0,60}}? \b(?:lies?|rests?|is|shall\s+be|will\s+be)\s+(?:\w+\s+)?
        (?:with|in|before)\s+
        (?:the\s+)?{_WORDS}{{0,3}}?{_COURT}"""
)
_CHOSEN_FORUM = pattern(_FORUM_CHOSEN)
# A word every forum chosen in unmistakable words has: looked for first, since that forum is
# looked for in every clause of terms that name no arbitration.
_FORUM_WORD = pattern(r"court|tribunal|venue|jurisdiction|人民法院")
# The statement a copyright counter-notice must contain ("A statement that you consent to the
# jurisdiction of Federal District Court ..."): a form to fill in, not the forum of disputes.
_COUNTER_NOTICE = pattern(r"\bstatement\s+that\s+you\s+consent\b | \bcounter[- ]?notic")
# Where a forum clause sits when the classifier did not label it: a section on disputes, the
# governing law or the courts ("Governing Law and Jurisdiction", "Venue").
_FORUM_HEADING = pattern(r"arbitrat|dispute|govern\w*\s+law|applicable\s+law|jurisdiction|venue")


def _on_forum(clause: Clause) -> bool:
    return _on_disputes(clause) or on_topic(_FORUM_HEADING, clause.section_path)


# A rule for some users only ("If Customer is a U.S. federal government entity, ...", a
# section "For U.S. Federal Government Entities" or "1. If located in North America") gives
# way to the rule for everyone else ("For All Other Entities", "If Customer is any entity not
# identified in ...", "3. If not located in the Americas Region").
_FOR_SOME = pattern(r"(?:^|>\s*)(?:\(?\w{1,3}[.)]\s*)?(?:for|if|where)\s+(?!all\b|any\b)[^>]*$")
_RESIDUAL = pattern(
    r"""\b(?:all|any)\s+other\s+(?:entit|customer|user|person|countr|region|jurisdiction)
      | \bnot\s+(?:identified|described|listed|located|resident|based)\s+in\b"""
)


# Addenda for some regions: "15. Regional Terms" (modifications to the Agreement if the
# billing address is in a region: "Section 14.12 is replaced as follows"), "Appendix 2 -
# Country Specific Terms", "European Region Terms". All they say, whatever its
# wording, holds for the users of one region: the main rule stands elsewhere in the terms.
_REGIONAL_TERMS = pattern(
    r"""\b(?:regional|region|local)\s+(?:terms|provisions|addend\w*|variations?|amendments?
          |modifications?|supplements?)\b
      | \b(?:country|countries|region|jurisdiction|territory|location)[- ]specific\b"""
)


def in_regional_terms(clause: Clause) -> bool:
    """Is the clause in an addendum for some regions ("Regional Terms > Asia Pacific")?"""
    return on_topic(_REGIONAL_TERMS, clause.section_path)


def is_exception(clause: Clause) -> bool:
    """Does the clause state a rule for some users only, not the general one?"""
    if in_regional_terms(clause):
        return True
    opening = clause.plain[:200]
    if _RESIDUAL.search(opening) or _RESIDUAL.search(clause.section_path.rsplit(">", 1)[-1]):
        return False
    return bool(
        _CONDITION.match(clause.plain)
        or _QUALIFIED_TITLE.match(clause.text)
        or _QUALIFIED_HEADING.search(clause.section_path)
        or _FOR_SOME.search(clause.section_path)
    )


def _continues_an_exception(clause: Clause, document: Document) -> bool:
    """An exception, or the next sentence of one in the same item ("If located in Asia,
    Singapore law applies." then "The courts of Singapore will have exclusive jurisdiction.")."""
    return is_exception(clause) or any(
        before.section_path == clause.section_path and is_exception(before)
        for before in document.preceding(clause, 1)
    )


# "Acme may bring a claim for equitable relief in any court": a carve-out, not the forum.
_RELIEF_ANYWHERE = pattern(r"\b(?:injunctive|equitable)\s+(?:or\s+\w+\s+)?relief\b")


def _mentions_arbitration(clause: Clause) -> bool:
    return bool(_MENTIONS_ARBITRATION.search(_ARBITRATION_AMONG_PROCEEDINGS.sub(" ", clause.plain)))


def _infer_arbitration(document: Document, answers: Mapping[str, Answer]) -> Answer | None:
    """Courts named for everyone, or else what an addendum for some regions says.

    Terms that send disputes to named courts and agree to arbitrate only in their Regional
    Terms ("Asia Pacific: Section 14.12 is replaced as follows: ... resolved by arbitration")
    leave their main users in court; the regional rule is the answer only when the terms
    state none for everyone.
    """
    return _courts_without_arbitration(document) or _regional_arbitration(document)


def _regional_arbitration(document: Document) -> Answer | None:
    """The most specific reading of arbitration in an addendum for some regions, stated."""
    readings = [
        (reading.rank, position, reading.value, clause)
        for position, clause in enumerate(document.clauses)
        if in_regional_terms(clause)
        and not states_nothing(clause.plain)
        and (reading := _read_arbitration_clause(clause)) is not None
    ]
    if not readings:
        return None
    *_, value, clause = min(readings, key=lambda reading: reading[:2])
    return Answer(value, clause)


def _courts_without_arbitration(document: Document) -> Answer | None:
    """No arbitration clause outside regional addenda, and a clause sending disputes to
    named courts: one for everyone when a regional addendum arbitrates."""
    if any(
        _mentions_arbitration(clause)
        for clause in document.clauses
        if not in_regional_terms(clause)
    ):
        return None
    arbitrated_in_a_region = any(
        _mentions_arbitration(clause) for clause in document.clauses if in_regional_terms(clause)
    )

    def a_forum(clause: Clause) -> bool:
        """A clause choosing the forum: not a counter-notice nor the courts of the
        data-transfer clauses, and, when it lets a party seek relief in any court, one naming
        its forum before that carve-out ("The courts of Dublin have exclusive jurisdiction,
        but either party may seek injunctive relief in any court")."""
        if _COUNTER_NOTICE.search(clause.plain) or _of_transfer_clauses(clause):
            return False
        relief = _RELIEF_ANYWHERE.search(clause.plain)
        return relief is None or bool(_COURTS.search(clause.plain[: relief.start()]))

    def for_everyone(clause: Clause) -> bool:
        return a_forum(clause) and not _continues_an_exception(clause, document)

    # The forum of the general rule, before one for some users only (unless a region
    # arbitrates: one region's courts say nothing of another's); a forum chosen in
    # unmistakable words is read wherever it sits (a page whose headings were lost).
    courts = (
        document.first(_COURTS, where=lambda clause: _on_forum(clause) and for_everyone(clause))
        or (
            None
            if arbitrated_in_a_region
            else document.first(_COURTS, where=lambda clause: _on_forum(clause) and a_forum(clause))
        )
        or document.first(
            _CHOSEN_FORUM,
            where=lambda clause: bool(_FORUM_WORD.search(clause.plain)) and for_everyone(clause),
        )
    )
    if courts is None:
        return None
    elsewhere = " for everyone" if arbitrated_in_a_region else ""
    return Answer(
        False,
        courts,
        reason=f"Disputes go to the courts named here; no clause provides arbitration{elsewhere}.",
    )


def _word_governing_law(written: str) -> Value:
    place = normalise.jurisdiction(written)
    return Value(written, place, NEUTRAL, f"applies the law of {place}", was=place)


ARBITRATION = Fact(
    "arbitration",
    "Disputes go to binding arbitration instead of court.",
    "whether disputes go to arbitration",
    _ARBITRATION_LABELS,
    _ARBITRATION_HEADING,
    _read_arbitration,
    infer=_infer_arbitration,
    anywhere=True,  # the reader reads its unmistakable wordings anywhere, others on disputes
    choices=yes_no(
        "requires arbitration of disputes",
        "does not require arbitration",
        ("Binding arbitration", UNFAVOURABLE),
        ("Courts", FAVOURABLE),
    ),
)
CLASS_ACTION_WAIVER = Fact(
    "class_action_waiver",
    "You waive the right to bring or join a class action.",
    "whether you waive class actions",
    _DISPUTES_LABELS,
    _DISPUTES_HEADING,
    _read_class_action_waiver,
    anywhere=True,
    choices=yes_no(
        "requires you to waive class actions",
        "does not require you to waive class actions",
        ("Waived", UNFAVOURABLE),
        ("Allowed", FAVOURABLE),
    ),
)
GOVERNING_LAW = Fact(
    "governing_law",
    "Which jurisdiction's law governs the terms.",
    "which law governs its terms",
    _LAW_LABELS,
    _LAW_HEADING,
    _read_governing_law,
    anywhere=True,  # the reader reads a choice of law on the topic, one of the terms anywhere
    word=_word_governing_law,
    normalise=normalise.jurisdiction,
    describe='the jurisdiction as written, e.g. "State of California"',
)
