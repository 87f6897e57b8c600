"""Warranties: does the service come "as is"?"""

from __future__ import annotations

from termwatch.analysis.facts.engine import (
    FAVOURABLE,
    UNFAVOURABLE,
    Clause,
    Document,
    Fact,
    Reading,
    on_topic,
    yes_no,
)
from termwatch.analysis.facts.patterns import pattern

_IN_PHRASE_ZH = r"[^。；，,]"  # within one phrase of a Chinese clause

# "as is" in its ordinary sense: "in such form as is required by law", "as is customary".
_NOT_AS_IS = r"""(?!\s+(?:required|necessary|customary|usual|reasonabl\w*|permitted|practicable
                  |possible|described|set\s+out|specified|stated|agreed|appropriate|applicable))"""
# "Disclaim" as a verb: "Disclaimer of warranties" only names the topic (a list item or a
# heading the segmenter could not tell from a clause).
_WARRANTIES_DISCLAIMED = pattern(
    rf"""["“‘']as[\s-]+is\b
      # "The Service is provided as is", "THE SOFTWARE IS LICENSED AS-IS"
      | \b(?:provided|offered|licensed|supplied|furnished|delivered|distributed|made\s+available)
        \b[^.;]{{0,60}}?\bas[\s-]+is\b{_NOT_AS_IS} | ["“‘']as[\s-]+available\b
      # "on an as-is basis", "on an AS IS and AS AVAILABLE basis", "WITH ALL FAULTS"
      | \bon\s+an?\s+as[\s-]+(?:is|available)\b | \bwith\s+all\s+faults\b
      # "Acme disclaims all implied warranties", "WE DISCLAIM ANY IMPLIED MERCHANTABILITY"
      | \bdisclaim(?:s|ed|ing)?\b [^.;]{{0,80}}? \b(?:warrant|merchantability)
      # "without warranty of any kind", "without any express or implied warranties", "provided
      # without any guarantees or representations" (not "without prejudice to any warranty")
      | \bwithout\s+(?:any\s+)?(?:(?:express(?:ed)?|implied|statutory|other|representations?
          |conditions?|guarantees?),?\s+(?:or\s+|and\s+)?){{0,3}}warrant
      | \b(?:provided|offered|supplied)\b [^.;]{{0,60}}?
        \bwithout\s+(?:any\s+)?(?:guarantees?|representations?)\b
      # "We make no representations, warranties or guarantees", "gives no warranty that"
      | \b(?:makes?|gives?|grants?|provides?)\s+no\s+(?:[\w-]+,?\s+(?:or\s+|and\s+)?){{0,3}}?warrant
      # "Neither party makes any warranty", "NEITHER ACME NOR ITS LICENSORS MAKE ANY EXPRESS
      # OR IMPLIED WARRANTIES"
      | \bneither\b [^.;]{{0,60}}? \bmakes?\s+any\s+(?:[\w-]+,?\s+(?:or\s+|and\s+)?){{0,3}}?warrant
      # "Acme does not warrant", "does not represent or warrant that"
      | \b(?:does|do)\s*(?:not|n['’]t)\s+(?:represent\s+(?:or|and)\s+)?warrant\b
      # "no warranties", "No conditions, warranties or other terms ... apply to the services"
      | \bno\s+(?:[\w-]+,?\s+(?:or\s+)?){{0,3}}?warranties\b
      # "Acme does not make any express or implied warranties", "we don't give any warranty"
      | \b(?:does|do|will)\s*(?:not|n['’]t)\s+(?:make|give|provide|offer)\s+(?:any\s+)?
        (?:[\w-]+,?\s+(?:or\s+|and\s+)?){{0,3}}?warrant
      # "all implied warranties are excluded", "such warranties are hereby disclaimed", "All
      # warranties ... implied by statute are, to the fullest extent permitted by law, excluded"
      | \bwarranties\b [^.;]{{0,160}}?
        \b(?:are|is)\s*(?:,[^,.;]{{0,80}},\s*)?(?:hereby\s+|expressly\s+)*(?:excluded|disclaimed)
      # "No warranty of any kind is given", "no other warranties are made"
      | \bno\s+(?:[\w-]+\s+){{0,3}}?warranty\s+
        (?:of\s+any\s+kind|(?:is|are)\s+(?:given|made|provided))
      # UK terms: "We exclude all implied conditions, warranties and terms", "we hereby
      # expressly exclude: all conditions, warranties and other terms implied by statute",
      # "Covered Parties exclude any implied mandatory warranties", "Acme excludes all warranties"
# (but "Nothing in these Terms
      # is intended to exclude any warranty", "shall not exclude").
      | \b(?:we|hereby)\s+(?:expressly\s+|also\s+)*exclud\w*\b [^.]{{0,80}}? \bwarranties\b
      | ^(?!.*\b(?:nothing|not)\b).*?\b(?<!\bto\s)(?<!shall\s)(?<!will\s)(?<!\bmay\s)
        excludes?\s+(?:any|all)\s+(?:[\w-]+\s+){{0,3}}?warranties\b"""
)
# Chinese terms disclaim in so many words: "不对以下事项作出任何保证" (makes no warranty as to the
# following), "不提供任何种类的明示或暗示担保", "不作任何担保", "按“现状”提供" (provided as is);
# not "您应当保证" (you shall warrant) nor "不对第三方提供您的信息，但保证" (a promise kept).
_WARRANTIES_DISCLAIMED_ZH = pattern(
    rf"""不(?:对{_IN_PHRASE_ZH}{{0,40}}?)?(?:作出|做出|作|做|提供|给予)(?:任何)?
         {_IN_PHRASE_ZH}{{0,20}}?(?:保证|担保)
       | [按以]照?{_IN_PHRASE_ZH}{{0,30}}?[“"「]?现状[”"」]?{_IN_PHRASE_ZH}{{0,8}}?提供"""
)
# A weaker disclaimer, in plain words ("We provide our service as is", a summary that often
# precedes the disclaimer itself), or of the service's qualities rather than of warranties:
# "we do not guarantee that the Services will be uninterrupted or error-free", "WE CAN'T
# GUARANTEE THE SERVICES WILL BE TIMELY, SECURE OR ERROR-FREE", "we make no guarantees
# regarding the accuracy or reliability of the Services", "we cannot promise that Output will
# be accurate", "we don't make any commitments about ... their reliability". A promise
# withheld on anything else ("we do not guarantee any particular placement", "we cannot
# guarantee the security of information you send") disclaims no warranty.
_QUALITIES = r"""\b(?:accura\w*|error[\s-]*free|errors\b|uninterrupted|reliab\w*|complete\w*|quality
                 |fit(?:ness)?\s+for|suitab\w*|meet\s+your\s+(?:\w+\s+)?(?:requirements|expectations|needs)
                 |free\s+(?:of|from)\s+(?:errors|bugs|viruses|defects|harmful))"""
