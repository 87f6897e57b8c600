"""From a fetched page to the Markdown text of its terms.

The counterpart of Open Terms Archive's *extract* step. Each source of the registry names
the parts of its page that hold the terms (``select``) and the parts inside them to drop
(``remove``), as CSS selectors or as ranges ``{startBefore|startAfter, endBefore|endAfter}``
between two elements. Extraction then:

1. drops the source's ``remove`` parts (ranges first, as Open Terms Archive does, since a
   range survives the removal of its boundary elements but not the other way round);
2. keeps the ``select`` parts, in the order the selectors are listed;
3. drops from them what is never terms: scripts, styles, media, cookie-consent banners;
4. makes links absolute, so a link reads the same whatever page it was read from;
5. writes Markdown that keeps headings (``#``) and numbered lists, which the clause
   analysis reads as the structure of the terms, and normalizes it
   (``crawler.normalize.normalize_markdown``).

A page whose selectors match nothing raises ``StructureChanged``; one that yields
(almost) no text raises ``EmptyContent`` or ``TooShort``: a consent wall, a placeholder, or
a page rendered by scripts would otherwise be recorded as the new terms.

Each version records the ``extractor_fingerprint`` it was read with, so a later change of
text caused by new selectors or new code (not by the publisher) can be told apart.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Sequence
from urllib.parse import urljoin

import charset_normalizer
import soupsieve
from bs4 import BeautifulSoup, PageElement, Tag
from markdownify import ATX, MarkdownConverter
from w3lib.encoding import html_to_unicode

from termwatch.crawler.content import is_pdf
from termwatch.crawler.errors import EmptyContent, StructureChanged, TooShort
from termwatch.crawler.normalize import normalize_markdown
from termwatch.crawler.registry import RangeSelector, Registry, Selector, Source
from termwatch.store.recorder import Page

# Bump whenever a change to this module can change the text extracted from the same page:
# it is part of every extractor fingerprint.
EXTRACTOR_VERSION = "3"  # 2: pages without a charset not read as UTF-8; 3: PDFs read

# A page of terms is long; fewer characters than this is a consent wall, an error page
# served with status 200, or a shell that scripts fill in a browser.
MIN_TEXT_LENGTH = 200

# Never terms, whatever the page: code and media...
NOISE_TAGS = frozenset(
    {"script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas"}
    | {"img", "picture", "video", "audio"}
)
# ... and cookie-consent banners: the containers of the common consent managers (OneTrust,
# Cookiebot, TrustArc, Usercentrics, Didomi, Osano, Quantcast, CookieYes) and the usual
# names of hand-made ones.
COOKIE_BANNER_IDS = frozenset(
    {
        "onetrust-consent-sdk",
        "onetrust-banner-sdk",
        "CybotCookiebotDialog",
        "truste-consent-track",
        "consent_blackbar",
        "usercentrics-root",
        "didomi-host",
        "qc-cmp2-container",
        "cookie-law-info-bar",
        "cookie-banner",
        "cookie-consent",
        "cookieConsent",
    }
)
COOKIE_BANNER_CLASSES = frozenset({"cc-window", "cookie-banner", "cookie-consent"})
COOKIE_BANNER_LABEL = re.compile(r"cookie (banner|consent)", re.IGNORECASE)

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


class TermsMarkdownConverter(MarkdownConverter):
    """markdownify set up for legal text: ``#`` headings, ``-`` bullets, no escaping.

    Escaping ``*`` and ``_`` would put backslashes into words such as ``snake_case`` and
    into every comparison; terms pages use neither as emphasis in running text.
    """

    class Options(MarkdownConverter.DefaultOptions):
        heading_style = ATX
        bullets = "-"
        escape_asterisks = False
        escape_underscores = False


def extractor_fingerprint(sources: Sequence[Source]) -> str:
    """Which selectors and which extraction code read a document: ``v1-<12 hex digits>``."""
    declared = [
        {
            "select": [_selector_data(s) for s in source.select],
            "remove": [_selector_data(s) for s in source.remove],
        }
        for source in sources
    ]
    digest = hashlib.sha256(
        json.dumps([EXTRACTOR_VERSION, declared], sort_keys=True).encode("utf-8")
    ).hexdigest()
    return f"v{EXTRACTOR_VERSION}-{digest[:12]}"


def selector_problems(registry: Registry, only: Sequence[str] = ()) -> list[str]:
    """One line per selector of the registry that is not valid CSS (soupsieve compiles each).

    Checked before a crawl starts: a typo in a selector is the registry's fault, not a
    failure of the site, and must not wait for the page to be fetched to show.
    """
    return [
        f"{service.slug}/{document.type}: {source.url}: selector {css!r} is not valid CSS "
        f"({reason})"
        for service, document in registry.documents(only)
        for source in document.sources
        for selector in [*source.select, *source.remove]
        for css in _css_strings(selector)
        if (reason := _css_error(css))
    ]


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """The page as text, its encoding found as browsers find it.

    The byte-order mark, the Content-Type charset, the page's ``<meta>`` (w3lib, as Scrapy
    does); for a page that declares none, ``guess_encoding``.
    """
    return html_to_unicode(content_type, body, auto_detect_fun=guess_encoding)[1]


def guess_encoding(body: bytes) -> str | None:
    """The encoding of a page that declares none: UTF-8 if it decodes, else charset-normalizer's.

    Among the encodings charset-normalizer finds plausible, windows-1252 comes first: it is
    what browsers assume for an undeclared page, and what a latin-1 page of terms is
    (charset-normalizer's own first choice may be a Central European code page that reads
    "accès" as "accčs").
    """
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    matches = charset_normalizer.from_bytes(body)
    if any("cp1252" in match.could_be_from_charset for match in matches):
        return "cp1252"
    best = matches.best()
    return best.encoding if best else None


def extract_document(sources: Sequence[Source], pages: Sequence[Page]) -> str:
    """The normalized Markdown of a document read from several pages, in registry order.

    ``pages[i]`` is the fetched page of ``sources[i]``; stored snapshots work as well as
    fresh responses, which is how a version can be re-extracted later.
    """
    if len(sources) != len(pages):
        raise ValueError(f"{len(sources)} sources but {len(pages)} pages")
    from termwatch.crawler.pdf import pdf_to_markdown  # pdfminer, loaded for the first PDF only

    parts = [
        pdf_to_markdown(page.body or b"", page.url)
        if is_pdf(page.url, page.content_type, page.body)
        else extract_page(decode_html(page.body or b"", page.content_type), source, page.url)
        for source, page in zip(sources, pages, strict=True)
    ]
    return normalize_markdown("\n\n".join(parts))


def selects_anything(html: str, source: Source) -> bool:
    """Whether the source's selectors match in the page: if not, its terms may need scripts."""
    try:
        _select(BeautifulSoup(html, "lxml"), source, source.url)
    except StructureChanged:
        return False
    return True


