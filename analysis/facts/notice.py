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

# "thirty (30) days", "30 (thirty) days", "30 days", "thirty days", "two weeks", "one month".
_DAYS = pattern(
    rf"""(?:{NUMBER_WORDS}\s*\(\s*(?P<figure>\d+)\s*\)
         | (?P<digits>\d+)(?:\s*\(\s*{NUMBER_WORDS}\s*\))?
         | (?P<spelled>{NUMBER_WORDS}))[\s-]+(?:calendar\s+|business\s+|working\s+)?
       (?P<unit>days?|weeks?|months?)\b"""
)
DAYS_IN = {"day": 1, "week": 7, "month": 30}  # a month's notice is counted as 30 days
# Weeks and months count only as a notice period ("two months' notice", "notice of at least
# one month", "two weeks before they take effect", "one month after we post them"): "the fees
# of the twelve months before the claim" in the same clause is a liability cap, "for twelve
# (12) months after Customer objects" how long the old terms last.
_NOTICE_AFTER = pattern(
    r"""^['’]?s?\s+(?:(?:prior|advance|written)\s+)*(?:notice|before|prior|in\s+advance
         |after\s+(?:(?:we|they\s+are|it\s+is)\s+)?(?:notice|notif|post|publi))"""
)
_NOTICE_BEFORE = pattern(r"\bnotice\s+(?:to\s+you\s+)?of\s+(?:at\s+least\s+)?$")
# "If you do not agree with a change, you may terminate this Agreement by giving us fifteen
# (15) days' notice", "... terminate with a notice period of 15 days": the notice the user
# gives to leave, not the one given of changed terms ("we may terminate or modify these
# Terms on 30 days' notice" gives it of both).
_TERMINATION_NOTICE = pattern(
    r"""\bterminat\w*\b (?:(?!\b(?:chang|modif|amend|updat|revis))[^.;]){0,80}?
        \b(?:by\s+giving|giving|upon|on|with)\s+(?:\w+\s+){0,4}?
        (?:(?:at\s+least|a\s+notice\s+period\s+of)\s+)?$"""
)
_CHANGE = pattern(r"\b(?:chang|modif|amend|updat|revis)\w*|\bnew\s+version\b")
_OF_THE_TERMS = pattern(
    r"\b(?:terms|agreement|policy|policies|conditions|rights|obligations|hereof)\b"
)
_SERVICE = pattern(r"\bservices?\b")
# A section path starts with the document's name ("Terms of Service > 10. Changes to the
# Service"): that name does not make every section one about the terms. A bare "Modification"
# or "Changes" section is about the terms, unless the path puts it under the service.
_DOCUMENT_NAME = pattern(r"\bterms\s+(?:of\s+(?:service|use)|and\s+conditions)\b")
_CHANGES_HEADING = pattern(
    r"^\W*(?:[\w.]{1,4}\s+)?(?:modifications?|changes|amendments?|updates|revisions)\W*$"
)


def _about_the_terms(text: str, section_path: str) -> bool:
    if _OF_THE_TERMS.search(text):
        return True
    path = _DOCUMENT_NAME.sub(" ", section_path)
    if _OF_THE_TERMS.search(path):
        return True
    return bool(_CHANGES_HEADING.search(path.rpartition(">")[2])) and not _SERVICE.search(path)


_NOTICE = pattern(
    r"\bnotice\b|\bnotif|\bprior\s+to\b|\bin\s+advance\b|\badvance\b|\bbefore\b"
    r"|\b(?:come|comes|take|takes)\s+(?:into\s+)?effect\b|\beffective\b|\bbinding\b"
)


# "Unless you object within ten business days of posting, the changes are binding on you",
# "the amended Terms become binding within 14 days of their publication": the changes bind
# when that time is up, a notice period; "you may reject a change to the Terms within 30 days
# of our notice" is the user's deadline only.
_OF_POSTING = pattern(
    r"""^\s*(?:of|after|from|following)\s+(?:the\s+|their\s+|its\s+|such\s+|our\s+)?
        (?:date\s+of\s+)?(?:posting|publication|notice|notification)\b"""
)
_BINDS = pattern(
    r"""\bbinding\b | \b(?:become|becomes|be|are|is)\s+effective\b | \btakes?\s+effect\b
      | \bdeemed\s+(?:to\s+have\s+)?(?:been\s+)?accept"""
)


