"""Crawled text rendered as HTML that carries nothing foreign: the site's markup policy.

A version's Markdown is what the extraction wrote: headings, lists, emphasis and links in
Markdown syntax. Anything that looks like HTML in it came from the page's *text* (a page
that shows ``&lt;img src=…&gt;`` is extracted as ``<img src=…>``), so it is shown as text,
never interpreted: raw HTML is escaped. Images are never loaded (a tracking pixel would send
the reader's address to a third party): an image becomes its alt text. Links stay when they
lead to ``http(s)`` addresses, marked ``rel="nofollow noopener noreferrer"``; any other
address (``javascript:``, ``data:``, relative paths into this site) is dropped and its text
kept.

Two layers: Python-Markdown with its raw-HTML handling removed produces only the tags
Markdown itself makes, and nh3 (the ammonia sanitizer) then keeps an allowlist of those
tags and enforces the link rules, whatever a future Markdown extension might emit.
datasette-render-markdown is not used: its sanitizer always allows ``img``, keeps raw HTML
of allowed tags (``<a href=http://evil>``) and turns bare addresses into links marked only
``nofollow``, and none of that can be configured away.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

LINK_REL = "nofollow noopener noreferrer"
LINK_SCHEMES = {"http", "https"}
# What Python-Markdown's core syntax produces, less ``img``.
ALLOWED_TAGS = {
    *("p", "br", "hr", "blockquote", "pre", "code", "em", "strong", "a"),
    *("ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6"),
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
CSS_CLASS = "terms-markdown"  # termwatch.css: normal white space inside Datasette's cells


class _ImagesAsAltText(Treeprocessor):
    """``![alt](src)`` becomes the text ``alt``: nothing is fetched from the terms' pages."""

    def run(self, root: ElementTree.Element) -> None:
        for parent in root.iter():
            for index, child in reversed(list(enumerate(parent))):
                if child.tag == "img":
                    _replace_with_text(parent, index, child.get("alt") or "")


def _replace_with_text(parent: ElementTree.Element, index: int, text: str) -> None:
    child = parent[index]
    text += child.tail or ""
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + text
    parent.remove(child)


class InertText(Extension):
    """Markdown syntax only: raw HTML is escaped (shown as written), images become text."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown API
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_ImagesAsAltText(md), "images_as_alt_text", 0)


def render_markdown(text: str | None) -> Markup:
    """The Markdown of crawled terms as safe HTML (see the module's policy)."""
    if not text:
        return Markup("")
    html = markdown.markdown(text, extensions=[InertText()], output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=LINK_SCHEMES,
        url_relative="deny",
        link_rel=LINK_REL,
    )
    return Markup(f'<div class="{CSS_CLASS}">{clean}</div>')