def extract_page(html: str, source: Source, url: str) -> str:
    """The normalized Markdown of the terms in one page; raise a FetchError if there are none."""
    if not html.strip():
        raise EmptyContent(f"the page at {url} is empty", url)
    soup = BeautifulSoup(html, "lxml")
    _remove(soup, source.remove)
    selected = _select(soup, source, url)
    for noise in selected.find_all(_is_noise):
        noise.extract()
    _absolutize_links(selected, _base_url(soup, url))
    text = normalize_markdown(TermsMarkdownConverter().convert_soup(selected))
    if not text.strip():
        raise EmptyContent(
            f"{_describe(source.select)} {_verb(source.select, 'matches', 'match')} only empty "
            f"content in the page at {url}",
            url,
        )
    if len(text) < MIN_TEXT_LENGTH:
        raise TooShort(
            f"only {len(text)} characters of text in the page at {url} (fewer than "
            f"{MIN_TEXT_LENGTH}: {_likely_cause(source, 'a consent wall or placeholder page?')})",
            url,
        )
    return text


def _select(soup: BeautifulSoup, source: Source, url: str) -> Tag:
    """A new element holding copies of what the ``select`` selectors match, in their order."""
    if not source.select:
        raise StructureChanged(
            f"the page at {url} is HTML, not the PDF its URL names (give the source a select)", url
        )
    container = soup.new_tag("div")
    for selector in source.select:
        if isinstance(selector, RangeSelector):
            parts = _clone_range(soup, *_range_bounds(soup, selector, url, source))
        else:
            parts = [copy.copy(element) for element in soup.select(selector)]
        for part in parts:
            container.append(part)
    if not container.contents:
        raise StructureChanged(
            f"{_describe(source.select)} {_verb(source.select, 'has', 'have')} no match "
            f"in the page at {url} ({_likely_cause(source, 'the page structure changed?')})",
            url,
        )
    return container


def _is_noise(tag: Tag) -> bool:
    """Scripts, media and cookie banners (one test per element: one pass over the page)."""
    return (
        tag.name in NOISE_TAGS
        or tag.get("id") in COOKIE_BANNER_IDS
        or not COOKIE_BANNER_CLASSES.isdisjoint(tag.get("class") or ())
        or bool(COOKIE_BANNER_LABEL.search(tag.get("aria-label") or ""))
    )


def _remove(soup: BeautifulSoup, selectors: Sequence[Selector]) -> None:
    """Drop what the selectors match; a range whose bounds are gone has nothing to drop."""
    doomed: list[PageElement] = []
    for selector in selectors:
        if isinstance(selector, RangeSelector):
            bounds = _range_positions(soup, selector)
            if bounds:
                doomed += _nodes_within(soup, *bounds)
    css = [selector for selector in selectors if isinstance(selector, str)]
    if css:  # one pass over the page for all of them, not one per selector
        doomed += soup.select(", ".join(css))
    for node in doomed:
        node.extract()


