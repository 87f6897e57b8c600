"""No page of the site carries a tag or an address that came from crawled text.

A hostile site's terms are seeded into the sample database: markup shown as text
(``&lt;img …&gt;``), raw tags, ``javascript:`` links, Markdown images, in version texts,
clauses, fact quotes and change summaries. Every kind of page is rendered, and no element
of any page may carry one of the hostile addresses or be one of the hostile tags; the
hostile text itself must still be readable, as text.
"""

from __future__ import annotations

import asyncio
import html
import json
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser

import pytest
from site_sample import add_version, build_sample_site

from termwatch.serve import DATABASE_NAME, build_datasette, load_metadata
from termwatch.site import refresh_site_tables
from termwatch.site.markup import LINK_REL
from termwatch.site.policy import script_hash

EVIL_HOSTS = ("evil.example", "track.example")
HOSTILE = [
    "&lt;img src=http://evil.example/escaped.png&gt;",  # a page showing markup as text
    "<img src=http://evil.example/raw.png>",
    '<a href="javascript:alert(1)">Verify your account</a>',
    "<a href=http://evil.example/raw-link>a raw link</a>",
    "[Verify your account](javascript:alert(2))",
    "[Verify again](JaVaScRiPt:alert(3))",
    "[a relative path](//evil.example/relative)",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCg0KTwvc2NyaXB0Pg==)",
    "![a tracking pixel](http://track.example/pixel.png)",
    "<script>alert(5)</script>",
    '<iframe src="http://evil.example/frame"></iframe>',
    "<svg onload=alert(6)>",
]
HOSTILE_TAGS = {"img", "iframe", "object", "embed"}  # Datasette's own pages have none
# Attributes that load or lead somewhere (a title or a value attribute is only text).
ADDRESS_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction", "data", "poster", "style"}
LEGITIMATE_LINK = "https://terms.example/privacy"  # a Markdown link the extraction wrote
SERVICE, DOCUMENT_TYPE = "evil-ai", "terms-of-service"
DOCUMENT = f"{SERVICE}/{DOCUMENT_TYPE}"
BOGUS_DATE_TYPE, BOGUS_DATE = "privacy-policy", "2025-13-45T99:99:99Z"


def hostile_sentence(index: int, piece: str) -> str:
    return f"Clause {index}: {piece} Our liability is limited to US${index}00."


def seed_hostile_terms(db) -> list[int]:
    """Two versions of a hostile document, analysed, with a change between them."""
    db["services"].insert(
        {"slug": SERVICE, "name": "Evil AI", "provider": "Evil", "category": "coding-assistant"}
    )
    db["documents"].insert(
        {
            "id": DOCUMENT,
            "service": SERVICE,
            "document_type": DOCUMENT_TYPE,
            "kind": "terms-of-service",
            "variant": "",
            "title": "Evil AI terms",
            "audience": "consumer",
            "region": "global",
            "urls": json.dumps(["https://evil-ai.example/terms"]),
        }
    )
    sentences = [hostile_sentence(i, piece) for i, piece in enumerate(HOSTILE)]
    legitimate = f"Read [our privacy policy]({LEGITIMATE_LINK})."
    facts = {
        "liability_cap_kind": ("fixed", sentences[0]),
        "output_owner": ("user", sentences[2]),
        "governing_law": ("State of <img src=http://evil.example/law.png>", sentences[1]),
    }
    old = add_version(db, DOCUMENT, "2025-01-01T00:00:00Z", [("1. Terms", sentences)], facts)
    new = add_version(
        db,
        DOCUMENT,
        "2025-02-01T00:00:00Z",
        [("1. Terms <img src=http://evil.example/heading.png>", [*sentences[1:], legitimate])],
        facts,
    )
    base = {
        "document_id": DOCUMENT,
        "service": SERVICE,
        "document_type": DOCUMENT_TYPE,
        "detected_at": "2025-02-01T00:00:00Z",
        "technical": 0,
        "significance": "fact",
        "in_feed": 1,
        "old_version_id": old,
        "new_version_id": new,
    }
    db["changes"].insert_all(
        [
            {**base, "kind": "text", "change": "modified", "summary": sentences[1]},
            {**base, "kind": "fact", "change": "modified", "name": "governing_law",
             "summary": f"Evil AI now says {HOSTILE[2]}", "old_value": json.dumps(HOSTILE[1]),
             "new_value": json.dumps(HOSTILE[3]), "new_evidence": sentences[3]},
            {**base, "kind": "clause", "change": "removed", "summary": sentences[0],
             "old_value": sentences[0]},
        ]
    )  # fmt: skip
    _seed_impossible_date(db)
    refresh_site_tables(db)
    return [old, new]


