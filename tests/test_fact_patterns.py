"""The readers' patterns remember what they found in the sentences they read last.

Analysis reads every clause of every version, and consecutive versions repeat most
sentences, so a pattern answers a sentence met again from memory. These tests pin that the
memory changes no answer.
"""

from __future__ import annotations

import re

from termwatch.analysis.facts.patterns import Pattern, pattern


class CountingPattern:
    """A compiled pattern that counts the searches it really runs."""

    def __init__(self, text: str):
        self.compiled = re.compile(text)
        self.searches = 0

    def search(self, text, *bounds):
        self.searches += 1
        return self.compiled.search(text, *bounds)

    def sub(self, replacement, text):
        self.searches += 1
        return self.compiled.sub(replacement, text)

    def finditer(self, text, *bounds):
        self.searches += 1
        return self.compiled.finditer(text, *bounds)


def test_a_sentence_met_again_is_answered_from_memory_with_the_same_match():
    counting = CountingPattern(r"\bas is\b")
    remembered = Pattern(counting)
    sentence = "The Service is provided as is."
    first, again = remembered.search(sentence), remembered.search(sentence)
    assert first is again and first.group(0) == "as is"
    assert counting.searches == 1
    assert remembered.search("We warrant nothing.") is None
    assert counting.searches == 2


def test_every_match_is_given_each_time_it_is_asked_for():
    remembered = pattern(r"\d+\s+days")
    sentence = "Notice of 30 days, or 15 days for price changes."
    assert [m.group(0) for m in remembered.finditer(sentence)] == ["30 days", "15 days"]
    assert [m.group(0) for m in remembered.finditer(sentence)] == ["30 days", "15 days"]
    assert remembered.sub("N days", sentence) == "Notice of N days, or N days for price changes."


def test_a_search_in_part_of_a_text_is_not_mixed_up_with_one_in_the_whole():
    remembered = pattern(r"harmless")
    sentence = "You will hold us harmless."
    assert remembered.search(sentence) is not None
    assert remembered.search(sentence, 0, 10) is None


def test_the_compiled_patterns_other_methods_and_attributes_are_its_own():
    remembered = pattern(r"as\s+is")
    assert remembered.pattern == r"as\s+is"
    assert remembered.flags & re.IGNORECASE and remembered.flags & re.VERBOSE
    assert remembered.fullmatch("AS IS")