# --- ranges ----------------------------------------------------------------------------
#
# A range is a stretch of the document in reading order, like a DOM Range. Every node gets
# its position in document order; a node spans from its own position to the position of
# its last descendant. A range is the half-open interval of positions [start, end):
# ``startBefore X`` starts at X, ``startAfter X`` just past X's last descendant, and
# likewise for the end. A node is inside when its whole span is; an ancestor of a bound is
# cut: copied without the children that fall outside.

Spans = dict[int, tuple[int, int]]


def _spans(soup: BeautifulSoup) -> Spans:
    """``id(node) -> (first, last)`` positions of every node, in document order."""
    spans: Spans = {}
    position = 0

    def visit(node: PageElement) -> None:
        nonlocal position
        first = position
        position += 1
        for child in getattr(node, "contents", ()):
            visit(child)
        spans[id(node)] = (first, position - 1)

    visit(soup)
    return spans


def _range_positions(soup: BeautifulSoup, selector: RangeSelector) -> tuple[int, int, Spans] | None:
    start = soup.select_one(selector.start_before or selector.start_after)
    end = soup.select_one(selector.end_before or selector.end_after)
    if start is None or end is None:
        return None
    spans = _spans(soup)
    start_first, start_last = spans[id(start)]
    end_first, end_last = spans[id(end)]
    lower = start_first if selector.start_before else start_last + 1
    upper = end_first if selector.end_before else end_last + 1
    return lower, upper, spans


def _range_bounds(
    soup: BeautifulSoup, selector: RangeSelector, url: str, source: Source
) -> tuple[int, int, Spans]:
    bounds = _range_positions(soup, selector)
    if bounds is None:
        raise StructureChanged(
            f"{_describe([selector])} has no start or no end in the page at "
            f"{url} ({_likely_cause(source, 'the page structure changed?')})",
            url,
        )
    return bounds


def _nodes_within(soup: BeautifulSoup, lower: int, upper: int, spans: Spans) -> list[PageElement]:
    """The outermost nodes that lie wholly inside the range."""

    def inside(node: PageElement | None) -> bool:
        if node is None or id(node) not in spans:
            return False
        first, last = spans[id(node)]
        return lower <= first and last < upper

    return [node for node in soup.descendants if inside(node) and not inside(node.parent)]


def _clone_range(soup: BeautifulSoup, lower: int, upper: int, spans: Spans) -> list[PageElement]:
    """Copies of what lies inside the range, cut ancestors included (DOM ``cloneContents``)."""

    def clone(node: PageElement) -> PageElement | None:
        first, last = spans[id(node)]
        if last < lower or first >= upper:
            return None
        if lower <= first and last < upper:
            return copy.copy(node)
        cut = node.copy_self()  # an ancestor of a bound: its tag, and only what is inside
        for child in node.contents:
            if (part := clone(child)) is not None:
                cut.append(part)
        return cut

    return [part for child in soup.contents if (part := clone(child)) is not None]


def _absolutize_links(container: Tag, base: str) -> None:
    """Make every link absolute; unwrap the permalink anchors of headings, which are not terms."""
    for link in container.select("a[href]"):
        href = link["href"].strip()
        if href.startswith("#") and link.find_parent(HEADINGS):
            link.unwrap()
        else:
            link["href"] = urljoin(base, href)


def _base_url(soup: BeautifulSoup, url: str) -> str:
    base = soup.select_one("base[href]")
    return urljoin(url, base["href"]) if base else url


def _css_strings(selector: Selector) -> list[str]:
    """The CSS selectors a selector is made of (a range has two)."""
    if isinstance(selector, RangeSelector):
        return list(selector.model_dump(exclude_none=True).values())
    return [selector]


def _css_error(css: str) -> str | None:
    try:
        soupsieve.compile(css)
    except soupsieve.SelectorSyntaxError as error:
        return str(error).splitlines()[0]
    return None


def _selector_data(selector: Selector) -> str | dict:
    if isinstance(selector, RangeSelector):
        return selector.model_dump(by_alias=True, exclude_none=True)
    return selector


def _describe(selectors: Sequence[Selector]) -> str:
    """``selector '.terms'`` / ``selectors '#title', '.body'``, as a person reads them."""
    shown = ", ".join(
        json.dumps(_selector_data(s)) if isinstance(s, RangeSelector) else f"'{s}'"
        for s in selectors
    )
    return f"selector {shown}" if len(selectors) == 1 else f"selectors {shown}"


def _verb(selectors: Sequence[Selector], singular: str, plural: str) -> str:
    return singular if len(selectors) == 1 else plural


def _likely_cause(source: Source, cause: str) -> str:
    """The likely cause of a page without terms, in words."""
    if not source.execute_client_scripts:
        return cause
    return (
        f"{cause.rstrip('?')}, or the page's scripts had not written the terms when the "
        "browser read it? (it waits TERMWATCH_BROWSER_WAIT seconds)"
    )
