"""Extraction: from a page's HTML to the clean Markdown of its terms."""

from __future__ import annotations

import re

import pytest

from termwatch.crawler.errors import EmptyContent, StructureChanged, TooShort
from termwatch.crawler.extract import (
    EXTRACTOR_VERSION,
    MIN_TEXT_LENGTH,
    decode_html,
    extract_document,
    extract_page,
    extractor_fingerprint,
    selector_problems,
)
from termwatch.crawler.registry import Registry, Source
from termwatch.store.recorder import Page

URL = "https://acme.example/legal/terms"
# Enough words for a page of terms: shorter pages are refused as placeholders.
FILLER = "These terms govern your use of the Acme service and everything it outputs. " * 4

PAGE = f"""<!doctype html>
<html><head><title>Terms</title><style>.x {{ color: red }}</style></head>
<body>
  <div id="onetrust-consent-sdk"><p>We use cookies. Accept all?</p></div>
  <nav><a href="/">Home</a> <a href="/pricing">Pricing</a></nav>
  <main>
    <h1 id="terms"><a href="#terms">Acme Terms of Service</a></h1>
    <p>Last updated: January 1, 2025.
       See our <a href="/privacy?utm_source=tos">privacy policy</a>.</p>
    <div class="toc">Table of contents</div>
    <h2 id="use">1. Using the Service</h2>
    <p>{FILLER}</p>
    <ol><li>You must be 18 or older.</li><li>You must not reverse engineer it.</li></ol>
    <h2 id="liability">2. Limitation of Liability</h2>
    <p>Our liability is capped at USD 100.</p>
    <ul><li>No indirect damages.</li><li>No lost profits.</li></ul>
    <h2 id="law">3. Governing Law</h2>
    <p>California law applies.</p>
    <script>track("terms")</script>
  </main>
  <footer>© Acme</footer>
</body></html>"""


def source(select, remove=(), **extra) -> Source:
    return Source(url=URL, select=select, remove=list(remove), **extra)


def test_headings_and_numbered_lists_become_markdown_structure():
    text = extract_page(PAGE, source("main"), URL)
    assert text.startswith("# Acme Terms of Service\n")
    assert "\n## 1. Using the Service\n" in text
    assert "\n1. You must be 18 or older.\n2. You must not reverse engineer it.\n" in text
    assert "\n- No indirect damages.\n- No lost profits.\n" in text
    assert text.endswith("California law applies.\n")


def test_noise_is_never_terms():
    text = extract_page(PAGE, source("body"), URL)
    assert "cookies" not in text  # the consent banner
    assert "track(" not in text and "color: red" not in text  # script and style
    assert "Acme Terms of Service" in text


def test_links_are_absolute_and_heading_permalinks_are_dropped():
    text = extract_page(PAGE, source("main"), URL)
    # absolute, and without the tracking parameter (normalize_markdown drops it)
    assert "[privacy policy](https://acme.example/privacy)" in text
    assert "# Acme Terms of Service" in text and "#terms)" not in text


def test_remove_selectors_drop_parts_of_the_selection():
    text = extract_page(PAGE, source("main", remove=[".toc", "ul"]), URL)
    assert "Table of contents" not in text
    assert "No indirect damages" not in text
    assert "Our liability is capped at USD 100." in text


def test_selectors_keep_their_order():
    text = extract_page(PAGE, source(["#use + p", "h1"]), URL)
    assert text.index("These terms govern") < text.index("Acme Terms of Service")


def test_a_range_selects_from_one_element_to_another():
    section_2 = {"startBefore": "#liability", "endBefore": "#law"}
    text = extract_page(PAGE, source(["h1", "#use + p", section_2]), URL)
    assert "## 2. Limitation of Liability" in text
    assert "No lost profits." in text
    assert "Governing Law" not in text and "You must be 18" not in text


def test_range_bounds_can_be_excluded_or_included():
    after_use_until_liability_included = {"startAfter": "#use", "endAfter": "#liability"}
    text = extract_page(PAGE, source(["h1", after_use_until_liability_included]), URL)
    assert "1. Using the Service" not in text  # startAfter: the bound itself is left out
    assert "You must be 18 or older." in text
    assert "## 2. Limitation of Liability" in text  # endAfter: the bound is kept
    assert "capped at USD 100" not in text


