"""The vocabulary the fact readers share: how patterns are compiled, who "the user" is, numbers."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache

# Sentences a pattern remembers its answer for. Consecutive versions of a document share
# most of their sentences (the corpus's 658k clauses are 23k distinct sentences), and
# analysis reads a document's history in order, so a few thousand cover one history.
SENTENCES_REMEMBERED = 4096


class Pattern:
    """A compiled pattern that remembers where it matched in the sentences it last read.

    The readers ask each pattern about every clause of every version, and the same sentence
    comes back in version after version: searching it again costs the whole regex again,
    remembering costs a dictionary look-up. ``search``, ``finditer`` and ``sub`` remember
    (a search bounded to part of a text, by its bounds too); everything else is the compiled
    pattern's own.
    """

    def __init__(self, compiled: re.Pattern):
        self.compiled = compiled
        # The remembering functions are the attributes themselves, with no method around
        # them: the readers call ``search`` some 17 million times over the corpus, and a
        # Python call in between each time made reading its facts about a tenth slower.
        self.search: Callable[..., re.Match | None] = lru_cache(maxsize=SENTENCES_REMEMBERED)(
            compiled.search
        )
        self.sub: Callable[[str, str], str] = lru_cache(maxsize=SENTENCES_REMEMBERED)(compiled.sub)
        self._matches = lru_cache(maxsize=SENTENCES_REMEMBERED)(
            lambda text: tuple(compiled.finditer(text))
        )

    def finditer(self, text: str) -> Iterator[re.Match]:
        return iter(self._matches(text))

    def __getattr__(self, name: str):
        return getattr(self.compiled, name)


def pattern(text: str) -> Pattern:
    """A case-insensitive verbose pattern: the readers' patterns are long and commented."""
    return Pattern(re.compile(text, re.IGNORECASE | re.VERBOSE))


NEGATION = r"(?:not|never|no|neither|nor)"
USER = r"(?:you|customers?|users?|licensees?|developers?|subscribers?)"
# Chinese terms (中文条款) write "you" 您 or 你 and "the user" 用户; a clause runs to 。 or ；.
USER_ZH = r"(?:您|你|用户)"
NOT_END_ZH = r"[^。；]"

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
