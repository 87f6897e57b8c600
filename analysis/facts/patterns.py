"""The vocabulary the fact readers share: how patterns are compiled, who "the user" is, numbers."""

from __future__ import annotations

import re


def pattern(text: str) -> re.Pattern:
    """A case-insensitive verbose pattern: the readers' patterns are long and commented."""
    return re.compile(text, re.IGNORECASE | re.VERBOSE)


NEGATION = r"(?:not|never|no|neither|nor)"
USER = r"(?:you|customers?|users?|licensees?|developers?|subscribers?)"

NUMBER_WORD = (
    r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy"
    r"|eighty|ninety|hundred|thousand|million)"
)
NUMBER_WORDS = rf"{NUMBER_WORD}(?:[\s-]+(?:and\s+)?{NUMBER_WORD})*"

_UNITS = {
    word: value
    for value, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
}
_TENS = {
    word: 10 * (position + 2)
    for position, word in enumerate(
        ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    )
}
_SCALES = {"thousand": 1000, "million": 1_000_000}


def words_to_number(words: str) -> int:
    """ "thirty" -> 30, "forty-five" -> 45, "one hundred" -> 100."""
    total = current = 0
    for word in re.split(r"[\s-]+", words.lower()):
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in _SCALES:
            total += (current or 1) * _SCALES[word]
            current = 0
    return total + current
