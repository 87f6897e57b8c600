"""The site, through Datasette's own test client: pages, canned queries, feed, JSON, safety.

The Datasette instance is built exactly as ``termwatch serve`` builds it, over the sample
database of ``site_sample`` (saved as ``sample.db``, to show the database is published as
``termwatch`` whatever the file is called).
"""

from __future__ import annotations

import asyncio
import html
import re
import xml.etree.ElementTree as ElementTree

import pytest
from site_sample import (
    COPILOT_COURTS,
    COPILOT_INDEMNITY,
    COPILOT_LAW_CA,
    COPILOT_LAW_IE,
    COURTS_REASON,
    CURSOR_ARBITRATION,
    CURSOR_CAP_V1,
    CURSOR_CAP_V2,
    build_sample_site,
)

from termwatch.serve import DATABASE_NAME, build_datasette, load_metadata

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """``get(path)`` answering like the served site, and the sample database."""
    db = build_sample_site(tmp_path_factory.mktemp("site") / "sample.db")
    datasette = build_datasette(db.conn.execute("pragma database_list").fetchone()[2])
    loop = asyncio.new_event_loop()

    def get(path: str, status: int = 200):
        response = loop.run_until_complete(datasette.client.get(path))
        assert response.status_code == status, f"{path}: {response.status_code}"
        return response

    yield get, db, datasette
    loop.close()


@pytest.fixture(scope="module")
def get(site):
    return site[0]


def rows(get, path: str) -> list[dict]:
    """A canned query's or table's rows, as JSON objects."""
    route, _, query = path.partition("?")
    return get(f"{route}.json?{query}&_shape=array").json()


def text_of(page) -> str:
    return html.unescape(page.text)


# --- pages -----------------------------------------------------------------------------------


def test_the_home_page_says_what_termwatch_is_and_links_to_everything(get):
    page = get("/").text
    assert "termwatch keeps every version of the Terms of Service of AI coding assistants" in page
    for link in ('href="/compare"', 'href="/history"', 'href="/termwatch/changes_feed.atom"'):
        assert link in page
    assert 'href="/termwatch/liability_caps"' in page  # the canned queries are listed


def test_the_matrix_shows_every_service_with_coloured_answers(get):
    page = text_of(get("/compare"))
    for name in ("GitHub Copilot", "Cursor", "Acme AI"):
        assert name in page
    cell = re.search(r'<td class="cell rating-(\w+)" data-dimension="liability_cap"', page)
    assert cell, "cells carry their rating as a class"
    assert "Consumer (EU)" in page and "Business" in page
    assert "Capped, greater of" in page
    assert CURSOR_CAP_V2 in page  # the quote is in the cell, one click away


def test_the_evidence_popover_says_why_and_shows_both_sides_of_a_conflict(get):
    page = text_of(get("/compare"))
    copilot = page[page.index('id="github-copilot-consumer"') :]
    copilot = copilot[: copilot.index("</tr>")]
    arbitration = re.search(r'data-dimension="arbitration".*?</td>', copilot, re.S).group(0)
    assert "Courts" in arbitration and f"Inferred: {COURTS_REASON}" in arbitration
    assert COPILOT_COURTS in arbitration
    law = re.search(r'data-dimension="governing_law".*?</td>', copilot, re.S).group(0)
    assert 'data-status="conflicting"' in law and "Conflicting" in law
    assert "The terms give 2 different answers" in law
    assert COPILOT_LAW_CA in law and COPILOT_LAW_IE in law
    assert '<p class="side">California</p>' in law and '<p class="side">Ireland</p>' in law


def test_an_evidence_link_lands_on_the_clause(get):
    page = get("/compare").text
    link = html.unescape(
        re.search(r'href="(/history/cursor/[^"]*fact=liability_cap_kind[^"]*)"', page).group(1)
    )
    landing = text_of(get(link.split("#")[0]))
    assert f'<mark id="evidence">{CURSOR_CAP_V2}</mark>' in landing


