"""Two wordings of the same answer, one comparable form.

Terms say the same thing many ways: "the laws of the State of California", "California
law" and "the State of California, U.S.A." all name California; "US $100", "$100" and
"ONE HUNDRED DOLLARS (USD 100)" are the same hundred dollars; "the amount you paid in the
six (6) months before the claim" is the fees of 6 months. The matrix, the change log and the
evaluation compare these forms (``Fact.comparable``), so a rewording is never a change of
fact, while the values keep the wording of the terms (the quote is the authority).
"""

from __future__ import annotations

import re

from termwatch.analysis.facts.patterns import NUMBER_WORDS, pattern, words_to_number

# --- jurisdictions ------------------------------------------------------------------------------

# Adjectives that name a jurisdiction ("Irish law", "governed by English law").
_ADJECTIVES = {
    "american": "United States",
    "australian": "Australia",
    "austrian": "Austria",
    "belgian": "Belgium",
    "british": "United Kingdom",
    "canadian": "Canada",
    "chinese": "China",
    "danish": "Denmark",
    "dutch": "Netherlands",
    "english": "England and Wales",
    "finnish": "Finland",
    "french": "France",
    "german": "Germany",
    "indian": "India",
    "irish": "Ireland",
    "israeli": "Israel",
    "italian": "Italy",
    "japanese": "Japan",
    "korean": "South Korea",
    "luxembourgish": "Luxembourg",
    "polish": "Poland",
    "scottish": "Scotland",
    "singaporean": "Singapore",
    "spanish": "Spain",
    "swedish": "Sweden",
    "swiss": "Switzerland",
}
# Other names of one place ("England & Wales", "the Republic of Ireland", "U.S.").
_SYNONYMS = {
    "england": "England and Wales",
    "england & wales": "England and Wales",
    "english and welsh": "England and Wales",
    "republic of ireland": "Ireland",
    "u.s.": "United States",
    "u.s.a.": "United States",
    "us": "United States",
    "usa": "United States",
    "united states of america": "United States",
    "the united states": "United States",
    "uk": "United Kingdom",
    "u.k.": "United Kingdom",
    "people's republic of china": "China",
    "prc": "China",
    "mainland china": "China",
    # official names: the long form of a country is the country
    "korea": "South Korea",  # "the Republic of Korea" once "Republic of" is read
    "federal republic of germany": "Germany",
    "russian federation": "Russia",
    "grand duchy of luxembourg": "Luxembourg",
    "swiss confederation": "Switzerland",
    "united kingdom of great britain and northern ireland": "United Kingdom",
    "great britain": "United Kingdom",
    "hong kong sar": "Hong Kong",
    "hong kong special administrative region": "Hong Kong",
    "new york state": "New York",
    # in Chinese
    "中华人民共和国": "China",
    "中国": "China",
    "中华人民共和国香港特别行政区": "Hong Kong",
    "香港特别行政区": "Hong Kong",
    "香港": "Hong Kong",
    "新加坡": "Singapore",
}
_LEADING = pattern(
    r"""^(?:(?:the|exclusively|internal|substantive|applicable|federal\s+and\s+state)\s+)*
        (?:laws?\s+(?:in\s+force\s+in\s+|of\s+))?(?:the\s+)?"""
)
_STATE_OF = pattern(r"^(?:state|commonwealth|province|canton|kingdom|republic)\s+of\s+(?:the\s+)?")
# ", U.S.A.", ", United States of America", " (USA)" after a state or city.
_COUNTRY_AFTER = pattern(
    r"""[\s,(]+(?:u\.?s\.?a?\.?|united\s+states(?:\s+of\s+america)?|usa)\)?\.?$"""
)
_LAW_AFTER = pattern(r"\s+laws?$")
# What narrows a country to its territory or adds its federal law changes nothing of the
# place: "the People's Republic of China in the mainland", "China (excluding Hong Kong, Macao
# and Taiwan)", "the State of Delaware and the federal laws of the United States", "中华人民共和国
# 大陆地区" (the PRC's mainland region).
_QUALIFIER_AFTER = pattern(
    r"""\s*(?:\([^()]*\)
            |大陆地区|大陆|境内
            |,?\s+(?:in\s+the\s+)?mainland
            |,?\s+and\s+(?:the\s+)?(?:applicable\s+)?(?:u\.?s\.?\s+)?federal\s+laws?\b.*)$"""
)
_SMALL_WORDS = {"and", "of", "the"}


# Consumer terms choose no place but the user's own: "your country of residence", "the
# jurisdiction where you are a resident", "the country in which you live".
_RESIDENCE = pattern(
    r"""\b(?:country|state|jurisdiction|place)\s+(?:of\s+your\s+(?:\w+\s+)?(?:residence|domicile)
         |(?:where|in\s+which)\s+you\s+(?:are\s+(?:a\s+)?resident|reside|live|are\s+domiciled))
      | \byour\s+(?:\w+\s+)?(?:country|state|jurisdiction)\s+of\s+(?:\w+\s+)?residence"""
)
RESIDENCE = "your country of residence"


def names_residence(text: str) -> bool:
    """Does the text name the user's own country ("the country of your main residence")?"""
    return bool(_RESIDENCE.search(text))


def jurisdiction(written: str) -> str:
    """The place a governing law names, in one spelling: "State of California" -> "California".

    Unknown places keep their words, title-cased ("Province of Ontario" -> "Ontario"); the
    user's own country, however worded, is ``RESIDENCE``.
    """
    if names_residence(written):
        return RESIDENCE
    words = " ".join(written.replace("’", "'").split()).strip(" .,;")
    words = _QUALIFIER_AFTER.sub("", words) or words
    words = _LAW_AFTER.sub("", words)
    words = _LEADING.sub("", words)
    words = _STATE_OF.sub("", words)
    words = _COUNTRY_AFTER.sub("", words) or words
    key = words.lower()
    if key in _ADJECTIVES:
        return _ADJECTIVES[key]
    if key in _SYNONYMS:
        return _SYNONYMS[key]
    return " ".join(
        word if word.lower() in _SMALL_WORDS and position else word[:1].upper() + word[1:].lower()
        for position, word in enumerate(words.split())
    )


