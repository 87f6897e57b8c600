"""The substance of a version: its words, without the Markdown that carries them.

Two extractions of the same page (an archive's and termwatch's own, or one before and after
a change of selectors) write the same terms with different Markdown: ``*`` or ``-`` before
list items, ``##`` or ``###`` or an underline for a heading, ``**bold**`` or not, other link
targets, typographic or straight quotes, other line breaks. Whether a new text is news is
decided on this form: equal substance means only the markup moved (a *technical* version),
and a document whose substance returns to one it already had is flip-flopping, not changing.

Line-based, like ``analysis.segment`` and for the same reasons: the Markdown comes from many
converters, and the whole imported history (2,600 versions, some of 200 kB) must be read
in a minute or two: ~45 ms for a 200 kB version here, where markdown-it (a full CommonMark
parser, which gave the same forms on our tests) took ~110 ms.
"""

from __future__ import annotations

import hashlib
import re

from termwatch.analysis.segment import FRONT_MATTER

# Typographic variants written by one converter and not another, made plain.
_TYPOGRAPHY = [
    (re.compile("[\u2018\u2019\u201a\u201b\u2032]"), "'"),
    (re.compile("[\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb]"), '"'),
    (re.compile("[\u2010\u2011\u2012\u2013\u2014\u2212]"), "-"),
]
# Lines that are only markup: setext underlines, horizontal rules, table rules, fences.
_RULE_LINE = re.compile(
    r"^\s*(?:[=\-*_]{3,}|\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?|`{3,}.*)\s*$"
)
# What opens a line without being a word: quote marks, heading marks, list markers, and the
# bullets some converters put in front of them.
_LINE_MARKUP = re.compile(r"^\s*(?:>\s*)*(?:#{1,6}\s+|(?:[-*+•]\s+)+|\d{1,3}[.)]\s+(?=\S))?")
# A link's or an image's target, after its text: ``[text](https://... "title")``.
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_HTML_TAG = re.compile(r"<!--.*?-->|</?[a-zA-Z][^>]*>", re.DOTALL)
# Characters that are markup wherever they stand (emphasis, code, escapes, link brackets).
# Dropping them everywhere is safe for a form that is only ever compared, never shown.
_MARKUP_CHARACTERS = re.compile(r"[*_`\\\[\]|]+")
# Spaces a converter puts or leaves inside punctuation ("word ." / "( word )").
_SPACE_BEFORE = re.compile(r" ([.,;:!?)\]])")
_SPACE_AFTER = re.compile(r"([(\[]) ")


def substance(markdown: str) -> str:
    """The words of a Markdown text in reading order, one space between them.

    Front matter, heading marks, emphasis, list markers, link targets, HTML tags and
    comments, table bars, rules and line breaks are dropped; link texts stay as words;
    quotes and dashes are made plain. Case and punctuation stay: they are the publisher's.
    Meant to be compared, not read: underscores and asterisks go even inside words.
    """
    markdown = FRONT_MATTER.sub("", markdown, count=1).lstrip("\ufeff")
    for pattern, plain in _TYPOGRAPHY:
        markdown = pattern.sub(plain, markdown)
    lines = []
    for line in markdown.splitlines():
        if _RULE_LINE.match(line):
            continue
        if line.lstrip().startswith("#"):
            line = line.rstrip().rstrip("#")  # a closing "## Title ##"
        lines.append(_LINE_MARKUP.sub("", line, count=1))
    text = _HTML_TAG.sub(" ", _LINK_TARGET.sub("]", "\n".join(lines)))
    text = " ".join(_MARKUP_CHARACTERS.sub("", text.replace("![", "[")).split())
    return _SPACE_AFTER.sub(r"\1", _SPACE_BEFORE.sub(r"\1", text))


def substance_hash(markdown: str) -> str:
    """SHA-256 of ``substance(markdown)``: equal for two texts with the same words."""
    return hashlib.sha256(substance(markdown).encode()).hexdigest()