_PLAIN_AS_IS = pattern(
    rf"\b(?:provide|offer|license|supply)s?\b [^.;]{{0,60}}? \bas[\s-]+is\b{_NOT_AS_IS}"
)
_WEAKER_DISCLAIMER = pattern(
    rf"""(?:\b(?:do|does|will|can|shall)\s*(?:not|n['’]t)|\bcannot|\bnever)\s+
         (?:and\s+(?:do|does|will)\s+not\s+)?(?:guarantee|promise)\b [^.;]{{0,120}}? {_QUALITIES}
       | \b(?:makes?|gives?|provides?)\s+no\s+(?:[\w-]+,?\s+(?:or\s+|and\s+)?){{0,3}}?
         (?:guarantees?|promises?)\b [^.;]{{0,120}}? {_QUALITIES}
       | \bno\s+guarantees?\s+(?:(?:is|are)\s+)?(?:made|given)\b [^.;]{{0,120}}? {_QUALITIES}
       | \b(?:do|does|will)\s*(?:not|n['’]t)\s+make\s+any\s+(?:commitments?|promises?)\b
         [^.;]{{0,160}}? {_QUALITIES}"""
)
# ... and in Chinese: "不保证……准确可靠、无错误" (does not guarantee it accurate, error-free),
# "无法保证……符合您的需求".
_WEAKER_DISCLAIMER_ZH = pattern(
    r"""(?:不|无法|不能)(?:保证|担保|承诺)[^。；]{0,60}?
        (?:准确|完整|可靠|错误|中断|及时|安全|稳定|符合|满足|需求|目的|适用)"""
)
# Others' content and services, for which a provider withholds a promise without disclaiming
# its own: "we do not guarantee the accuracy of any User Content".
_OTHERS = pattern(
    r"""\b(?:third[- ]party|user(?:[- ]generated)?\s+content|other\s+users|external
          |such\s+(?:sites|services|content)|betas?|previews?|experimental)\b"""
)
# Consumer terms that keep the warranties the law gives, in a saving clause: "Nothing in these
# Terms affects your statutory rights", "we are under a legal duty to provide Services in
# conformity".
_SAVING_CLAUSE = pattern(
    r"""nothing\s+in\s+(?:these|this|the)\s+(?:\w+\s+){0,2}?(?:affects?|limits?|excludes?
          |restricts?|prejudices?)\s+(?:your\s+)?(?:statutory|legal|consumer|mandatory)\s+rights
      | \b(?:does|do|will|shall)\s+not\s+(?:affect|limit|exclude|restrict)\s+(?:your\s+)?
        (?:statutory|consumer|mandatory)\s+(?:warranty\s+)?rights
      | nothing\s+in\s+(?:these|this|the)\s+\w+\s+[^.;]{0,160}?\bto\s+(?:affect|limit|exclude
          |restrict|prejudice)\s+(?:your\s+)?(?:statutory|consumer|mandatory)\s+rights
      | \blegal\s+(?:duty|obligation)\s+to\s+provide\b [^.;]{0,80}? \bconformity
      | \blegal\s+guarantee\s+of\s+conformity
      | \bstatutory\s+(?:warranty|guarantee|liability\s+for\s+defects)\s+(?:rights\s+)?
        (?:applies|apply|remains?|shall\s+apply)"""
)
# ... or in a statement of what the user keeps: "you may also have legal rights in relation
# to the Services", "EEA consumer laws provide you with a legal guarantee", "the law gives
# you the right to a certain quality of service". "You may also have other legal rights that
# vary from state to state", the coda of American disclaimers, keeps nothing.
_RIGHTS_KEPT = pattern(
    r"""\byou\s+(?:(?:may|will|shall)\s+)?(?:also\s+)?(?:have|enjoy|benefit\s+from|keep|retain)\s+
        (?:the\s+following\s+|any\s+|all\s+)?(?:statutory|legal)\s+(?:rights?|warrant\w*|guarantee\w*)
        \b(?![^.;]*\bvary\b)
      | \blaws?\s+(?:\w+\s+){0,2}?(?:provides?|gives?|grants?)\s+you\s+(?:with\s+)?(?:a\s+|the\s+)?
        (?:legal|statutory)\s+(?:guarantee|warranty)
      | \blaws?\b [^.;]{0,40}? \b(?:gives?|provides?|grants?)\s+you\s+(?:the\s+)?rights?\s+to\b
        [^.;]{0,40}? \bquality\b"""
)
# "If you are an EEA-based consumer, ...", "if you reside in France, ...": a rule for some
# users, which a global edition's general disclaimer outranks.
_FOR_SOME_USERS = pattern(
    r"""\b(?:if|where|when)\s+you(?:\s+are|’re|'re|\s+reside|\s+live)\b
      | \bfor\s+(?:consumers|users|customers)\s+(?:residing|located|based|resident)\s+in\b"""
)
# A disclaimer for one feature ("Beta Services are provided as is", "Third-Party Products are
# provided as is") or one pointing to the disclaimers elsewhere ("subject to the disclaimers
# in Section O"): a general disclaimer, where there is one, is the clause to quote. A feature
# named in an inclusion ("the Services, including any marketplace models, are provided as
# is") does not narrow the disclaimer.
_FEATURE = pattern(
    r"""\b(?:betas?|previews?|pre-?release|experimental|early\s+access|third[- ]party
          |marketplace|extensions?|plug-?ins?)\b (?=[^.;]{0,80}? (?:\bas[\s-]+is\b|\bwarrant))"""
)
_INCLUDING = pattern(r"\binclud\w*\b")
# A disclaimer of something else than the service: what users or third parties supply, or the
# provider's marks ("The Content and Marks are provided ... AS IS", "We do not warrant the
# accuracy of any User Content", "makes no warranties ... in relation to Marketplace
# Extensions"). The disclaimer of the service itself is the one to quote.
_SOMETHING_ELSE = r"""(?:user(?:[- ]generated)?\s+content|third[- ]party\s+[\w-]+
                      |(?:content\s+and\s+)?marks|marketplace\s+[\w-]+
                      |content\s+(?:posted|submitted|provided|uploaded)\s+by)"""