def test_the_date_picker_shows_the_matrix_as_it_stood(get):
    page = text_of(get("/compare?date=2024-06-30"))
    assert 'type="date" name="date" value="2024-06-30"' in page
    assert "Capped: US$100" in page and CURSOR_CAP_V1 in page
    assert CURSOR_CAP_V2 not in page
    assert "date must be written YYYY-MM-DD" in get("/compare?date=yesterday", 400).text


def test_the_matrix_as_json(get):
    data = get("/compare.json?date=2024-06-30").json()
    assert data["as_of"] == "2024-06-30"
    assert [d["name"] for d in data["dimensions"]][:2] == ["output_owner", "trains_on_user_content"]
    cursor = next(r for r in data["rows"] if (r["service"], r["edition"]) == ("cursor", "consumer"))
    cap = cursor["cells"]["liability_cap"]
    assert cap["facts"] == {"liability_cap_kind": "fixed", "liability_cap_amounts": ["US$100"]}
    assert cap["version_date"] == "2024-01-10T08:00:00Z"


def test_the_matrix_can_show_one_kind_of_service(get):
    page = get("/compare?category=llm-vendor").text
    assert "Acme AI" in page and "Cursor" not in page


def test_the_history_index_lists_every_document(get):
    page = text_of(get("/history"))
    assert 'href="/history/cursor/terms-of-service"' in page
    assert "not fetched yet" in page  # cursor's master services agreement


def test_a_history_page_puts_versions_on_a_timeline_and_diffs_the_last_two(get):
    page = text_of(get("/history/cursor/terms-of-service"))
    # One change (a fact changed), drawn on the timeline and outlined as the one compared.
    assert page.count('<circle class="mark') == 1
    assert '<circle class="mark fact selected"' in page
    assert "From 2024-01-10 to 2025-03-01" in page
    # Side by side, the changed words marked on each side.
    assert "limited to <del>one hundred U.S. dollars (</del>US$100" in page
    assert "limited to <ins>the greater of </ins>US$100" in page
    # The facts that changed, and the change log's words.
    assert re.search(r'<tr class="changed">\s*<th scope="row"[^>]*>liability cap kind<', page)
    assert re.search(r'<tr class="same">\s*<th scope="row"[^>]*>output owner<', page)
    assert page.count(">liability cap kind<") == 1
    assert "Cursor changed its liability cap from a fixed amount" in page
    assert CURSOR_ARBITRATION in page  # a clause only in the new version


def test_any_two_versions_can_be_compared(get):
    page = text_of(get("/history/github-copilot/terms-of-service?from=4&to=3"))
    assert "From 2024-09-01 to 2024-05-01" in page
    assert "technical change" in page
    get("/history/github-copilot/terms-of-service?to=1", 404)  # a version of another document
    get("/history/github-copilot/terms-of-service?to=x", 400)
    get("/history/nobody/terms-of-service", 404)


def test_a_version_page_highlights_a_clause(get, site):
    db = site[1]
    clause_id, version_id = db.execute(
        "select c.id, c.version_id from clauses c join sentences s on s.hash = c.sentence_hash "
        "where s.text = ? order by c.id limit 1",
        [COPILOT_INDEMNITY],
    ).fetchone()
    path = f"/history/github-copilot/additional-products-and-features-terms/{version_id}"
    page = text_of(get(f"{path}?clause={clause_id}"))
    assert f'<mark id="evidence">{COPILOT_INDEMNITY}</mark>' in page
    assert "<h2>GitHub Copilot</h2>" in page  # the Markdown is rendered
    get(f"{path[:-1]}999", 404)


# --- canned queries and views ------------------------------------------------------------------