# --- amounts ------------------------------------------------------------------------------------

_CURRENCIES = (
    (pattern(r"\bA\$|\bAUD\b|\baustralian\s+dollars?"), "AUD"),
    (pattern(r"\bC\$|\bCAD\b|\bcanadian\s+dollars?"), "CAD"),
    (pattern(r"€|\bEUR\b|\beuros?\b"), "EUR"),
    (pattern(r"£|\bGBP\b|\bpounds?\b"), "GBP"),
    (pattern(r"\bCHF\b|\bswiss\s+francs?"), "CHF"),
    (pattern(r"\bSGD\b|\bsingapore\s+dollars?"), "SGD"),
    (pattern(r"\bJPY\b|¥|\byen\b"), "JPY"),
    (pattern(r"\bINR\b|₹|\brupees?\b"), "INR"),
    (pattern(r"\$|\bUSD\b|\bdollars?\b|美元"), "USD"),
    (pattern(r"\bCNY\b|\bRMB\b|人民币|元"), "CNY"),
)
_FIGURE = re.compile(r"\d[\d,]*(?:\.\d+)*")
# "10.000 euros", "1.000.000 €": points that group thousands, as much of Europe writes them.
_POINT_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+")
_SPELLED = pattern(rf"\b{NUMBER_WORDS}\b")
# "in the six (6) months", "during the 12-month period", "in the preceding year".
_PERIOD = pattern(
    rf"""(?:(?P<spelled>{NUMBER_WORDS})\s*\(\s*(?P<figure>\d+)\s*\)|(?P<digits>\d+)
           |(?P<words>{NUMBER_WORDS}))[\s-]+(?P<unit>months?|years?)\b
       | \b(?:one|a|the\s+(?:preceding|previous|prior|last))\s+(?P<year>year)\b
       | (?P<zh>\d+)\s*(?P<zh_unit>个月|年)"""
)
_PAID = pattern(
    r"\b(?:paid|payable|pays?|fees?|charges|spent|subscription|order|purchase)\b|支付|费用|服务费"
)
_TEN_THOUSAND = re.compile(r"\d\s*万")  # "人民币1万元": 万 counts ten thousands
_SHARE = re.compile(r"\s*(\d+(?:\.\d+)?)\s?%")
# A multiple of the fees is its share: "two times (2x) the fees" is 200% of them, as is "twice".
_TIMES = pattern(
    rf"""^\s*(?:(?P<digits>\d+(?:\.\d+)?)\s?(?:x\b|\s+times\b)
             | (?P<words>{NUMBER_WORDS})(?:\s*\(\s*\d+(?:\.\d+)?\s?x?\s*\))?\s+times\b
             | (?P<twice>twice)\b)"""
)


def _share(written: str) -> float | None:
    """The percentage of the fees a formula counts ("125% of", "two times"), if it says one."""
    share = _SHARE.match(written)
    if share:
        return float(share.group(1))
    times = _TIMES.match(written)
    if not times:
        return None
    if times.group("twice"):
        return 200.0
    if times.group("digits"):
        return float(times.group("digits")) * 100
    return words_to_number(times.group("words")) * 100.0


def amount(written: str) -> str:
    """One amount or formula in one form: "US $100" -> "USD 100", "ONE HUNDRED DOLLARS"
    -> "USD 100", "10.000 euros" -> "EUR 10000",
    "the amount you paid in the six (6) months before" -> "fees paid, 6 months",
    "125% of the fees you paid in the 12 months" -> "125% of fees paid, 12 months", "two times
    the fees paid" -> "200% of fees paid"."""
    figure = _FIGURE.search(written)
    currency = next((code for found, code in _CURRENCIES if found.search(written)), None)
    if currency and not _PAID.search(written):
        if figure:
            digits = figure.group()
            if _POINT_GROUPED.fullmatch(digits):
                digits = digits.replace(".", "")
            number = float(digits.replace(",", ""))
            if _TEN_THOUSAND.search(written):
                number *= 10_000
        else:
            spelled = _SPELLED.search(written)
            number = words_to_number(spelled.group()) if spelled else None
        if number is not None:
            return f"{currency} {number:g}"
    if _PAID.search(written):
        months = period_months(written)
        fees = f"fees paid, {months} months" if months else "fees paid"
        share = _share(written)  # "125% of the fees you paid"; 100% of them is the fees
        if share is not None and share != 100:
            return f"{share:g}% of {fees}"
        return fees
    return " ".join(written.split()).lower()


def period_months(written: str) -> int | None:
    """The period a fee formula counts, in months ("twelve (12) months" -> 12)."""
    found = _PERIOD.search(written)
    if not found:
        return None
    if found.group("year"):
        return 12
    if found.group("zh"):  # "12个月" (months), "1年" (years)
        return int(found.group("zh")) * (12 if found.group("zh_unit") == "年" else 1)
    if found.group("figure") or found.group("digits"):
        count = int(found.group("figure") or found.group("digits"))
    else:
        count = words_to_number(found.group("spelled") or found.group("words"))
    return count * 12 if found.group("unit").lower().startswith("year") else count


def amounts(written: list[str]) -> tuple[str, ...]:
    """A cap's amounts in one form and order: the same sums reordered are the same cap."""
    return tuple(sorted(amount(each) for each in written))