_OF_SOMETHING_ELSE = pattern(
    rf"""^\W*(?:the\s+|all\s+|any\s+|such\s+)?{_SOMETHING_ELSE}\b
           [^.;]{{0,40}}? \b(?:is|are)\s+provided\b
      | \bwarrant\w*\b [^.;]{{0,100}}?
        \b(?:of|regarding|concerning|about|as\s+to|in\s+relation\s+to)
        \s+(?:any\s+|the\s+)?{_SOMETHING_ELSE}"""
)
_POINTS_ELSEWHERE = pattern(
    r"\bsubject\s+to\s+the\s+(?:\w+\s+)?(?:disclaimers?|warrant\w*)\s+(?:in|of|under)\b"
)
# What the user gives as is: "you give Feedback “AS IS”", "you provide suggestions as is".
_USERS_AS_IS = pattern(
    r"""\byou\s+(?:\w+\s+){0,2}?(?:give|provide|submit|send)\b [^.;]{0,60}? \bas[\s-]+is\b
      | \bfeedback\b [^.;]{0,40}? \bas[\s-]+is\b"""
)
# A glossary entry ("A commercial guarantee is a voluntary commitment ...") defines a word.
_DEFINITION = pattern(r"^\W*(?:an?|the)\s+(?:[\w-]+\s+){1,4}?(?:is|means)\s+(?:an?|the)\b")