CANNED = {
    "comparison": "",
    "liability_caps": "",
    "output_ownership": "",
    "training_on_your_code": "",
    "ip_indemnity": "",
    "arbitration_and_class_actions": "",
    "recent_changes": "?days=100000",
    "changes_since": "?since=2025-01-01&service=",
    "terms_on_date": "?service=cursor&date=2024-06-30",
    "service_facts": "?service=cursor",
    "search_clauses": "?category=training&q=",
    "changes_feed": "?service=&document=&fact=&include=",
}


def test_there_are_at_least_eight_canned_queries_and_each_is_tested():
    queries = load_metadata()["databases"][DATABASE_NAME]["queries"]
    assert set(queries) == set(CANNED)
    assert len(queries) >= 8


@pytest.mark.parametrize("name", CANNED)
def test_every_canned_query_runs(get, name):
    found = rows(get, f"/termwatch/{name}{CANNED[name]}")
    assert found, f"{name} returned no rows"
    assert "<h1" in get(f"/termwatch/{name}{CANNED[name]}").text


def test_comparison_gives_each_edition_its_facts_by_name(get):
    found = rows(get, "/termwatch/comparison?_json=facts")
    cursor = next(r for r in found if (r["service"], r["edition"]) == ("cursor", "consumer"))
    facts = cursor["facts"]
    assert facts["liability_cap_kind"]["value"] == "greater_of"
    assert facts["trains_on_user_content"]["value"] == "no"
    assert facts["arbitration"]["value"] is True
    assert facts["arbitration"]["evidence"] == CURSOR_ARBITRATION
    assert len(facts) == 12


def test_liability_caps_compares_kinds_amounts_and_quotes(get):
    found = {
        r["service_name"] + "/" + r["edition"]: r for r in rows(get, "/termwatch/liability_caps")
    }
    assert found["Cursor/Consumer"]["kind"] == "greater_of"
    assert found["GitHub Copilot/Consumer"]["kind"] == "fees_paid"
    assert found["Cursor/Consumer"]["evidence"] == CURSOR_CAP_V2


def test_training_and_indemnity_queries(get):
    training = {
        (r["service_name"], r["edition"]): r["trains_on_your_content"]
        for r in rows(get, "/termwatch/training_on_your_code")
    }
    assert training[("Cursor", "Consumer")] == "No"
    assert training[("GitHub Copilot", "Consumer")] == "No"  # from the shared product terms
    indemnity = rows(get, "/termwatch/ip_indemnity")
    assert indemnity[0]["service_name"] == "GitHub Copilot"  # stated answers first
    assert indemnity[0]["defends_you_against_ip_claims"] == "Yes"


def test_terms_on_date_reads_the_version_then_in_force(get):
    found = rows(get, "/termwatch/terms_on_date?service=cursor&date=2024-06-30")
    assert [r["version_date"] for r in found] == ["2024-01-10"]
    assert CURSOR_CAP_V1 in found[0]["text_markdown"]
    page = get("/termwatch/terms_on_date?service=cursor&date=2024-06-30").text
    assert "<h2>2. Limitation of liability</h2>" in page  # Markdown rendered


def test_recent_changes_and_changes_since_leave_technical_changes_out(get):
    found = rows(get, "/termwatch/changes_since?since=2024-01-01&service=")
    assert {r["service"] for r in found} == {"cursor"}
    assert not rows(get, "/termwatch/changes_since?since=2025-03-02&service=")
    recent = rows(get, "/termwatch/recent_changes?days=100000")
    assert any("liability cap" in r["summary"] for r in recent)


def test_search_clauses_by_category_and_words(get):
    found = rows(get, "/termwatch/search_clauses?category=training&q=")
    assert {r["service_name"] for r in found} == {"Cursor", "GitHub Copilot"}
    worded = rows(get, "/termwatch/search_clauses?category=&q=arbitration")
    assert [r["text"] for r in worded] == [CURSOR_ARBITRATION]
    assert rows(get, "/termwatch/search_clauses?category=ltd&q=arbitration") == []
    # User input is escaped for full-text search: quotes do not break the query.
    assert rows(get, "/termwatch/search_clauses?category=&q=%22don%27t") == []


