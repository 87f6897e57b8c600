"""Terms published as PDF: their text as Markdown, headings and numbered clauses kept.

Some publishers keep their enterprise terms or data processing agreements as PDF files.
pdfminer.six reads the text *with its layout*: where each line is, in which font and at
which size. That is what a PDF has instead of HTML's ``<h2>`` and ``<ol>``, and what the
clause analysis needs, so:

* a short line set larger than the body text, or all in bold, is a heading (``#`` for the
  largest size, ``##`` and ``###`` for the next ones);
* a line that starts with a clause number (``1.``, ``2.3``, ``(a)``, ``iv)``) starts a
  paragraph of its own, as does each of pdfminer's text boxes;
* the other lines are joined into their paragraph, words broken by a hyphen mended.

A PDF is read whole: ``select`` and ``remove`` are CSS and do not apply. A PDF without any
text (a scan) fails as ``pdf_without_text``: there is nothing to read without OCR, and an
empty version would read as terms that vanished.
"""

from __future__ import annotations

import io
import re
import statistics
from collections.abc import Iterator
from dataclasses import dataclass

from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTChar, LTPage, LTTextContainer, LTTextLine
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException

from termwatch.crawler.errors import PdfWithoutText, UnsupportedContent
from termwatch.crawler.normalize import normalize_markdown

# "1.", "2.3", "12)", "(a)", "iv)", "Section 4": the start of a numbered clause.
CLAUSE_NUMBER = re.compile(
    r"^(\(?(\d+(\.\d+)*|[a-z]|[ivxlc]+)[.)]\s|\d+(\.\d+)+\s|(section|article|clause)\s+\d+)",
    re.IGNORECASE,
)
# A heading is a line, not a paragraph.
HEADING_MAX_LENGTH = 120
# How much larger than the body text a line must be to be a heading.
LARGER = 1.15
# Lines closer than this many line heights are one paragraph (pdfminer's default, 0.5,
# splits the paragraphs of PDFs set with generous leading).
LAYOUT = LAParams(line_margin=0.9)


@dataclass
class Line:
    text: str
    size: float  # the most common character size
    bold: bool
    first_in_box: bool


def pdf_to_markdown(body: bytes, url: str) -> str:
    """The normalized Markdown of a PDF's text; raise PdfWithoutText for a scan."""
    try:
        lines = list(_lines(extract_pages(io.BytesIO(body), laparams=LAYOUT)))
    except (PDFSyntaxError, PSException, ValueError, TypeError) as error:
        raise UnsupportedContent(f"{url} is not a readable PDF ({error})", url) from None
    if not any(line.text for line in lines):
        raise PdfWithoutText(
            f"the PDF at {url} has no text layer (a scanned document? termwatch does not OCR)",
            url,
        )
    return normalize_markdown("\n\n".join(_blocks(lines)))


def _lines(pages: Iterator[LTPage]) -> Iterator[Line]:
    for page in pages:
        for box in page:
            if not isinstance(box, LTTextContainer):
                continue
            first = True
            for line in box:
                if not isinstance(line, LTTextLine):
                    continue
                text = " ".join(line.get_text().split())
                chars = [c for c in line if isinstance(c, LTChar) and c.get_text().strip()]
                if not text or not chars:
                    continue
                yield Line(
                    text=text,
                    size=round(statistics.mode(c.size for c in chars), 1),
                    bold=all("bold" in c.fontname.lower() for c in chars),
                    first_in_box=first,
                )
                first = False


def _blocks(lines: list[Line]) -> Iterator[str]:
    """Markdown blocks: headings, and paragraphs each starting on its own line."""
    body_size = statistics.mode(line.size for line in lines)
    heading_sizes = sorted({line.size for line in lines if line.size >= body_size * LARGER})
    heading_sizes.reverse()
    paragraph: list[str] = []
    previous_heading: tuple[int, list[str]] | None = None

    def flush() -> Iterator[str]:
        nonlocal previous_heading
        if previous_heading:
            level, words = previous_heading
            yield f"{'#' * level} {' '.join(words)}"
            previous_heading = None
        if paragraph:
            yield _join(paragraph)
            paragraph.clear()

    for line in lines:
        level = _heading_level(line, body_size, heading_sizes)
        if level:
            if previous_heading and previous_heading[0] == level and not paragraph:
                previous_heading[1].append(line.text)  # a heading set on two lines
                continue
            yield from flush()
            previous_heading = (level, [line.text])
            continue
        if line.first_in_box or CLAUSE_NUMBER.match(line.text) or previous_heading:
            yield from flush()
        paragraph.append(line.text)
    yield from flush()


def _heading_level(line: Line, body_size: float, heading_sizes: list[float]) -> int | None:
    if len(line.text) > HEADING_MAX_LENGTH or line.text.endswith((".", ",", ";", ":")):
        return None
    if line.size in heading_sizes:
        return min(heading_sizes.index(line.size) + 1, 3)
    if line.bold:
        return min(len(heading_sizes) + 1, 3)
    return None


def _join(lines: list[str]) -> str:
    """A paragraph's lines as one line, mending words hyphenated at a line end."""
    text = lines[0]
    for line in lines[1:]:
        mend = text.endswith("-") and line[:1].islower()
        text = text[:-1] + line if mend else f"{text} {line}"
    return text
