"""What a fetched body is before anything reads it as terms: a PDF, a bot wall, a binary.

A CDN that challenges crawlers answers with a page of its own ("Just a moment...", an
Imperva incident, a CAPTCHA) under any status, 200 included; a URL that now serves an image
or an archive answers with bytes no HTML parser should read. Either would otherwise be
recorded as a version of the terms or as a misleading ``http_403``. The spider checks every
response here first (``check_response``), whatever its status, so that such a page fails as
``bot_blocked`` or ``unsupported_content`` with its own message; a PDF is let through to
``crawler.pdf``.

Walls are recognised by the markers their vendors put in every challenge page and header
(Open Terms Archive's users report these as their most frequent problem). Markers that a
real terms page may also contain (the word CAPTCHA, "Access denied") count only on a short
page: a challenge page holds a few lines of text, a terms page thousands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from termwatch.crawler.errors import BotBlocked, UnsupportedContent

if TYPE_CHECKING:  # Scrapy is heavy, and ``termwatch status`` reads WALLS
    from scrapy.http import Response

PDF_TYPE = "application/pdf"
# Bodies read as HTML: what terms pages are served as, and what a server that does not say
# sends (no Content-Type at all).
TEXT_TYPES = frozenset(
    {"text/html", "application/xhtml+xml", "text/plain", "text/xml", "application/xml"}
)
# A challenge page has little text; a terms page has thousands of characters.
SHORT_PAGE = 3_000
# Only the start of a body is searched: challenge pages are small, and terms pages large.
SNIFF_BYTES = 64 * 1024
# The control bytes text does not hold: all but tab, newline, form feed, carriage return and
# escape (which ISO-2022 encodings use). A page of text has next to none; random or
# compressed data, served as text/html or not, about one byte in ten.
CONTROL_BYTES = bytes(sorted(set(range(32)) - set(b"\t\n\f\r\x1b")))
MAX_CONTROL_SHARE = 0.01


@dataclass(frozen=True)
class Wall:
    """How one vendor's challenge looks: in the headers, or in the page."""

    name: str
    header: tuple[str, str] | None = None  # (header name, value it contains), lower case
    markers: re.Pattern | None = None  # in the page itself, whatever its length
    short_page_markers: re.Pattern | None = None  # in a short page only


WALLS = (
    Wall(
        "a Cloudflare challenge",
        header=("cf-mitigated", "challenge"),
        markers=re.compile(r"cf_chl_opt|cf-browser-verification|<title>\s*just a moment"),
        # Cloudflare also adds its challenge script to ordinary pages.
        short_page_markers=re.compile(r"/cdn-cgi/challenge-platform/|attention required!"),
    ),
    Wall(
        "an Imperva (Incapsula) block page",
        markers=re.compile(r"incapsula incident id|_incapsula_resource"),
    ),
    Wall(
        "an Akamai block page",
        markers=re.compile(r"errors\.edgesuite\.net"),
        short_page_markers=re.compile(r"access denied.*reference (#|&#32;&#35;)\d+\.", re.DOTALL),
    ),
    Wall("a DataDome challenge", markers=re.compile(r"captcha-delivery\.com")),
    Wall("a PerimeterX (HUMAN) challenge", markers=re.compile(r"px-captcha|_pxappid")),
    Wall(
        "a CAPTCHA page",
        short_page_markers=re.compile(
            r"g-recaptcha|h-captcha|hcaptcha\.com|challenges\.cloudflare\.com/turnstile|"
            r"verify (that )?you are (a )?human|are you a robot|<title>[^<]*captcha"
        ),
    ),
)

TAGS = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]+>", re.DOTALL)


def media_type(content_type: str | None) -> str | None:
    """``text/html; charset=utf-8`` -> ``text/html``; None when the server did not say."""
    if not content_type:
        return None
    return content_type.split(";", 1)[0].strip().lower() or None


def is_pdf(url: str, content_type: str | None, body: bytes | None = None) -> bool:
    """A PDF by its Content-Type, its URL, or its first bytes (servers mislabel PDFs)."""
    return (
        media_type(content_type) == PDF_TYPE
        or urlsplit(url).path.lower().endswith(".pdf")
        or (body or b"").startswith(b"%PDF-")
    )


def check_response(url: str, response: Response) -> None:
    """Raise BotBlocked or UnsupportedContent if the response cannot hold terms to read."""
    content_type = response.headers.get("Content-Type")
    content_type = content_type.decode("latin-1") if content_type else None
    body = response.body or b""
    if is_pdf(url, content_type, body):
        return
    headers = {
        name.decode("latin-1").lower(): b", ".join(values).decode("latin-1").lower()
        for name, values in response.headers.items()
    }
    wall = bot_wall(headers, body)
    if wall:
        raise BotBlocked(
            f"{url} answered {response.status} with {wall}, not the terms (the site blocks "
            "crawlers; a browser source or another URL may get through)",
            url,
        )
    reason = unsupported(content_type, body)
    if reason:
        raise UnsupportedContent(f"{url} {reason}, not an HTML page or a PDF", url)


def bot_wall(headers: dict[str, str], body: bytes) -> str | None:
    """The wall a response looks like (``a Cloudflare challenge``), or None.

    ``headers`` maps lower-case names to lower-case values.
    """
    page = body[:SNIFF_BYTES].decode("utf-8", "replace").lower()
    short = None  # computed once, only when a marker asks for it
    for wall in WALLS:
        if wall.header and wall.header[1] in headers.get(wall.header[0], ""):
            return wall.name
        if wall.markers and wall.markers.search(page):
            return wall.name
        if wall.short_page_markers and wall.short_page_markers.search(page):
            if short is None:
                text = " ".join(TAGS.sub(" ", page).split())
                short = len(body) <= SNIFF_BYTES and len(text) < SHORT_PAGE
            if short:
                return wall.name
    return None


def unsupported(content_type: str | None, body: bytes) -> str | None:
    """Why a body that is not a PDF is not a page to read (``served image/png``), or None."""
    declared = media_type(content_type)
    if declared and declared not in TEXT_TYPES and not declared.endswith("+xml"):
        return f"served {declared}"
    sample = body[:SNIFF_BYTES]
    controls = len(sample) - len(sample.translate(None, CONTROL_BYTES))
    # Text never holds NUL bytes (images and archives do), nor many other control bytes.
    if b"\x00" in body[:1024] or controls > MAX_CONTROL_SHARE * len(sample):
        return f"served binary data{f' labelled {declared}' if declared else ''}"
    return None