def _binds_after(text: str, days: re.Match) -> bool:
    """Do the changes bind when the days "within" which the user may object are up? Said in
    the same part of the sentence: "you may object within 30 days of notice; changes take
    effect on posting" binds at once."""
    start = text.rfind(";", 0, days.start()) + 1
    end = text.find(";", days.end())
    part = text[start : end if end >= 0 else len(text)]
    return bool(_OF_POSTING.search(text[days.end() :]) and _BINDS.search(part))


def read_notice_days(text: str) -> int | None:
    """The days of notice given before a change, if the clause gives a number."""
    for days in _DAYS.finditer(text):
        if re.search(r"\bwithin\s+$", text[: days.start()], re.I) and not _binds_after(text, days):
            continue  # "you may object within 30 days": the user's deadline, not notice
        if _TERMINATION_NOTICE.search(text[: days.start()]):
            continue  # "you may terminate ... by giving fifteen days' notice": not of changes
        unit = days.group("unit").lower().rstrip("s")
        if unit != "day" and not (
            _NOTICE_AFTER.search(text[days.end() :]) or _NOTICE_BEFORE.search(text[: days.start()])
        ):
            continue
        if days.group("figure") or days.group("digits"):
            count = int(days.group("figure") or days.group("digits"))
        else:
            count = words_to_number(days.group("spelled"))
        return count * DAYS_IN[unit]
    return None


# Changed terms that apply as soon as they are published: no notice, 0 days. "Effective when
# they are posted", "as soon as these Terms are updated on our website", "as of the time of
# posting", "effective immediately upon its posting", "effective when we post them", "the
# revised terms apply from the date of publication", "changes take effect immediately",
# "amendments enter into force upon the publication of the amended Terms".
_TAKE_EFFECT = r"""(?:effective|takes?\s+effect|apply|binding
    |(?:comes?|came|enters?|entered|goes|go)\s+into\s+(?:force|effect))"""
_PUBLISHED = (
    r"""(?:posting|publication|posted|published|updated|made\s+available|available|online)"""
)
_ON_POSTING = pattern(
    rf"""\b{_TAKE_EFFECT}\s+(?:(?:on|to|upon)\s+(?:you|users?|customers?)\s+)?(?:immediately\s+)?
        (?:when|once|as\s+soon\s+as|upon|on|after|as\s+of|from|at)\s+
        (?:the\s+(?:time|date|moment)\s+(?:of\s+|that\s+|when\s+|on\s+which\s+)?
          |the\s+(?=posting|publication))?
        (?:(?:they|it|these\s+terms|the\s+(?:\w+\s+)?(?:terms|agreement)|(?:such\s+)?changes)\s+
          (?:are|is|have\s+been|has\s+been)\s+)?
        (?:being\s+|its\s+|their\s+)?{_PUBLISHED}\b
      | \b{_TAKE_EFFECT}\s+(?:immediately\s+)?(?:when|once|as\s+soon\s+as|after)\s+we\s+
        (?:post|publish|upload)\s+(?:them|it|the\s+(?:\w+\s+)?(?:terms|version))\b
        (?!\s+(?:and|or)\s+(?:notify|inform|tell|send))
      | \b(?:terms|agreement|version|changes?|modifications?|amendments?|revisions?|updates?)\b
        [^.;]{{0,40}}? \b(?:takes?\s+effect|apply|(?:becomes?|be|are|is)\s+effective)
        \s+immediately
      | \b(?:chang|modif|amend|updat|revis)\w* [^.;]{{0,60}}?
        \b(?:with|takes?|taking|have|has)\s+immediate\s+effect\b"""
)


# "Such update shall be effective on the Last Updated date": the date the page shows, that of
# the changed terms; less explicit than "effective when posted".
_ON_LAST_UPDATED = pattern(
    rf"""\b{_TAKE_EFFECT}\s+(?:on|from|as\s+of)\s+the\s+["“]?last\s+(?:updated|modified|revised)
        ["”]?\s+date\b"""
)


