"""Noise filtering: the text we compare, so that a change is a change of the terms.

Pages change for reasons that have nothing to do with their terms: a tracking parameter
added to every link, a "last viewed" stamp, trailing spaces from a new template. A version
is recorded only when the *normalized* text differs, so each of these is removed here, in
one place, for crawled and imported text alike.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that identify a visit or a campaign, never a document.
TRACKING_PARAMETERS = re.compile(
    r"^(utm_[a-z_]+|gclid|gbraid|wbraid|fbclid|msclkid|dclid|mc_cid|mc_eid|_hsenc|_hsmi"
    r"|_ga|_gl|yclid|igshid|ref_src|ref_url|referrer|ocid|icid|trk|trkid|cmpid|s_cid)$",
    re.IGNORECASE,
)
URL = re.compile(r"https?://[^\s)\]>\"']+")
# Lines that stamp the moment of viewing rather than the terms (not "Last updated", which is
# the publisher's own date and a real part of the terms).
VIEWING_STAMP = re.compile(
    r"^\W*(last (viewed|visited|accessed)|page (generated|rendered|printed)|"
    r"(retrieved|accessed|printed|generated) on)\b.*$",
    re.IGNORECASE | re.MULTILINE,
)
ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


def strip_tracking(url: str) -> str:
    """The URL without its tracking query parameters (the others kept, in order)."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    kept = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not TRACKING_PARAMETERS.match(k)
    ]
    return urlunsplit(parts._replace(query=urlencode(kept)))


def normalize_markdown(text: str) -> str:
    """The comparable form of a document's Markdown.

    Line endings unified, zero-width characters and non-breaking spaces made plain, tracking
    parameters dropped from links, viewing stamps dropped, runs of spaces inside a line
    folded (leading indentation kept: it nests Markdown lists), trailing spaces and runs of
    blank lines removed.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = ZERO_WIDTH.sub("", text).replace("\u00a0", " ")
    text = URL.sub(lambda match: strip_tracking(match.group(0)), text)
    text = VIEWING_STAMP.sub("", text)
    lines = []
    for line in text.split("\n"):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        lines.append(indent + re.sub(r"[ \t]+", " ", line.strip()))
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip() + "\n"