def test_views_answer_the_everyday_questions(get):
    current = rows(get, "/termwatch/current_versions?service=cursor")
    by_type = {r["document_type"]: r for r in current}
    assert by_type["terms-of-service"]["versions"] == 2
    assert by_type["master-services-agreement"]["version_id"] is None
    facts = rows(get, "/termwatch/current_facts?service=cursor&fact=trains_on_user_content")
    assert [f["value"] for f in facts] == ['"no"']
    history = rows(get, "/termwatch/document_versions?document_id=cursor/terms-of-service")
    by_number = {r["number"]: r for r in history}
    assert by_number[1]["valid_until"] == by_number[2]["valid_from"]
    assert by_number[2]["fact_changes"] == 2
    log = rows(get, "/termwatch/change_log")
    assert log and all(r["service"] == "cursor" for r in log)  # the technical one is out


def test_versions_and_clauses_are_full_text_searchable(get):
    found = rows(get, "/termwatch/versions?_search=arbitration")
    assert [r["recorded_at"] for r in found] == ["2025-03-01T08:00:00Z"]
    stemmed = rows(get, "/termwatch/current_clauses?_search=defends")
    assert [c["text"] for c in stemmed] == [COPILOT_INDEMNITY]


def test_version_rows_show_their_markdown_rendered(get):
    page = get("/termwatch/versions/2").text
    assert "<h2>2. Limitation of liability</h2>" in page


def test_view_urls_are_links(get):
    page = get("/termwatch/current_versions?service=cursor").text
    assert '<a href="/history/cursor/terms-of-service">' in page


# --- the feed ------------------------------------------------------------------------------------


def feed_entries(get, path: str) -> list[dict]:
    root = ElementTree.fromstring(get(path).content)
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "content": entry.findtext(f"{ATOM}content"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "updated": entry.findtext(f"{ATOM}updated"),
        }
        for entry in root.iter(f"{ATOM}entry")
    ]


def test_the_feed_says_what_changed_in_words(get):
    entries = feed_entries(get, "/termwatch/changes_feed.atom")
    assert len(entries) == 1  # Copilot's technical change is not a term change
    entry = entries[0]
    # Titled with the most important of its fact changes.
    assert entry["title"] == (
        "Cursor now says it does not train on your content <was: opt-out> (and 1 more)"
    )
    escaped = "<li>Cursor now says it does not train on your content &lt;was: opt-out&gt;</li>"
    assert escaped in entry["content"]
    assert "Arbitration clause added" in entry["content"]


def test_feed_links_are_absolute(get):
    [entry] = feed_entries(get, "/termwatch/changes_feed.atom")
    assert entry["link"] == "http://localhost/history/cursor/terms-of-service?from=1&to=2"
    assert (
        'href="http://localhost/history/cursor/terms-of-service?from=1&amp;to=2"'
        in (entry["content"])
    )
    [quiet] = feed_entries(get, "/termwatch/changes_feed.atom?service=acme-ai")
    assert quiet["link"] == "http://localhost/history"


def test_feed_links_start_with_the_configured_public_url(site):
    path = site[1].conn.execute("pragma database_list").fetchone()[2]
    datasette = build_datasette(path, public_url="https://terms.example.org/")
    response = asyncio.run(datasette.client.get("/termwatch/changes_feed.atom"))
    entry = ElementTree.fromstring(response.content).find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}link").get("href") == (
        "https://terms.example.org/history/cursor/terms-of-service?from=1&to=2"
    )


def test_a_feed_per_service(get):
    assert len(feed_entries(get, "/termwatch/changes_feed.atom?service=cursor")) == 1
    quiet = feed_entries(get, "/termwatch/changes_feed.atom?service=github-copilot")
    assert [e["title"] for e in quiet] == ["No change of these terms recorded yet"]