def _seed_impossible_date(db) -> None:
    """A version dated by a misnamed archive file (``2025-13-45T99-99-99Z.md``), changed."""
    document = f"{SERVICE}/{BOGUS_DATE_TYPE}"
    db["documents"].insert(
        {"id": document, "service": SERVICE, "document_type": BOGUS_DATE_TYPE,
         "kind": "privacy-policy", "variant": "", "title": "Evil AI privacy",
         "audience": "consumer", "region": "global", "urls": "[]"}
    )  # fmt: skip
    sections = [("Privacy", ["We keep your data."])]
    first = add_version(db, document, "2025-01-01T00:00:00Z", sections, None)
    bogus = add_version(db, document, BOGUS_DATE, [("Privacy", ["We sell your data."])], None)
    db["changes"].insert(
        {"document_id": document, "service": SERVICE, "document_type": BOGUS_DATE_TYPE,
         "detected_at": BOGUS_DATE, "technical": 0, "old_version_id": first,
         "new_version_id": bogus, "kind": "text", "change": "modified",
         "summary": "Evil AI / Privacy: 1 clause changed"}
    )  # fmt: skip


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "hostile.db"
    db = build_sample_site(path)
    version_ids = seed_hostile_terms(db)
    datasette = build_datasette(path)
    loop = asyncio.new_event_loop()

    def get(url: str):
        response = loop.run_until_complete(datasette.client.get(url))
        assert response.status_code == 200, f"{url}: {response.status_code}"
        assert "script-src 'self'" in response.headers["content-security-policy"], url
        return response

    yield get, db, version_ids
    loop.close()


def every_page(db, version_ids: list[int]) -> list[str]:
    """One address of each kind of page, each showing some of the hostile text."""
    old, new = version_ids
    history = f"/history/{DOCUMENT}"
    clause = db.execute("select id from clauses where version_id = ? limit 1", [new]).fetchone()
    pages = [
        "/",
        "/compare",
        "/compare?date=2025-01-15",
        "/history",
        history,
        f"{history}?from={new}&to={old}",
        f"{history}/{new}",
        f"{history}/{old}?fact=liability_cap_kind",
        f"{history}/{new}?fact=governing_law",
        f"{history}/{new}?clause={clause[0]}",
        f"/{DATABASE_NAME}",
        f"/{DATABASE_NAME}/versions/{new}",
        f"/{DATABASE_NAME}/versions?_search=liability",
        f"/{DATABASE_NAME}/current_clauses?_search=liability",
        f"/{DATABASE_NAME}/changes/1",
        f"/history/{SERVICE}/{BOGUS_DATE_TYPE}",
    ]
    tables = db.table_names() + db.view_names()
    pages += [f"/{DATABASE_NAME}/{name}" for name in tables if "_fts" not in name]
    queries = load_metadata()["databases"][DATABASE_NAME]["queries"]
    values = {"service": SERVICE, "date": "", "days": "100000", "since": "2000-01-01"}
    for name, query in queries.items():
        params = "&".join(f"{p}={values.get(p, '')}" for p in query.get("params", []))
        pages.append(f"/{DATABASE_NAME}/{name}?{params}")
    return pages


