"""Split a version's Markdown into clauses: sentences, each with the section it sits in.

A clause is what termwatch classifies and quotes as evidence, so two things matter:

* its text must be *exactly* ``markdown[start:end]``: quotes and offsets then point straight
  into ``versions.text``, and the site can highlight them without any fuzzy matching;
* its ``section_path`` says where it is ("GitHub Terms of Service > P. Limitation of
  Liability"), because the same sentence means different things in different sections and a
  reader needs to find it.

The Markdown comes from many converters (markdownify, Open Terms Archive, hand-written
files), so the parser is deliberately forgiving and line-based rather than a full CommonMark
implementation. It knows the shapes terms documents actually take:

* headings: ATX (``## Title``), setext (``Title`` over ``=====`` or ``-----``), and short
  bold-only lines used as headings (``**1. Access and Use**``);
* numbered sections and list items: ``1.``, ``1.2``, ``A.``, ``A.1.``, ``(a)``, ``(iv)``,
  possibly wrapped in bold or following a bullet, possibly followed by a bold title
  (``**1.1. Provision of Access.** Anysphere is...``). Their nesting is read the way a lawyer
  reads it: the first numbering style met under a heading is the outer level, a new style
  opens a deeper level, and meeting a style again closes what was opened below it;
* markup that holds no clause (table rules, horizontal rules, images, empty headings, code),
  and YAML front matter (a docs site's ``title:`` and ``redirect_from:``), the page's metadata.

Sentences are then split by rules rather than by a statistical model: the rules know the
abbreviations of legal English ("e.g.", "U.S.", "Inc.", "No. 5") and run over the whole
corpus (14 million words) in seconds, where a tokenizer-based splitter costs minutes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

SECTION_SEPARATOR = " > "
# YAML front matter at the very start (title, redirects, topics of a docs site): metadata of
# the page, never shown as its text. Its first line is a YAML key, so that a document opening
# with a horizontal rule is not mistaken for it.
FRONT_MATTER = re.compile(
    r"\A\ufeff?---[ \t]*\n(?=[A-Za-z_][\w-]*:).*?\n---[ \t]*(?:\n|\Z)", re.DOTALL
)


@dataclass(frozen=True)
class Segment:
    """One clause of a version: a sentence (or list item) and the section it belongs to."""

    text: str  # exactly markdown[start:end]
    start: int  # character offsets into the version's Markdown text
    end: int
    section_path: str  # e.g. "GitHub Terms > D. User-Generated Content > 4. License Grant to Us"


def segment(markdown: str) -> list[Segment]:
    """Split ``markdown`` into clauses, in document order, each with its section path."""
    return list(_Segmenter(markdown).segments())


# --- inline markup ---------------------------------------------------------------------------

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|(?<!\w)_|_(?!\w))")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_SPACES = re.compile(r"\s+")


def plain_text(markdown: str) -> str:
    """The words of a Markdown fragment without its inline markup (links keep their text).

    Classifiers and people read ``plain_text(segment.text)``; offsets stay on the Markdown.
    """
    text = _LINK.sub(r"\1", markdown)
    text = _ESCAPE.sub(r"\1", text)
    text = _EMPHASIS.sub("", text)
    return _SPACES.sub(" ", text).strip()


# A word of a title: capitalised, a number, or one of the small words titles keep in lower case.
_TITLE_WORD = re.compile(r"^(?:[A-Z0-9][\w’'.&/-]*|of|and|the|to|for|in|on|or|by|with|a|an|&|-)$")
_SENTENCE_END = (".", "!", "?", ";", ":")


def is_title(text: str) -> bool:
    """A heading rather than a clause, in plain text: every word capitalised but the small
    ones, with no sentence punctuation at the end ("O. Disclaimer of Warranties", "GOVERNING
    LAW"), or in Title Case even with a full stop ("We Both Agree To Arbitrate."). A sentence
    in capitals that ends with a full stop is a clause: terms shout their disclaimers."""
    words = text.split()
    if not words or not all(map(_TITLE_WORD.match, words)):
        return False
    return not text.endswith(_SENTENCE_END) or not text.isupper()


def _title(markdown: str) -> str:
    """A heading or item title as shown in a section path: plain text, no trailing colon/dot."""
    return plain_text(markdown).rstrip(" .:")


# --- block structure -------------------------------------------------------------------------

_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_THEMATIC_BREAK = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_TABLE_RULE = re.compile(
    r"^\s*\|?(?:\s*:?-{2,}:?\s*\|)+\s*(?::?-{2,}:?\s*)?\|?\s*$|^\s*\|?\s*:?-{3,}:?\s*\|\s*$"
)
_IMAGES_ONLY = re.compile(r"^\s*(?:\[?!\[[^\]]*\]\([^)]*\)\]?(?:\([^)]*\))?\s*)+$")
_HTML_ONLY = re.compile(r"^\s*(?:<[^>]+>\s*)+$")
_BLOCKQUOTE = re.compile(r"^(\s*(?:>\s?)+)")
_BULLET = re.compile(r"([-*+•])[ \t]+")
# A numbering marker: "1.", "1.2", "1.2.3.", "A.", "A.1.", "IV.", "(a)", "(iv)", "(12)", "a)".
# Markdownify escapes the dot of "1." as "1\.", hence the optional backslash.
_MARKER = re.compile(
    r"(?P<marker>"
    r"\((?P<paren>[A-Za-z]{1,4}|\d{1,3})\)"
    r"|(?P<dotted>(?:\d{1,3}|[A-Za-z])(?:\\?\.(?:\d{1,3}|[a-z]))*\\?\.\d{1,3}(?:\\?\.(?:\d{1,3}|[a-z]))*)\\?[.)]?"
    r"|(?P<single>\d{1,3}|[IVX]{2,5}|[ivx]{2,5}|[A-Za-z])\\?[.)]"
    r")(?=[ \t\xa0]|\*\*|__|$)"
)
_BOLD_SPAN = re.compile(r"(\*\*|__)(?P<inner>(?:(?!\1).)+?)\1")
_EMPHASIS_SPAN = re.compile(r"(\*\*|__|\*(?!\*)|_(?!_))(?P<inner>(?:(?!\1).)+?)\1")
# "5.2. Audit Reports. OpenAI has...": a short Title Case phrase after a number is its title.
_PLAIN_TITLE = re.compile(
    r"[A-Z][\w’'&/-]*(?:[ \t]+(?:[A-Z][\w’'&/-]*|and|of|the|to|for|in|on|or|by|with|a|an|&)){0,6}"
    r"\.(?=[ \t]+\S)"
)
_ROMAN = re.compile(r"^(?:i|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii)$", re.IGNORECASE)

# A bold-only line is a heading only if it reads like one: short, not a shouted sentence.
_MAX_BOLD_HEADING_WORDS = 12
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _word_count(text: str) -> int:
    """Words in ``text``, Chinese included: Chinese writes no spaces, so a whole paragraph
    would count as one word; two characters count as one (the length of a common Chinese
    word), so that "**11.7 在任何情况下……**", a clause set in bold as Chinese terms set what
    matters, is as long as it reads, not a heading."""
    return len(text.split()) + len(_CJK.findall(text)) // 2


@dataclass
class _Line:
    start: int  # offset of the line's first character
    text: str  # without its line break

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def indent(self) -> int:
        return len(self.text) - len(self.text.lstrip(" \t"))


@dataclass
class _Outline:
    """An open numbered section: its numbering style, indentation and title."""

    style: str
    indent: int
    title: str
    titled: bool  # a section with a title stays open over later plain paragraphs


@dataclass
class _Item:
    """What the start of a block says about its place in the outline."""

    content_start: int  # offset where the clause text begins (after markers and title)
    marker: str | None  # e.g. "1.2", "(a)"
    style: str | None  # numbering style, e.g. "decimal-2", "paren-alpha"
    title: str | None  # bold title, e.g. "Provision of Access"
    bullet: bool


class _Segmenter:
    def __init__(self, markdown: str):
        self.markdown = markdown
        front_matter = FRONT_MATTER.match(markdown)
        body = front_matter.end() if front_matter else 0
        self.lines = [
            _Line(match.start(), match.group(1))
            for match in re.finditer(r"([^\r\n]*)(?:\r\n|\r|\n|$)", markdown)
            if body <= match.start() and (match.start() < len(markdown) or match.group(1))
        ]
        self.headings: list[tuple[int, str]] = []  # (level, title)
        self.outline: list[_Outline] = []

    # -- section path --------------------------------------------------------------------------

    def path(self, extra: str | None = None) -> str:
        parts = [title for _, title in self.headings] + [entry.title for entry in self.outline]
        if extra:
            parts.append(extra)
        return SECTION_SEPARATOR.join(part for part in parts if part)

    def open_heading(self, level: int, title: str) -> None:
        while self.headings and self.headings[-1][0] >= level:
            self.headings.pop()
        self.headings.append((level, title))
        self.outline.clear()

    def open_section(self, style: str, indent: int, title: str, titled: bool) -> None:
        while self.outline and self.outline[-1].indent > indent:
            self.outline.pop()
        styles = [entry.style for entry in self.outline]
        if style in styles:
            del self.outline[styles.index(style) :]
        self.outline.append(_Outline(style, indent, title, titled))

    def close_untitled_sections(self, indent: int) -> None:
        """A plain paragraph at ``indent`` ends the list items it is not indented under."""
        while self.outline and (
            self.outline[-1].indent > indent
            or (self.outline[-1].indent == indent and not self.outline[-1].titled)
        ):
            self.outline.pop()

    # -- blocks --------------------------------------------------------------------------------

    def segments(self) -> Iterator[Segment]:
        paragraph: list[_Line] = []
        fence: str | None = None
        for line in self.lines:
            if fence:
                if line.text.lstrip().startswith(fence):
                    fence = None
                continue
            fence_match = _FENCE.match(line.text)
            if fence_match:
                yield from self.paragraph(paragraph)
                paragraph, fence = [], fence_match.group(1)
                continue
            if line.blank:
                yield from self.paragraph(paragraph)
                paragraph = []
                continue
            underline = _SETEXT_UNDERLINE.match(line.text)
            if underline and paragraph and not self.read_item(paragraph[0]).bullet:
                level = 1 if underline.group(1).startswith("=") else 2
                title = _title(" ".join(part.text for part in paragraph))
                if title:
                    self.open_heading(level, title)
                paragraph = []
                continue
            atx = _ATX_HEADING.match(line.text)
            if atx or _THEMATIC_BREAK.match(line.text) or self.is_markup_only(line):
                yield from self.paragraph(paragraph)
                paragraph = []
                if atx and _title(atx.group(2) or ""):
                    self.open_heading(len(atx.group(1)), _title(atx.group(2)))
                continue
            if line.text.lstrip().startswith("|"):
                yield from self.paragraph(paragraph)
                paragraph = []
                yield from self.table_row(line)
                continue
            if paragraph and self.starts_item(line):
                yield from self.paragraph(paragraph)
                paragraph = []
            paragraph.append(line)
        if not fence:
            yield from self.paragraph(paragraph)

    @staticmethod
    def is_markup_only(line: _Line) -> bool:
        text = line.text
        return bool(_TABLE_RULE.match(text) or _IMAGES_ONLY.match(text) or _HTML_ONLY.match(text))

    def starts_item(self, line: _Line) -> bool:
        """A numbered or bulleted line starts a block; so does a numbered clause set wholly in
        bold ("**2.3 本服务……**" on the line after "**2.2.3 ……**"), whose number is no title."""
        item = self.read_item(line)
        if item.marker is not None or item.bullet:
            return True
        text, start = line.text, line.indent
        found = text.startswith(("**", "__"), start) and _MARKER.match(text, start + 2)
        return bool(found) and not self.looks_like_prose(found.group("marker"), text[found.end() :])

    def read_item(self, line: _Line) -> _Item:
        """Read the bullet, numbering marker and bold title at the start of a block."""
        text = line.text
        position = line.indent
        quote = _BLOCKQUOTE.match(text)
        if quote:
            position = len(quote.group(1))
        bullet = _BULLET.match(text, position)
        if bullet and not _THEMATIC_BREAK.match(text):
            position = bullet.end()
        marker, style, title = None, None, None
        bold = text.startswith(("**", "__"), position)
        found = _MARKER.match(text, position + 2 if bold else position)
        if found and not self.looks_like_prose(found.group("marker"), text[found.end() :]):
            marker = found.group("marker").replace("\\", "")
            style = self.style_of(found)
            if bold:
                close = text.find(text[position : position + 2], found.end())
                title = text[found.end() : close] if close != -1 else None
                if title and _word_count(plain_text(title)) <= _MAX_BOLD_HEADING_WORDS:
                    position = close + 2
                else:  # "**1. a whole bold paragraph**": leave it whole, a clause
                    marker = style = title = None
            else:
                position = found.end()
        if marker and not title:
            plain = _PLAIN_TITLE.match(text, self.skip_spaces(text, position))
            if plain:
                title = plain.group()
                position = plain.end()
        if not title:
            lead = _EMPHASIS_SPAN.match(text, self.skip_spaces(text, position))
            rest = text[lead.end() :] if lead else ""
            if lead and self.is_lead_title(lead.group("inner"), rest, numbered=bool(marker)):
                title = lead.group("inner")
                position = lead.end()
        title = _title(title) if title else None
        return _Item(line.start + position, marker, style, title or None, bool(bullet))

    @staticmethod
    def skip_spaces(text: str, position: int) -> int:
        while position < len(text) and text[position] in " \t\xa0":
            position += 1
        return position

    @staticmethod
    def looks_like_prose(marker: str, rest: str) -> bool:
        """ "I. " or "A " starting a sentence, a year, a lone number: not section markers."""
        bare = marker.replace("\\", "")
        if bare[-1] not in ".)" and "." not in bare and not bare.startswith("("):
            return True
        return bool(re.fullmatch(r"\d{4}\.?", bare)) or (bare == "I." and rest[:1] == " ")

    @staticmethod
    def is_lead_title(inner: str, rest: str, numbered: bool) -> bool:
        """A short bold span opening a paragraph is its title if text follows it, or if it
        follows a number ("I.2. **Termination.**" heads the items I.2.a, I.2.b...)."""
        words = _word_count(plain_text(inner))
        return bool(words) and words <= _MAX_BOLD_HEADING_WORDS and (numbered or bool(rest.strip()))

    def style_of(self, found: re.Match) -> str:
        if found.group("paren"):
            label = found.group("paren")
            if label.isdigit():
                return "paren-decimal"
            if _ROMAN.match(label) and not self.continues_letters(label):
                return "paren-roman"
            return "paren-alpha" if label.islower() else "paren-upper"
        if found.group("dotted"):
            parts = re.split(r"\\?\.", found.group("dotted"))
            kind = "decimal" if parts[0].isdigit() else "alpha"
            return f"{kind}-{len(parts)}"
        label = found.group("single")
        if label.isdigit():
            return "decimal-1"
        if len(label) > 1 or (label in "IVX" and self.continues_letters(label) is False):
            return "roman"
        return "upper" if label.isupper() else "lower"

    def continues_letters(self, label: str) -> bool:
        """Is "(i)" the letter after "(h)" rather than the roman one? Look at the open list."""
        for entry in reversed(self.outline):
            if entry.style in ("paren-alpha", "paren-upper", "upper", "lower"):
                previous = re.sub(r"[().]", "", entry.title.split(" ")[0])
                return len(previous) == 1 and ord(label[0].lower()) == ord(previous.lower()) + 1
        return False

    def table_row(self, line: _Line) -> Iterator[Segment]:
        """Each cell of a table row is its own block: cells are not continuous prose."""
        for cell in re.finditer(r"(?:\\\||[^|])+", line.text):
            yield from self.sentences(line.start + cell.start(), line.start + cell.end(), None)

    def paragraph(self, lines: list[_Line]) -> Iterator[Segment]:
        if not lines:
            return
        first = lines[0]
        item = self.read_item(first)
        end = lines[-1].start + len(lines[-1].text)
        only_bold = not self.markdown[item.content_start : end].strip(" \t*_")
        if item.marker:
            has_title = item.title is not None or only_bold
            label = f"{item.marker} {item.title}" if item.title else item.marker
            self.open_section(item.style, first.indent, _title(label), has_title)
            if only_bold:
                return
            yield from self.sentences(item.content_start, end, None)
            return
        heading = self.bold_heading(first, lines, end)
        if heading:
            self.open_section("bold", first.indent, heading, titled=True)
            return
        if not item.bullet:
            self.close_untitled_sections(first.indent)
        yield from self.sentences(item.content_start, end, item.title)

    def bold_heading(self, first: _Line, lines: list[_Line], end: int) -> str | None:
        """A short paragraph that is entirely bold reads as a heading (returns its title)."""
        if len(lines) != 1:
            return None
        whole = _BOLD_SPAN.fullmatch(first.text.strip())
        if not whole:
            return None
        title = _title(whole.group("inner"))
        words = _word_count(title)
        shouted_sentence = title.endswith(("!", "?")) or (
            whole.group("inner").rstrip().endswith((".", "。")) and words > 6
        )
        if not words or words > _MAX_BOLD_HEADING_WORDS or shouted_sentence:
            return None
        return title

    # -- sentences -----------------------------------------------------------------------------

    def sentences(self, start: int, end: int, title: str | None) -> Iterator[Segment]:
        path = self.path(title)
        for piece_start, piece_end in split_sentences(self.markdown, start, end):
            yield Segment(self.markdown[piece_start:piece_end], piece_start, piece_end, path)


# Words after which a period does not end a sentence (lower-cased, with their period).
ABBREVIATIONS = frozenset(
    """
    e.g. i.e. etc. vs. v. cf. al. approx. incl. esp. viz. resp. ca. min. max. no. nos. art.
    arts. sec. secs. para. paras. ch. cl. p. pp. fig. vol. ed. ref. dept. div. est. op.
    inc. ltd. llc. l.l.c. co. corp. plc. pty. gmbh. s.a. b.v. n.v. s.p.a. ag. bros. assn.
    mr. mrs. ms. dr. prof. jr. sr. st. ave. blvd. rd. ste. fl. mt. ft.
    jan. feb. mar. apr. jun. jul. aug. sep. sept. oct. nov. dec.
    u.s. u.k. e.u. u.s.a. u.n. d.c. n.y. calif. cal. del. wash. mass. reg. regs. treas.
    """.split()  # noqa: SIM905 - a word list reads better as words
)
# A sentence may end after ., ! or ? and closing quotes, brackets or emphasis markers, when
# whitespace follows and the next word starts like a sentence.
_BOUNDARY = re.compile(
    r"[.!?][\"'”’)\]*_]*(?=\s+[\"'“‘(\[*_#]*[A-Z0-9À-Ý])"
    r"|(?<=[:;])[ \t]*(?=\r?\n[ \t]*[-*+•][ \t])"
)
_WORD_BEFORE = re.compile(r"(\S+)$")
_HAS_WORD = re.compile(r"\w")
_HAS_LETTER = re.compile(r"[^\W\d_]")


def split_sentences(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """Yield the (start, end) offsets of the sentences of ``text[start:end]``, trimmed.

    Pieces without any letter or digit (leftover markup) are dropped.
    """
    end = len(text) if end is None else end
    piece_start = start
    for boundary in _BOUNDARY.finditer(text, start, end):
        if _is_not_a_sentence_end(text, piece_start, boundary):
            continue
        yield from _trimmed(text, piece_start, boundary.end())
        piece_start = boundary.end()
    yield from _trimmed(text, piece_start, end)


def _is_not_a_sentence_end(text: str, piece_start: int, boundary: re.Match) -> bool:
    """Abbreviations, escaped dots ("1\\.") and dots after numbers alone ("[2."), end nothing."""
    if text[boundary.start()] != ".":
        return False
    if text[boundary.start() - 1 : boundary.start()] == "\\" or not _HAS_LETTER.search(
        text, piece_start, boundary.start()
    ):
        return True
    word = _WORD_BEFORE.search(text, piece_start, boundary.start() + 1)
    if not word:
        return False
    if not text[piece_start : word.start()].strip():
        return True  # a lone word and a dot opening a piece is a label: "[A.", "c.", "ii."
    token = word.group(1).lstrip("(\"'“‘[*_").lower()
    if token in ABBREVIATIONS:
        return True
    # Dotted abbreviations not in the list ("p.o.", "a.m."); a lone capital ("Section O.")
    # ends a sentence, since initials are rare in terms and section letters are common.
    return bool(re.fullmatch(r"(?:[a-z]\.){2,}", token))


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end and _HAS_WORD.search(text, start, end):
        yield start, end