def test_a_range_in_remove_drops_everything_between_its_bounds():
    text = extract_page(
        PAGE, source("main", remove=[{"startBefore": "#liability", "endBefore": "#law"}]), URL
    )
    assert "Limitation of Liability" not in text and "No lost profits" not in text
    assert "## 1. Using the Service" in text and "## 3. Governing Law" in text


def test_a_selector_without_match_means_the_structure_changed():
    with pytest.raises(StructureChanged) as failure:
        extract_page(PAGE, source(".terms"), URL)
    assert str(failure.value) == (
        f"selector '.terms' has no match in the page at {URL} (the page structure changed?)"
    )
    assert failure.value.code == "structure_changed" and failure.value.url == URL


def test_a_range_whose_bound_is_gone_means_the_structure_changed():
    with pytest.raises(StructureChanged, match="has no start or no end"):
        extract_page(PAGE, source({"startBefore": "#use", "endBefore": "#gone"}), URL)


def test_pages_rendered_by_scripts_get_a_hint_in_the_message():
    with pytest.raises(StructureChanged, match="scripts had not written the terms"):
        extract_page(PAGE, source(".terms", executeClientScripts=True), URL)


def test_empty_pages_and_near_empty_texts_are_refused():
    with pytest.raises(EmptyContent):
        extract_page("  \n", source("main"), URL)
    with pytest.raises(EmptyContent):
        extract_page("<main><div></div></main>", source("main"), URL)
    with pytest.raises(TooShort, match=f"fewer than {MIN_TEXT_LENGTH}"):
        extract_page("<main><p>Loading…</p></main>", source("main"), URL)


def test_a_document_of_several_pages_is_one_text_in_registry_order():
    second = "<main><h1>Addendum</h1><p>" + FILLER + "</p></main>"
    sources = [source("main"), Source(url="https://acme.example/addendum", select="main")]
    pages = [
        Page(URL, "2025-01-01T00:00:00Z", 200, "text/html", PAGE.encode()),
        Page("https://acme.example/addendum", "2025-01-01T00:00:00Z", 200, None, second.encode()),
    ]
    text = extract_document(sources, pages)
    assert text.index("California law applies.") < text.index("# Addendum")


def test_the_declared_encoding_is_honoured():
    body = "<main><p>Société générale</p></main>".encode("iso-8859-1")
    assert "Société" in decode_html(body, "text/html; charset=iso-8859-1")
    meta = b'<meta charset="iso-8859-1"><main><p>Soci\xe9t\xe9</p></main>'
    assert "Société" in decode_html(meta)


@pytest.mark.parametrize(
    "text",
    [
        "Société générale",
        "Les conditions régissent l'accès au service, à la société et à ses données.",
        "© 2024 Acme — “quoted” terms, naïve café",
    ],
)
def test_a_page_that_declares_no_charset_is_not_read_as_mojibake(text):
    """Latin-1 / windows-1252 without a charset: decoded as browsers do, not as UTF-8."""
    page = f"<html><body><main><p>{text}</p><p>{FILLER}</p></main></body></html>"
    body = page.encode("cp1252")
    assert text in decode_html(body, "text/html")
    assert text in decode_html(body)
    assert text in decode_html(page.encode("utf-8"), "text/html")  # UTF-8 stays UTF-8


def test_the_fingerprint_follows_the_selectors():
    one = extractor_fingerprint([source("main")])
    assert one == extractor_fingerprint([source("main")])
    assert one.startswith(f"v{EXTRACTOR_VERSION}-")
    assert one != extractor_fingerprint([source("main", remove=["nav"])])
    assert one != extractor_fingerprint([source({"startBefore": "h1", "endBefore": "footer"})])


def test_selectors_that_are_not_css_are_a_registry_error():
    registry = Registry.model_validate(
        {
            "services": [
                {
                    "slug": "acme",
                    "name": "Acme",
                    "provider": "Acme",
                    "category": "coding-assistant",
                    "url": "https://acme.example/",
                    "documents": [
                        {
                            "type": "terms-of-service",
                            "title": "Terms",
                            "sources": [
                                {
                                    "url": URL,
                                    "select": ["main", {"startBefore": "h1[", "endAfter": "p"}],
                                }
                            ],
                        }
                    ],
                }
            ]
        }
    )
    [problem] = selector_problems(registry)
    assert re.match(r"acme/terms-of-service: .* selector 'h1\[' is not valid CSS", problem)