class Elements(HTMLParser):
    """Every element of a page, as (tag, {attribute: value}), and its scripts' code."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []  # the code of inline scripts
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        self.found.append((tag, attributes))
        self._in_inline_script = tag == "script" and "src" not in attributes

    def handle_endtag(self, tag):
        self._in_inline_script = False

    def handle_data(self, data):
        if self._in_inline_script:
            self.scripts.append(data)


def elements(markup: str) -> list[tuple[str, dict[str, str]]]:
    return parse(markup).found


def parse(markup: str) -> Elements:
    parser = Elements()
    parser.feed(markup)
    return parser


def foreign_markup(markup: str) -> list[str]:
    """What in ``markup`` came alive from the hostile text (empty when nothing did)."""
    parsed = parse(markup)
    found = [f"<script>{code}" for code in parsed.scripts if "alert(" in code]
    for tag, attributes in parsed.found:
        if tag in HOSTILE_TAGS:
            found.append(f"<{tag}>")
        for name, value in attributes.items():
            lowered = value.lower()
            leads_away = any(host in lowered for host in EVIL_HOSTS) or "javascript:" in lowered
            if name in ADDRESS_ATTRIBUTES and leads_away:
                found.append(f"<{tag} {name}={value!r}>")
            if name.startswith("on"):
                found.append(f"<{tag} {name}>")
    return found


def test_every_page_shows_the_hostile_text_as_text_only(hostile_site):
    get, db, version_ids = hostile_site
    pages = every_page(db, version_ids)
    assert len(pages) > 40
    for page in pages:
        body = get(page).text
        assert foreign_markup(body) == [], page


def test_every_page_runs_only_the_scripts_the_site_ships(hostile_site):
    get, db, version_ids = hostile_site
    seen = set()
    for page in every_page(db, version_ids):
        response = get(page)
        policy = response.headers["content-security-policy"]
        assert "default-src 'none'" in policy and "unsafe-inline" not in policy.split(";")[1]
        for script in parse(response.text).scripts:
            assert script_hash(script) in policy, f"{page}: {script[:60]!r}"
            seen.add(script)
    assert len(seen) >= 2  # Datasette's menus and the table page's inline scripts


def test_the_hostile_text_is_still_readable(hostile_site):
    get, _, (old, new) = hostile_site
    page = html.unescape(get(f"/history/{DOCUMENT}/{new}").text)
    assert "<img src=http://evil.example/raw.png>" in page  # shown, as written
    assert "a tracking pixel" in html.unescape(get(f"/history/{DOCUMENT}/{old}").text)
    popover = html.unescape(get("/compare").text)
    assert hostile_sentence(0, HOSTILE[0]) in popover


def links_to(page: str, address: str) -> list[dict[str, str]]:
    return [attrs for tag, attrs in elements(page) if tag == "a" and attrs.get("href") == address]


def test_links_the_extraction_wrote_stay_and_say_nofollow(hostile_site):
    get, _, (_, new) = hostile_site
    for page in (f"/history/{DOCUMENT}/{new}", f"/{DATABASE_NAME}/versions/{new}"):
        links = links_to(get(page).text, LEGITIMATE_LINK)
        assert links and all(attrs.get("rel") == LINK_REL for attrs in links), page
    # Addresses in table cells too (Datasette's own links carry no rel).
    links = links_to(get(f"/{DATABASE_NAME}/services").text, "https://cursor.example/")
    assert links and links[0].get("rel") == LINK_REL


def test_the_feed_carries_no_hostile_markup(hostile_site):
    get, _, _ = hostile_site
    root = ElementTree.fromstring(get(f"/{DATABASE_NAME}/changes_feed.atom?service=").content)
    contents = [e.text or "" for e in root.iter("{http://www.w3.org/2005/Atom}content")]
    assert any("Verify your account" in content for content in contents)
    for content in contents:
        assert foreign_markup(content) == []