_PRICE_CHANGE = pattern(
    r"""\b(?:price|pricing|fee|subscription)s?\s+(?:changes?|increases?)
      | \b(?:changes?|increases?)\s+(?:to|in)\s+(?:our\s+|the\s+|its\s+)?(?:prices|pricing|fees)
      | \b(?:increase|change|raise)s?\s+(?:our\s+|the\s+|its\s+)?(?:subscription\s+)?
        (?:prices|fees)"""
)
# "We will notify Customer of any changes to the Subprocessor List at least 15 days before":
# who processes the data changes (a processing agreement), not the terms.
_SUBPROCESSORS = pattern(r"\bsub-?processors?\b|\bsub-?processing\b")
# "Google will provide at least 90 days' advance notice for materially adverse changes to any
# SLAs": what the service levels promise changes, not the terms (though an SLA is a "Service
# Level Agreement").
_SERVICE_LEVELS = pattern(r"\bSLAs?\b | \bservice[- ]levels?(?:\s+(?:agreements?|terms))?\b")
_NOT_THE_TERMS = (_PRICE_CHANGE, _SUBPROCESSORS, _SERVICE_LEVELS)
# "We may modify these Terms at any time without prior notice", "StackBlitz may, without
# prior notice to you, revise these Terms", "These Terms may be changed at any time without
# notice".
_WITHOUT = r"""\bwithout\s+(?:(?:any\s+)?(?:prior\s+|advance\s+|further\s+)?(?:notice|notification)
    |(?:first\s+)?notifying\s+you)"""
_WITHOUT_NOTICE = pattern(
    rf"""\b(?:modify|revise|amend|change|update)\s+(?:these|this|the)\s+(?:terms|agreement)\b
        [^.;]{{0,60}}? {_WITHOUT}
      | {_WITHOUT}\s+to\s+you,?\s+
        (?:revise|modify|amend|change|update)\s+(?:these|this|the)\s+(?:terms|agreement)
      | \b(?:terms|agreement|conditions)\s+(?:\w+\s+){{0,3}}?(?:may|can)\s+be\s+
        (?:modified|amended|changed|updated|revised)\b [^.;]{{0,40}}? {_WITHOUT}"""
)
# No notice owed: "you waive any right to receive specific notice of each such change", "We
# are under no obligation to notify you of changes to these Terms", "we are not required to
# inform you of any changes" (of the provider's own terms: "no obligation to notify you of
# changes to the SendGrid Terms" is a third party's).
_THESE_TERMS = pattern(r"\b(?:these|this|our)\s+(?:\w+\s+){0,2}?(?:terms|agreement|conditions)\b")
_NO_NOTICE_OWED = pattern(
    r"""\bwaive\w*\s+(?:any\s+(?:and\s+all\s+)?|all\s+|your\s+|the\s+)?(?:right|rights|requirement)\s+
        (?:\w+\s+){0,2}?(?:to\s+)?(?:receive\s+)?(?:\w+\s+)?notice
      | \bno\s+obligation\s+to\s+(?:notify|inform|tell|alert|give\s+(?:you\s+)?(?:\w+\s+)?notice)
      | \bnot\s+(?:be\s+)?(?:obliged|obligated|required)\s+to\s+
        (?:notify|inform|alert|give\s+(?:you\s+)?(?:\w+\s+)?notice)"""
)
# "Garmin may modify these Terms of Use at any time by updating this posting", "We may amend
# these Terms by posting the amended Terms on the Site": posting is the change, unless the
# same sentence promises a notice too ("by (1) posting a revised Agreement and (2) providing
# notice to you") or a sentence nearby dates the changes ("effective as of the first day of
# the following month").
_CHANGED_BY_POSTING = pattern(
    r"""\b(?:modify|revise|amend|change|update)\s+(?:these|this|the)\s+(?:\w+\s+){0,3}?
        (?:terms|agreement|conditions)\b [^.;]{0,40}?
        \bby\s+(?:\(\w+\)\s+)?(?:posting|publishing|updating|uploading)\b
        (?![^.;]*\b(?:notice|notif\w*|e-?mail\w*|send\w*|inform\w*|provid\w*)\b)"""
)


# "Your continued use of the Service after the changes are posted indicates your acceptance":
# "If you continue to use the Services after we post changes, you agree to the revised Terms",
# "By using the Services after the updated Terms are posted, you accept them", "Continued use
# of the Service after any modifications implies your acceptance of the new terms", "Any use
# of the Service after changes are posted constitutes your consent to them", "your use of
# the Services after the date of publication constitutes your agreement to the updated
# Terms", or the acceptance first ("You will be deemed to have accepted the changes by your
# continued use of the Services after the revised Terms are posted"): changed terms bind
# whoever keeps using the service, at once, unless the terms say when changes take effect
# ("on the first day of the month following their posting").
_AFTER_THE_CHANGE = r"""\b(?:after|following)\b [^.;]{0,60}?
    \b(?:posted|posting|published|publication|notified|updated|changes?|modifications?
      |revisions?|amendments?)\b"""