def _narrow(text: str, section_path: str) -> bool:
    """Is the disclaimer one of a feature, in terms not about that feature alone (the
    "Plugins Terms" disclaim the plugin feature in general), or of something else than the
    service?"""
    if _POINTS_ELSEWHERE.search(text) or _OF_SOMETHING_ELSE.search(text):
        return True
    title = section_path.partition(" > ")[0].lower()
    return any(
        not _INCLUDING.search(text, max(0, feature.start() - 80), feature.start())
        and feature.group(0).lower().rstrip("s") not in title
        for feature in _FEATURE.finditer(text)
    )


_WARRANTY_LABELS = frozenset({"warranty", "ltd"})
_WARRANTY_HEADING = pattern(r"warrant|disclaim|guarantee|免责|保证|担保|责任限制")


def _on_warranties(clause: Clause) -> bool:
    """Is the clause labelled as one on warranties or liability, or in a section on them?
    A disclaimer in its own words is read anywhere (a page whose headings were lost); a
    promise withheld ("we do not guarantee that ... error-free") only there."""
    return bool(clause.labels & _WARRANTY_LABELS) or on_topic(
        _WARRANTY_HEADING, clause.section_path
    )


def _read_warranties(clause: Clause, document: Document) -> Reading | None:
    """An "as is" disclaimer is ``True``; a clause keeping the statutory warranties is
    ``False`` and outranks it: a consumer keeps what the law gives, whatever "as is" says.

    From the most to the least telling: a saving clause for every user of the terms (rank
    0), a statement of the legal rights every user keeps (1), a general disclaimer (2), the
    statutory warranties kept for some users only (3), a disclaimer of one feature (4), a
    promise of quality withheld (5), one withheld on others' content or a feature (6).
    """
    text = clause.plain
    if _DEFINITION.search(text) or _USERS_AS_IS.search(text):
        return None
    saving, kept = _SAVING_CLAUSE.search(text), _RIGHTS_KEPT.search(text)
    if saving or kept:
        return Reading(False, rank=3 if _FOR_SOME_USERS.search(text) else 0 if saving else 1)
    if _WARRANTIES_DISCLAIMED.search(text) or _WARRANTIES_DISCLAIMED_ZH.search(text):
        return Reading(True, rank=4 if _narrow(text, clause.section_path) else 2)
    weaker = _WEAKER_DISCLAIMER.search(text) or _WEAKER_DISCLAIMER_ZH.search(text)
    if _PLAIN_AS_IS.search(text) or (weaker and _on_warranties(clause)):
        return Reading(True, rank=6 if _OTHERS.search(text) else 5)
    return None


WARRANTIES_DISCLAIMED = Fact(
    "warranties_disclaimed",
    "The service and its output come 'as is', without warranty.",
    "whether it disclaims warranties",
    _WARRANTY_LABELS,
    _WARRANTY_HEADING,
    _read_warranties,
    anywhere=True,  # see _on_warranties
    choices=yes_no(
        "disclaims warranties",
        "does not disclaim warranties",
        ("Disclaimed (as is)", UNFAVOURABLE),
        ("Not disclaimed", FAVOURABLE),
    ),
)
