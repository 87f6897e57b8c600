"""The history page and the feed over changes computed by ``analysis.changes`` itself.

The site's sample database (``site_sample``) writes its change rows by hand; here a small
history is recorded and compared the way ``termwatch changes`` does it, so what the pages
show is what the change computation decided: a reworded clause shown once, as modified,
with its words diffed; typo fixes out of the main feed; flip-flops not repeated.
"""

from __future__ import annotations

import asyncio
import html
import xml.etree.ElementTree as ElementTree

import pytest
from test_changes import TERMS_2024, add_version

from termwatch.analysis.changes import compute_changes
from termwatch.serve import build_datasette

ATOM = "{http://www.w3.org/2005/Atom}"
CAP_CHANGED = TERMS_2024.replace("limited to USD 100", "limited to <b>the fees</b> you paid")
TYPO = CAP_CHANGED.replace("responsible", "responsable")


@pytest.fixture
def get(db, tmp_path):
    db["services"].insert({"slug": "copilot", "name": "GitHub Copilot", "in_registry": 1})
    db["documents"].insert(
        {
            "id": "copilot/terms-of-service",
            "service": "copilot",
            "document_type": "terms-of-service",
        }
    )
    history = [TERMS_2024, CAP_CHANGED, TYPO, TERMS_2024, TYPO]
    for month, text in enumerate(history, start=1):
        add_version(
            db,
            f"2024-0{month}-01T00:00:00Z",
            text,
            labels={"liability": ["ltd"]},
            page=f"<p>{month}</p>".encode(),
        )
    compute_changes(db)
    datasette = build_datasette(tmp_path / "termwatch.db")
    loop = asyncio.new_event_loop()

    def get(path: str) -> str:
        response = loop.run_until_complete(datasette.client.get(path))
        assert response.status_code == 200, path
        return response.text

    yield get
    loop.close()


def titles(feed: str) -> list[str]:
    root = ElementTree.fromstring(feed.encode())
    return [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]


def test_the_history_page_shows_a_modified_clause_once_with_its_word_diff(get):
    page = get("/history/copilot/terms-of-service?from=1&to=2")
    assert page.count('class="clause modified"') == 1
    assert 'class="clause added"' not in page and 'class="clause removed"' not in page
    # The crawled wording is escaped text, its changed words marked.
    assert "limited to <del>USD 100</del>." in page
    assert "limited to <ins>&lt;b&gt;the fees&lt;/b&gt; you paid</ins>." in page
    assert "<b>the fees</b>" not in page


def test_the_main_feed_leaves_out_minor_wording_and_returns(get):
    feed = get("/termwatch/changes_feed.atom")
    assert titles(feed) == ["GitHub Copilot / Terms of service: 1 clause changed (1 modified)"]


def test_the_minor_feed_adds_the_typo_fix(get):
    feed = titles(get("/termwatch/changes_feed.atom?include=minor"))
    assert feed == [
        "GitHub Copilot / Terms of service: minor wording: 1 clause changed (1 modified)",
        "GitHub Copilot / Terms of service: 1 clause changed (1 modified)",
    ]


def test_the_history_says_the_flip_flop_once(get):
    page = html.unescape(get("/history/copilot/terms-of-service"))
    versions = page[page.index("<h2>All versions</h2>") :]
    assert versions.count("alternates between 2 known texts since 2024-04-01") == 1
    assert "back to the text of 2024-03-01" in versions  # the last version, listed as such


def test_the_timeline_draws_each_change_in_the_lane_of_its_kind(get):
    page = get("/history/copilot/terms-of-service")
    assert page.count('<circle class="mark clause') == 1
    assert page.count('<circle class="mark minor') == 1
    assert page.count('<circle class="mark return') == 2
    assert "<script" not in page[page.index("<svg") : page.index("</svg>")]
    overview = get("/history")
    assert '<text class="lane-label"' in overview and ">GitHub Copilot</text>" in overview