_THE_USE = r"""(?:\bcontinu\w*\s+(?:to\s+)?|\bkeep\s+|\bby\s+
    |\b(?:any|your)\s+(?:further\s+|subsequent\s+)?)(?:use|using|access)\w*"""
_IS_ACCEPTANCE = r"""\b(?:constitutes?|indicates?|implies|means|signifies|confirms?|deemed)\b
    [^.;]{0,40}? \b(?:accept|consent|acknowledg|agree)"""
# What the user accepts by using the service, when it is the changed terms themselves ("your
# continued use of the Service will be deemed acceptance of the amended Terms", "continued use
# signifies your acceptance of any changes", "By continuing to use the Service, you agree to the
# revised Terms") or whatever version is current ("By using the Site you agree to be bound by
# the then-current version of these Terms"): no "after the change" needed.
_CHANGED_TERMS = r"""\b(?:(?:revised|modified|updated|amended|new|changed)\s+(?:\w+\s+)?
      (?:terms|agreement|version|conditions)
    | (?:the|such|these|any|all)\s+(?:\w+\s+)?(?:changes|modifications|amendments|revisions
      |updates))\b"""
_CURRENT_VERSION = r"\bthe\s+(?:then[- ]?current|latest|most\s+recent)\s+version\b"
_BOUND_BY_USE = pattern(
    rf"""{_THE_USE} [^.;]{{0,80}}? {_AFTER_THE_CHANGE} [^.;]{{0,80}}?
        (?:{_IS_ACCEPTANCE}
          | \byou\s+(?:accept|agree\s+to)\b | \b(?:you\s+)?(?:will\s+be|are)\s+bound\b)
      | (?:\bdeemed\b [^.;]{{0,40}}? \baccept\w* | \bagree\w*\s+to\s+be\s+bound\b)
        [^.;]{{0,120}}? \bby\s+(?:your\s+)?(?:continu\w*|keep\w*)\s+(?:to\s+)?
        (?:use|using|access)\w* [^.;]{{0,60}}? {_AFTER_THE_CHANGE}
      | {_THE_USE} [^.;]{{0,80}}? (?:{_IS_ACCEPTANCE}\w* | \byou\s+(?:accept|agree\s+to)\b)
        [^.;]{{0,30}}? {_CHANGED_TERMS}
      | {_THE_USE} [^.;]{{0,80}}? \bbound\s+by\s+{_CURRENT_VERSION}"""
)
# "... after the effective date of the modifications", "after the effectiveness of that
# update", "subsequent to revised Terms coming into force": changes that take effect later.
_TAKES_EFFECT = pattern(
    r"""\b(?:takes?|taking|comes?|coming|enters?|entering|goes|going)\s+(?:into\s+)?
        (?:effect|force)\b
      | \bbecomes?\s+effective\b | \beffectiveness\b
      | \beffective\s+(?:on|from|as\s+of|date)\b"""
)
# "effective upon the earlier of (i) your continued use ... or (ii) 30 days from posting":
# whoever keeps using the service is bound at once, whatever the period.
_EARLIER_OF_USE = pattern(r"\bearlier\s+of\b [^.;]{0,60}? \bcontinu\w*\s+(?:to\s+)?use")
# Terms in Chinese that bind at once: "本协议...可由公司随时更新，且无需另行通知" (may be
# updated at any time without further notice), "若你继续使用本软件，即视为你接受修改后的协议条款"
# (continued use means you accept the amended terms). Changes to the service ("有权不经事先
# 通知，随时变更...网络服务") name no agreement.
_CHINESE_AT_ONCE = re.compile(
    r"(?:协议|条款)[^。；]{0,40}?(?:更新|修改|修订|变更)[^。；]{0,20}?(?:无需|无须|不经)(?:另行|事先|提前)?通知"
    r"|继续[^。；]{0,20}?使用[^。；]{0,40}?(?:视为|即表示)[^。；]{0,20}?(?:接受|同意|认可)"
    r"[^。；]{0,20}?(?:修改|修订|变更|更新)后的?(?:本)?(?:协议|条款)"
)
NEIGHBOURS = 3  # how far a clause on when changes take effect is looked for


