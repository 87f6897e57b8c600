"""The provider's liability: its cap (kind and amounts) and the exclusion of indirect damages."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from termwatch.analysis.facts import normalise
from termwatch.analysis.facts.engine import (
    FAVOURABLE,
    MIXED,
    NEUTRAL,
    UNFAVOURABLE,
    Answer,
    Clause,
    Document,
    Fact,
    Reader,
    Reading,
    Value,
    affirm_or_deny,
    yes_no,
)
from termwatch.analysis.facts.patterns import (
    NOT_END_ZH,
    NUMBER_WORDS,
    USER,
    USER_ZH,
    Pattern,
    pattern,
)

_CODE = r"(?:USD|EUR|GBP|AUD|CAD|CHF|SGD|JPY|INR)"
_FIGURE = r"\d[\d,]*(?:\.\d+)?"
_SYMBOL_AMOUNT = rf"(?:(?:U\.?S\.?|{_CODE}|A|C)\s?)?[$€£]\s?{_FIGURE}"
_CODE_AMOUNT = rf"{_CODE}\s?{_FIGURE}|{_FIGURE}\s?{_CODE}\b"
_CURRENCY_WORDS = r"(?:(?:U\.?S\.?|United\s+States)\s+)?(?:dollars?|euros?|pounds?(?:\s+sterling)?)"
# "$100", "US $500", "USD 100", "€100", "100 €", "$500 (five hundred) USD",
# "one hundred U.S. dollars (US$100)", "ONE HUNDRED DOLLARS ($100)", "100 euros".
_AMOUNT = pattern(
    rf"""(?:{NUMBER_WORDS}|{_FIGURE})\s+{_CURRENCY_WORDS}
         (?:\s*\(\s*(?:{_SYMBOL_AMOUNT}(?:\s?{_CODE}\b)?|{_CODE_AMOUNT})\s*\))?
       | {_SYMBOL_AMOUNT}(?:\s*\(\s*{NUMBER_WORDS}\s*\))?(?:\s?{_CODE}\b)?
       | {_CODE_AMOUNT}
       | \b{_FIGURE}\s?[€£]"""
)
# A multiple of the fees: "two times (2x) the fees", "two (2) times the amounts", "3x the fees",
# "twice the fees".
_TIMES = rf"""(?:\b(?:{NUMBER_WORDS}|\d+(?:\.\d+)?)(?:\s*\(\s*\d+(?:\.\d+)?\s?x?\s*\))?\s+times\s+
               (?:\(\s*\d+(?:\.\d+)?\s?x\s*\)\s+)?
             | \btwice\s+ | \b\d+(?:\.\d+)?\s?x\s+)"""
# What the user paid, however it is worded: "the amount you paid us in the 12 months before
# the claim", "the fees paid by Customer", "100% OF ANY AMOUNT YOU'VE PAID", "the total amount
# of fees actually paid", "what you actually paid for the service", "200% of the purchase price
# of the Voucher", "the price paid for the Services", "the aggregate cost of your reservation",
# "the amounts you spent with us"; or the fees named without a payment: "the subscription fees
# for the twelve months before the claim", "your Services fee for the month", "the annual
# subscription fee", "one month of fees", "the amount of the annual subscription", "the value
# of the order".
_FEES_PAID = pattern(
    rf"""(?:\b\d+\s?%\s+(?:of\s+)?|{_TIMES})?
         (?:\b(?:the\s+|any\s+)?(?:total\s+|aggregate\s+)?(?:service\s+|subscription\s+)?
            (?:amounts?|fees?|sums?|charges)
            (?:\s+of\s+(?:the\s+)?(?:fees|charges))?,?\s+
            (?:if\s+any,\s+)?(?:(?:actually|that|which)\s+)?
            (?:(?:{USER}|you)(?:['’]ve|\s+(?:have|has|were|was))?\s+(?:actually\s+)?)?
            (?:paid|payable|pays?|received|charged|spent)\b
          | \bwhat\s+you\s+(?:have\s+)?(?:actually\s+)?paid\b
          | \bthe\s+(?:total\s+|aggregate\s+)?(?:purchase\s+)?price\s+
            (?:(?:you\s+(?:have\s+)?)?paid\s+(?:by\s+you\s+)?)?(?:of|for)\b
          | \bthe\s+(?:total\s+|aggregate\s+)?cost\s+of\s+your\b
          | \b(?:the|your)\s+(?:total\s+|aggregate\s+)?(?:[\w-]+\s+){{0,2}}?(?:fees?|charges)\s+
            (?:for|of|under|during|in)\s+(?:the|your|this|such|each|any)\b
          | \b(?:the|your)\s+(?:[\w-]+\s+)?subscription\s+fees?\b
          | \b(?:{NUMBER_WORDS}|\d+)\s+(?:\(\s*\d+\s*\)\s+)?months?['’]?\s+(?:of\s+)?
            (?:fees|charges|subscription\s+fees)\b
          | \bthe\s+(?:amount|price|value)\s+of\s+(?:the|your)\s+(?:[\w-]+\s+)?
            (?:subscription|order|purchase)\b)"""
)
# Where the formula ends: the next alternative, a clause break or the end of the sentence, the
# name the terms give the cap ("(“Liability Cap”)").
_FORMULA_END = pattern(
    rf""",?\s+or,?\s+if\s+greater | ,?\s+whichever\s+is | ,?\s*(?:or|and)\s+\(\s*[a-z]{{1,3}}\s*\)
       | ,?\s+(?:or|and)\s+(?=(?:{_AMOUNT.pattern})) | ; | \.(?:\s|$) | $
       | \s*\(\s*(?:the\s+)?["“]"""
)
# Where the cap ends: an exception to it (", EXCEPT TO THE EXTENT SUCH LIABILITY CANNOT BE
# LIMITED UNDER APPLICABLE LAW", ", except Google's total aggregate Liability for Services
# provided free of charge is limited to $5,000", a cap of its own for a few) or a new statement
# after a semicolon ("; the fees for the Service are not refundable"), not the next item of the
# formula ("; or (b) $100").
_CAP_END = pattern(
    r""",\s*(?:except|unless|save|provided\s+that)\b
      | ;(?!\s*(?:or|and|plus)\b)(?!\s*\(?[a-z\d]{1,3}\))"""
)
# "Our total liability", "liability ... shall not exceed", "restricted to", "our responsibility is
# limited to", "WE LIMIT OUR LIABILITY TO YOU TO",
# "we shall only be liable for direct damages ... up to", "YOU MAY RECOVER ONLY DIRECT DAMAGES
# IN ANY AMOUNT NO GREATER THAN WHAT YOU PAID".
_CAP = pattern(
    r"""\b(?:aggregate|total|maximum|entire|cumulative|overall|collective)\s+liabilit
      | \b(?:liabilit|responsibilit)\w* [^.;]{0,500}?
        \b(?:exceed\w*|(?:limited|restricted)\s+to|capped\s+at|up\s+to|in\s+excess\s+of
          |(?:more|greater)\s+than)\b
      | \bliable\b [^.;]{0,500}? \b(?:exceed\w*|in\s+excess\s+of|(?:more|greater)\s+than)\b
      | \b(?!you\b)\w+\s+(?:shall|will|is|are)\s+(?:only\s+)?(?:be\s+)?(?:only\s+)?liable\b
        [^.;]{0,300}? \bup\s+to\b
      | \blimits?\s+(?:our|its|their)\s+(?:\w+\s+){0,2}?liabilit\w*\s+(?:\w+\s+){0,3}?to\b
      | \brecover\b [^.;]{0,80}? \b(?:(?:no|not)\s+(?:greater|more)\s+than|exceed\w*|up\s+to)\b"""
)
_USERS_CAP = pattern(rf"\b(?:your|{USER}(?:'s|’s|s'|s’))\s+(?:\w+\s+)?(?:liabilit|responsibilit)")
_PROVIDERS_CAP = pattern(
    r"\b(?:our|either\s+party's|either\s+party’s|each\s+party's|each\s+party’s)\b"
    r"|\bliabilit\w*\s+(?:\w+\s+){0,4}?to\s+(?:you|customer)"
)
_GREATER = pattern(r"\bgreater\s+of\b|\bif\s+greater\b|\bwhichever\s+is\s+(?:greater|higher|more)")
_LESSER = pattern(r"\b(?:lesser|less|lower)\s+of\b|\bwhichever\s+is\s+(?:less|lower|smaller)")
_UNCAPPED = pattern(
    r"""\bunlimited\s+liabilit
      | \bliabilit\w*\s+(?:\w+\s+){0,4}?(?:is|are|shall\s+be|will\s+be)\s+unlimited
      | \bno\s+(?:limit|cap)\s+(?:on|to)\s+(?:our|its|the\s+provider's)\s+liabilit"""
)


@dataclass(frozen=True)
class Cap:
    """A liability cap as a clause states it: its kind and what it is made of."""

    kind: str  # see the values of liability_cap_kind
    amounts: list[str] = field(default_factory=list)  # as written


@dataclass(frozen=True)
class _CapWords:
    """How terms in one language word a cap: who is capped, the cap, its amounts."""

    users_cap: Pattern  # the user's own liability, not the question
    providers_cap: Pattern  # ... unless the provider's is named too
    cap: Pattern  # where the cap is stated
    fees_paid: Pattern  # a fee formula
    amount: Pattern  # a sum
    formula_end: Pattern
    cap_end: Pattern  # where the cap ends: an exception, another statement
    greater: Pattern
    lesser: Pattern


_ENGLISH = _CapWords(
    _USERS_CAP, _PROVIDERS_CAP, _CAP, _FEES_PAID, _AMOUNT, _FORMULA_END, _CAP_END, _GREATER,
    _LESSER,
)  # fmt: skip
# Chinese terms (中文条款): "公司对你承担的全部责任……始终不超过你……支付给公司的费用" (the
# company's whole liability to you never exceeds the fees you paid it), "赔偿总额以人民币100元为限"
# (limited to CNY 100), "以两者中较高者为准" (whichever is higher).
_CHINESE = _CapWords(
    users_cap=pattern(rf"{USER_ZH}(?:对|向){NOT_END_ZH}{{0,12}}?(?:承担|负)"),
    providers_cap=pattern(rf"(?:我们|公司|平台){NOT_END_ZH}{{0,6}}?(?:对|向){USER_ZH}"),
    cap=pattern(
        rf"""(?:责任|赔偿){NOT_END_ZH}{{0,80}}?
             (?:不(?:会|应|得)?超(?:过|出)|以{NOT_END_ZH}{{0,60}}?为限|上限(?:为|是))"""
    ),
    fees_paid=pattern(
        rf"""{USER_ZH}{NOT_END_ZH}{{0,40}}?(?:支付|付费|缴纳|已付){NOT_END_ZH}{{0,20}}?
             (?:费用|服务费|金额|价款|款项)(?:\s*[（(]如有[)）])?"""
    ),
    amount=pattern(
        r"""(?:人民币|RMB|CNY)\s*\d[\d,]*(?:\.\d+)?\s*万?元?
          | \d[\d,]*(?:\.\d+)?\s*万?(?:美元|元)"""
    ),
    formula_end=pattern(r"[，,、。；]|或|$"),
    cap_end=pattern(r"[，,]\s*(?:但|除|除非)|；"),
    greater=pattern(r"较高者|孰高|(?:两者|二者)(?:之?中)?较高"),
    lesser=pattern(r"较低者|孰低|(?:两者|二者)(?:之?中)?较低"),
)
_CJK = re.compile(r"[\u4e00-\u9fff]")


def read_cap(text: str) -> Cap | None:
    """The cap a clause sets on the provider's liability, if it sets one."""
    words = _CHINESE if _CJK.search(text) else _ENGLISH
    if words.users_cap.search(text) and not words.providers_cap.search(text):
        return None  # "your total liability to us shall not exceed ...": not the question
    if _UNCAPPED.search(text):
        return Cap("uncapped")
    cap = words.cap.search(text)
    if not cap:
        return None
    amounts = _cap_amounts(text[cap.start() :], words)
    if not amounts:
        return None  # "our liability is limited to the extent permitted by law": no cap read
    # "THE GREATER OF ONE HUNDRED DOLLARS ($100)": a greater-of needs two things to compare.
    if words.greater.search(text) and len(amounts) > 1:
        kind = "greater_of"
    elif words.lesser.search(text) and len(amounts) > 1:
        kind = "lesser_of"
    elif any(words.fees_paid.match(amount) for amount in amounts):
        kind = "fees_paid"
    else:
        kind = "fixed"
    return Cap(kind, amounts)


def _cap_amounts(text: str, words: _CapWords) -> list[str]:
    """Amounts and fee formulas, as written, in the order they appear, up to the end of the cap
    after them ("will not exceed, except for fraud, $100" names its amount after)."""
    first = min(
        (
            found.start()
            for found in (words.fees_paid.search(text), words.amount.search(text))
            if found
        ),
        default=0,
    )
    end = words.cap_end.search(text, first)
    if end:
        text = text[: end.start()]
    spans: list[tuple[int, int]] = []
    for formula in words.fees_paid.finditer(text):
        if spans and formula.start() < spans[-1][1]:
            continue  # "the amount of the subscription fees actually paid": one formula
        end = words.formula_end.search(text, formula.end()).start()
        spans.append((formula.start(), end))
    for amount in words.amount.finditer(text):
        if not any(start <= amount.start() < end for start, end in spans):
            spans.append(amount.span())
    return [text[start:end].strip(" ,:") for start, end in sorted(spans)]


_OVERALL = pattern(r"\b(?:aggregate|total|maximum|entire|cumulative)\b")


def _cap_reader(part: Callable[[Cap], Any]) -> Reader:
    """A reader of one side of the cap; both sides rank clauses alike, so they agree."""

    def read(clause: Clause, document: Document) -> Reading | None:
        cap = read_cap(clause.plain)
        if cap is None:
            return None
        # The overall cap ("our total liability") before a cap on one feature or service.
        return Reading(part(cap), rank=0 if _OVERALL.search(clause.plain) else 1)

    return read


_CARVE_OUT = pattern(
    r"""\bnothing\s+in\s+(?:these|this|the)\b
      | \b(?:does|do|shall|will)\s+not\s+(?:limit|exclude|affect)\s+(?:or\s+exclude\s+)?
        (?:our|any|your)?\s*liabilit"""
)
# A negation, contracted or run together too: "won't", "WON’T", "doesn't", "can't", "cannot".
_NOT = r"(?:\b(?:not|never|no|neither|nor|cannot)\b|\b\w+n['’]t\b)"
# Who is not liable, then for what: "NEITHER WE NOR OUR AFFILIATES, OFFICERS, ... SHALL BE
# LIABLE FOR", "we do not accept any liability for", "Acme won't be responsible to you for",
# "we will not compensate you for", "Acme's liability shall not extend to".
# The list of who is spared can be long (a few hundred characters of officers and agents); the
# user named in between is the one liable ("if you do not pay, you are liable for ...").
_NOT_LIABLE = rf"""(?:\bneither\b [^.;]{{0,400}}? \b(?:liab|responsib)
                   | {_NOT} (?:(?!\byou\b)[^.;]){{0,160}}?
                     \b(?:liab|responsib|compensat|obliged\s+to\s+(?:pay|compensate))
                   | \bliabilit\w*\s+(?:\w+\s+){{0,4}}?(?:shall|will|does|do)\s*(?:not|n['’]t)\s+
                     (?:extend\s+to|cover)\b
                   | \bin\s+no\s+(?:event|case)\b | \bunder\s+no\s+circumstances\b
                   | \bexclud | \bdisclaim | \bwaive)"""
# "WILL NOT BE RESPONSIBLE FOR LOST PROFITS, REVENUES, OR DATA; FINANCIAL LOSSES; OR INDIRECT
# ... DAMAGES": a semicolon between the items of a list does not end the exclusion; one before
# a new subject ("; you bear any indirect damages") does.
_LIST_ITEMS = rf"""(?:[^;]|;\s*(?:or\s+|and\s+)?(?!\s*(?:{USER}|we|they|it|the)\b)
                   (?=[^;.]{{0,160}}(?:;|\bdamages?\b|\bloss(?:es)?\b)))"""
_INDIRECT = r"\b(?:indirect|consequential|incidental|special|exemplary|punitive)\b"
# Lost profits are the consequential loss UK and EU terms name: "no liability for loss of
# profit, loss of business", "not liable for any loss of income or profit", "lost profits",
# "we are not liable for business losses".
_LOST_PROFITS = r"""(?:\b(?:loss(?:es)?\s+of|lost)\s+(?:[\w-]+,?\s+(?:or\s+)?){0,3}?
                    (?:profits?|revenues?|goodwill|business|income|anticipated\s+savings)\b
                    | \bbusiness\s+loss(?:es)?\b)"""
_DAMAGES = r"\b(?:damages?|loss(?:es)?)\b"
# The kinds named after the damages, where "special" alone would be a word of another sense
# ("damages for special events"): "any damages, whether direct, indirect or consequential",
# "ANY LOSS OR DAMAGE (WHETHER DIRECT, INDIRECT OR CONSEQUENTIAL)", "damages that are indirect".
_KINDS_AFTER = rf"""{_DAMAGES},?\s+\(?\s*
                    (?:whether|be\s+they|that\s+(?:is|are)|which\s+(?:is|are))\s+
                    (?:[\w-]+,?\s+(?:or\s+|and\s+|and/or\s+)?){{0,4}}?
                    (?:indirect|consequential|incidental|punitive|exemplary)\b"""
# What the user may not recover: "You can't recover any other damages, including consequential,
# lost profits, ...", "you may not recover indirect or consequential damages", "Neither party
# may claim lost profits". The provider's own claims ("Acme may not recover ...") are not it.
_NO_RECOVERY = rf"""(?:\b{USER}\s+(?:cannot|can['’]t|(?:may|shall|will)\s+not
                                  |(?:are|is)\s+not\s+entitled\s+to)
                     | \b(?:neither|no)\s+party\s+(?:may|shall|will|can|is\s+entitled\s+to))
                    \s+(?:\w+\s+){{0,2}}?(?:recover|claim|seek)\b [^.;]{{0,80}}?
                    (?:{_INDIRECT} [^.;]{{0,60}}? {_DAMAGES} | {_KINDS_AFTER}
                     | {_DAMAGES} [^.;]{{0,60}}?
                       \b(?:indirect|consequential|incidental|punitive|exemplary)\b
                     | {_LOST_PROFITS})"""
# "We will not be liable for any indirect, incidental or consequential damages", "IN NO EVENT
# SHALL ACME BE LIABLE FOR ANY SPECIAL OR PUNITIVE LOSS", "we are not liable for any indirect
# damage, including loss of profit", "Acme won't be responsible to you for: loss of income or
# profit; ...", "not liable for any damages, whether direct, indirect or consequential", "not
# liable for any damages other than direct damages".
_CONSEQUENTIAL = pattern(
    rf"""{_NOT_LIABLE} {_LIST_ITEMS}*? {_INDIRECT} [^.;]{{0,60}}? {_DAMAGES}
       | {_NOT_LIABLE} [^.;]{{0,60}}? {_KINDS_AFTER}
       | {_NOT_LIABLE} [^.;]{{0,120}}? \b(?:other\s+than|except(?:\s+for)?|save\s+for)\s+
         direct\s+{_DAMAGES}
       | {_NO_RECOVERY}
       | {_NOT_LIABLE} [^.;]{{0,200}}? {_LOST_PROFITS}
       # the exclusion said after the losses: "Liability for indirect damages and lost
       # profits is excluded", "consequential losses are not recoverable", "IF YOUR USE
       # RESULTS IN LOSS OF PROFITS OR DATA, ACME WILL NOT BE RESPONSIBLE FOR THOSE COSTS",
       # not "... lost profits, you are not liable for them".
       | (?:{_INDIRECT} [^.;]{{0,60}}? \b(?:damages?|loss(?:es)?)\b | {_LOST_PROFITS})
         (?:\s*[^.;]{{0,80}}? \b(?:is|are|shall\s+be|will\s+be)\s+(?:hereby\s+|expressly\s+)?
            (?:excluded|disclaimed|waived|not\s+recoverable)\b
          | (?:(?!\byou\b)[^.;]){{0,80}}? {_NOT}\s+(?:be\s+)?(?:held\s+)?(?:liable|responsible)\b)
    """
)

# Chinese terms (中文条款): "均不对任何直接、间接、后果性、惩罚性……的损害承担责任" (is not
# liable for any direct, indirect, consequential, punitive ... damages), "无法承担……任何直接、
# 间接……的损害", "对……利润、商业信誉、资料损失……不承担责任" (lost profits, goodwill). The kind
# qualifies the loss, directly or in a list: "因直接或间接使用第三方服务造成的损害" names a use,
# not a kind of damage.
_KINDS_ZH = rf"""(?:(?:间接|附带|后果|惩罚|惩戒|偶然|特殊|衍生)性?的?
                 |(?:利润|收益|商誉|商业信誉|营业|预期利益))
                 (?:[、，,或和及与]{NOT_END_ZH}{{0,30}}?)?(?:损害|损失)"""
_NOT_LIABLE_ZH = r"(?:不|无法|无须|无需|不予)"
_CONSEQUENTIAL_ZH = pattern(
    rf"""{_NOT_LIABLE_ZH}(?:对|就){NOT_END_ZH}{{0,80}}?{_KINDS_ZH}{NOT_END_ZH}{{0,20}}?(?:承担|负)
       | {_NOT_LIABLE_ZH}(?:承担|负责|负担|赔偿){NOT_END_ZH}{{0,80}}?{_KINDS_ZH}
       | {_KINDS_ZH}{NOT_END_ZH}{{0,30}}?{_NOT_LIABLE_ZH}(?:承担|负责|负|赔偿)"""
)


# Terms that pass on a licensor's disclaimer for its own software ("Oracle disclaims any
# liability for any damages, whether direct, indirect, ... arising from your use of the Oracle
# Software", "Red Hat also disclaims ... Red Hat, Inc. software") exclude nothing of the
# provider's: the one who disclaims is named again as the maker of the software.
_LICENSORS_DISCLAIMER = re.compile(
    r"""(?P<who>\b[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)\s+(?:also\s+)?disclaims\b [^.]*?
        \b(?P=who)\b[\s,]*(?:Inc\.?|LLC|Ltd\.?|Corporation)?(?:['’]s)?\s+(?:\w+\s+)?
        [Ss]oftware\b""",
    re.VERBOSE,
)
_LIABILITY = pattern(r"liabilit|damages|责任|免责|损害|损失|赔偿")
_EXCLUDES_INDIRECT = affirm_or_deny(_CONSEQUENTIAL, skip=_CARVE_OUT)
_EXCLUDES_INDIRECT_ZH = affirm_or_deny(_CONSEQUENTIAL_ZH)
# A lead-in whose list names the losses: "Google won't be responsible for the following
# liabilities:", "Skype shall not be liable to you, whether in contract, tort or any other
# theory, for:", "we are never liable for: 4.4.1." (a numbered item may follow the colon).
_NOT_LIABLE_FOR_LIST = pattern(
    rf"""{_NOT} [^.;]{{0,200}}? \b(?:liab|responsib)\w* [^.;]*
         :\s*(?:\d+(?:\.\d+)*\.?|\(?[a-z\d]{{1,3}}[.)])?\s*$"""
)
_INDIRECT_LOSS = pattern(
    rf"{_INDIRECT} [^.;]{{0,30}}? \b(?:loss|losses|damages?)\b | {_LOST_PROFITS}"
)
LIST_ITEMS = 6  # how far a list of excluded losses is read
# "We exclude any liability for loss or damage suffered in connection with the Services." then
# "This includes all losses of any kind (direct, incidental, consequential and/or indirect).",
# or "This will include any loss of profit": the second sentence says which losses the first
# one excludes.
_THIS_INCLUDES = pattern(
    rf"""^\W*(?:this|these|which|such\s+\w+)\s+(?:also\s+)?(?:will\s+|shall\s+)?includes?\b
         [^.]*? (?:{_INDIRECT}|{_LOST_PROFITS})"""
)
_EXCLUDES_LIABILITY = pattern(rf"{_NOT_LIABLE} [^.]*? \b(?:loss|losses|damages?|liabilit\w*)\b")
# Liability for direct damages only: "limited to direct damages", "limited to the actual
# amount of direct damages", "we shall only be liable for direct damages actually suffered",
# "YOU MAY RECOVER ONLY DIRECT DAMAGES".
_DIRECT_ONLY = pattern(
    r"""(?:\blimited\s+to\s+(?:the\s+)?(?:actual\s+)?(?:amount\s+of\s+)?
         | \bonly\s+(?:be\s+)?(?:liable\s+|responsible\s+)?(?:for\s+)?)
        direct\s+(?:damages|loss(?:es)?)\b"""
)


def _read_consequential(clause: Clause, document: Document) -> Reading | None:
    """An exclusion of indirect damages or lost profits in the clause itself, or in the list
    it introduces ("we are never liable for:"), or named by the sentence after an exclusion
    of all liability ("This includes all losses of any kind (... consequential ...)")."""
    if _LICENSORS_DISCLAIMER.search(clause.plain):
        return None
    reading = _EXCLUDES_INDIRECT(clause, document) or _EXCLUDES_INDIRECT_ZH(clause, document)
    if reading is not None:
        return reading
    text = clause.plain
    if _NOT_LIABLE_FOR_LIST.search(text) and any(
        _INDIRECT_LOSS.search(item.plain) for item in document.following(clause, LIST_ITEMS)
    ):
        return Reading(True)
    if _THIS_INCLUDES.search(text) and any(
        _EXCLUDES_LIABILITY.search(before.plain) and not _CARVE_OUT.search(before.plain)
        for before in document.preceding(clause, 1)
    ):
        return Reading(True)
    return None


def _direct_damages_only(document: Document, answers: Mapping[str, Answer]) -> Answer | None:
    """A cap "limited to direct damages" leaves the indirect ones out."""
    cap = answers["liability_cap_kind"].evidence
    direct = cap if cap and _DIRECT_ONLY.search(cap.plain) else document.first(_DIRECT_ONLY)
    if direct is None:
        return None
    return Answer(
        True, direct, reason="Liability is limited to direct damages: indirect ones are excluded."
    )


def _word_amounts(amounts: list[str]) -> Value:
    written = " or ".join(str(amount) for amount in amounts)
    return Value(amounts, written, NEUTRAL, f"caps liability at {written}", was=written)


LIABILITY_CAP_KIND = Fact(
    "liability_cap_kind",
    "How the provider's total liability to you is capped: a fixed sum, the fees you "
    "paid, the greater or lesser of both, or not at all.",
    "whether its liability is capped",
    frozenset({"ltd"}),
    _LIABILITY,
    _cap_reader(lambda cap: cap.kind),
    choices=(
        Value("fixed", "Capped", UNFAVOURABLE, "caps liability at a fixed amount"),
        Value(
            "fees_paid", "Capped at fees paid", UNFAVOURABLE, "caps liability at the fees you paid"
        ),
        Value(
            "greater_of",
            "Capped, greater of",
            MIXED,
            "caps liability at the greater of two amounts",
        ),
        Value(
            "lesser_of",
            "Capped, lesser of",
            UNFAVOURABLE,
            "caps liability at the lesser of two amounts",
        ),
        Value("uncapped", "Not capped", FAVOURABLE, "sets no cap on its liability"),
    ),
)
LIABILITY_CAP_AMOUNTS = Fact(
    "liability_cap_amounts",
    "The sums and formulas the liability cap is made of, as written.",
    "what its liability is capped at",
    frozenset({"ltd"}),
    _LIABILITY,
    _cap_reader(lambda cap: cap.amounts),
    word=_word_amounts,
    normalise=normalise.amounts,
    unstated=[],
    describe='amounts or formulas as written, e.g. ["USD 100"]; [] when none',
)
CONSEQUENTIAL_DAMAGES_EXCLUDED = Fact(
    "consequential_damages_excluded",
    "The provider excludes liability for indirect, consequential or special damages "
    "(lost profits, lost data, ...).",
    "whether it excludes consequential damages",
    frozenset({"ltd"}),
    _LIABILITY,
    _read_consequential,
    infer=_direct_damages_only,
    anywhere=True,  # "not liable for ... indirect ... damages" is unmistakable wherever it sits
    choices=yes_no(
        "excludes liability for consequential damages",
        "does not exclude liability for consequential damages",
        ("Excluded", UNFAVOURABLE),
        ("Not excluded", FAVOURABLE),
    ),
)