def test_a_feed_per_document(get):
    feed = "/termwatch/changes_feed.atom?document="
    assert len(feed_entries(get, feed + "cursor/terms-of-service")) == 1
    quiet = feed_entries(get, feed + "cursor/master-services-agreement")
    assert [e["title"] for e in quiet] == ["No change of these terms recorded yet"]


def test_a_feed_per_fact_is_titled_with_that_fact(get):
    [entry] = feed_entries(get, "/termwatch/changes_feed.atom?fact=liability_cap")
    assert entry["title"].startswith("Cursor changed its liability cap from a fixed amount")
    quiet = feed_entries(get, "/termwatch/changes_feed.atom?fact=governing_law")
    assert [e["title"] for e in quiet] == ["No change of these terms recorded yet"]


# --- safety ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def get_with_sql(site):
    """``get`` on the same database served with ``allow_sql=True`` (``serve --allow-sql``)."""
    datasette = build_datasette(site[2].get_database(DATABASE_NAME).path, allow_sql=True)
    loop = asyncio.new_event_loop()

    def get(path: str, status: int = 200, **params):
        response = loop.run_until_complete(datasette.client.get(path, params=params))
        assert response.status_code == status, f"{path}: {response.status_code}"
        return response

    yield get
    loop.close()


def test_arbitrary_sql_is_off_by_default_and_canned_queries_answer(get, get_with_sql):
    assert get("/termwatch.json?sql=select+1", 403).json()["ok"] is False
    assert "_where= is not allowed" in get("/termwatch/services.json?_where=1", 403).text
    assert rows(get, "/termwatch/liability_caps")
    assert get_with_sql("/termwatch.json", sql="select 41 + 1").json()["rows"] == [[42]]


def test_with_sql_allowed_an_answer_is_still_bounded_in_size(get_with_sql):
    # One huge value: SQLite refuses to build it.
    huge = get_with_sql("/termwatch.json", 400, sql="select zeroblob(100000000)").json()
    assert huge["error"] == "string or blob too big"
    # Many large values: the answer stops once it outgrows the bound.
    many = "select zeroblob(15000000) from (select value from json_each(json_array(1,2,3)))"
    error = get_with_sql("/termwatch.json", 400, sql=many).json()["error"]
    assert error.startswith("the answer is larger than 32 MB")
    # A value under the bound still comes whole.
    fine = get_with_sql("/termwatch.json", sql="select length(zeroblob(1000000))").json()
    assert fine["rows"] == [[1000000]]


def test_the_site_is_read_only(get_with_sql, site):
    datasette = site[2]
    database = datasette.get_database(DATABASE_NAME)
    assert datasette.get_database().name == DATABASE_NAME
    error = get_with_sql("/termwatch.json", 400, sql="delete from services").json()
    assert "Statement must be a SELECT" in error["error"]

    def write(conn):
        conn.execute("delete from services")

    loop = asyncio.new_event_loop()
    with pytest.raises(Exception, match="readonly"):
        loop.run_until_complete(database.execute_fn(write))
    loop.close()
    assert site[1]["services"].count == 3


def test_limits_are_set_and_only_reading_plugins_are_loaded(get):
    settings = get("/-/settings.json").json()
    assert settings["sql_time_limit_ms"] <= 2000
    assert settings["max_returned_rows"] <= 1000
    plugins = {p["name"] for p in get("/-/plugins.json").json()}
    assert plugins <= {"datasette-atom", "datasette-render-markdown", "termwatch"}


def test_every_table_and_view_is_described(site):
    db = site[1]
    described = load_metadata()["databases"][DATABASE_NAME]["tables"]
    visible = [t for t in db.table_names() if "_fts" not in t] + db.view_names()
    assert sorted(set(visible) - set(described)) == []
    assert all(described[name].get("description") for name in visible)