def _dated_nearby(clause: Clause, document: Document) -> bool:
    """Does this clause or one around it say when changes take effect ("The modifications
    will become effective as of the first day of the following month")?"""
    nearby = [
        *document.preceding(clause, NEIGHBOURS),
        clause,
        *document.following(clause, NEIGHBOURS),
    ]
    return any(_TAKES_EFFECT.search(other.plain) for other in nearby)


# "If we make material changes, we will notify you by email", "we'll provide you with
# reasonable advance notice", "you will be notified of any changes": notice promised with no
# period. Then continued use binds after that notice, not on posting: the period is unstated.
# Notice "by posting the new Terms on this page" is the posting itself.
_PROMISED_NOTICE = pattern(
    r"""(?:(?:\b(?!you\b)\w+\s+(?:will|shall)|\bwe['’]ll)\s+(?:\w+\s+){0,5}?
          (?:(?:notify|inform|tell|alert|e-?mail|contact)\s+(?:you|users?|customers?|members?
             |the\s+customer)\b
            | let\s+you\s+know\b
            | (?:provide|give|send)\b [^.;]{0,40}? \bnoti(?:ce|fication)s?\b)
        | \byou\s+will\s+(?:be\s+(?:notified|informed)|receive\s+(?:\w+\s+){0,3}?
          noti(?:ce|fication)))
       (?![^.;]*\bby\s+(?:posting|publishing|updating|revising|changing)\b)"""
)


def _notice_promised(clause: Clause, document: Document) -> bool:
    """Does this clause or one around it promise notice of changed terms, with no period?"""
    nearby = [
        *document.preceding(clause, NEIGHBOURS),
        clause,
        *document.following(clause, NEIGHBOURS),
    ]
    return any(
        _PROMISED_NOTICE.search(other.plain)
        and _CHANGE.search(other.plain)
        and _about_the_terms(other.plain, other.section_path)
        and not any(narrower.search(other.plain) for narrower in _NOT_THE_TERMS)
        for other in nearby
    )


def _read_notice_days(clause: Clause, document: Document) -> Reading | None:
    text = clause.plain
    if _CHINESE_AT_ONCE.search(text):
        return Reading(0, rank=2)
    if not (
        _CHANGE.search(text)
        and (
            _NOTICE.search(text)
            or _BOUND_BY_USE.search(text)
            or _ON_POSTING.search(text)
            or _CHANGED_BY_POSTING.search(text)
            or _NO_NOTICE_OWED.search(text)
        )
    ):
        return None
    if any(narrower.search(text) for narrower in _NOT_THE_TERMS) and not _OF_THE_TERMS.search(
        _SERVICE_LEVELS.sub(" ", text)
    ):
        return None  # notice of new prices, subprocessors or service levels: not of the terms
    days = read_notice_days(text)
    about_terms = _about_the_terms(text, clause.section_path)
    if about_terms and _EARLIER_OF_USE.search(text):
        return Reading(0)
    if days is None:
        if (
            about_terms
            and _BOUND_BY_USE.search(text)
            and not _TAKES_EFFECT.search(text)
            and not any(
                _TAKES_EFFECT.search(before.plain)
                for before in document.preceding(clause, NEIGHBOURS)
            )
            and not _notice_promised(clause, document)
        ):
            return Reading(0, rank=3)
        # "effective when posted", "may revise these Terms without prior notice": 0 days,
        # though a period promised elsewhere (for material changes) says more.
        if about_terms and _ON_POSTING.search(text):
            return Reading(0, rank=2)
        if about_terms and _ON_LAST_UPDATED.search(text):
            return Reading(0, rank=3)
        if _OF_THE_TERMS.search(text) and _WITHOUT_NOTICE.search(text):
            return Reading(0, rank=2)
        if _THESE_TERMS.search(text) and _NO_NOTICE_OWED.search(text):
            return Reading(0, rank=2)
        if (
            about_terms
            and _CHANGED_BY_POSTING.search(text)
            and not _dated_nearby(clause, document)
            and not _notice_promised(clause, document)
        ):
            return Reading(0, rank=3)
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
    pattern(r"chang|modif|amend|updat|revis|evolution"),
    _read_notice_days,
    anywhere=True,  # the reader wants a change, notice and a period: strict enough alone
    word=_word_notice,
    describe="a number of days",
)
