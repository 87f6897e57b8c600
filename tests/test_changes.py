"""What changed between two versions: clauses matched across renumbering, facts, words.

The database tests write versions through the recorder and their analysis by hand (clauses
from the real segmenter, labels and facts given), so they pin the change computation
without depending on the trained classifier.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter

import pytest
from click.testing import CliRunner

from termwatch.analysis.changes import (
    ADDED,
    MODIFIED,
    REMOVED,
    Clause,
    Fact,
    compute_changes,
    fact_changes,
    is_typo_level,
    match_clauses,
    pending_pairs,
)
from termwatch.analysis.segment import segment
from termwatch.analysis.summaries import describe_fact_change, document_label, headline
from termwatch.cli import cli
from termwatch.store.recorder import Fetch, Page, record_fetch

TERMS_2024 = """# Terms of Service

## 1. Using the Service

You must be 18 years old to use the Service. You are responsible for your account.

## 2. Your Content

You own the code you write. We do not use your code to train our models.

## 3. Limitation of Liability

Our total liability to you is limited to USD 100.
"""

# Section 1.5 inserted: sections renumbered, section 2 rewritten, the cap changed.
TERMS_2025 = """# Terms of Service

## 1. Using the Service

You must be 18 years old to use the Service. You are responsible for your account.

## 2. Beta Features

Beta features are provided as is.

## 3. Your Content

You own the code you write. We use your code to train our models unless you opt out.

## 4. Limitation of Liability

Our total liability to you is limited to the fees you paid us in the last 12 months.
"""


def clauses_of(text: str) -> list[Clause]:
    return [
        Clause(i, i, s.section_path, s.text, hashlib.sha256(s.text.encode()).hexdigest())
        for i, s in enumerate(segment(text))
    ]


# --- matching clauses ------------------------------------------------------------------------


def test_identical_versions_have_no_clause_change():
    assert match_clauses(clauses_of(TERMS_2024), clauses_of(TERMS_2024)) == []


def test_a_moved_or_renumbered_clause_is_not_a_change():
    old = "## 1. Fees\n\nYou pay monthly.\n\n## 2. Law\n\nCalifornia law governs.\n"
    new = "## 1. Law\n\nCalifornia law governs.\n\n## 2. Fees\n\nYou pay monthly.\n"
    assert match_clauses(clauses_of(old), clauses_of(new)) == []


def test_section_numbers_inside_a_clause_are_ignored():
    old = clauses_of("1.2 As described in Section 4.1, you may cancel at any time.\n")
    new = clauses_of("2.2 As described in Section 5.1, you may cancel at any time.\n")
    assert match_clauses(old, new) == []


def test_a_new_currency_is_a_change_even_when_the_words_are_the_same():
    old = clauses_of("Our liability is limited to $100.\n")
    new = clauses_of("Our liability is limited to €100.\n")
    assert [c.change for c in match_clauses(old, new)] == [MODIFIED]


def test_clauses_added_removed_and_modified_across_renumbered_sections():
    changes = match_clauses(clauses_of(TERMS_2024), clauses_of(TERMS_2025))
    by_kind = {(c.change, c.clause.text) for c in changes}

    assert (ADDED, "Beta features are provided as is.") in by_kind
    modified = [c for c in changes if c.change == MODIFIED]
    assert {c.old.text for c in modified} == {
        "We do not use your code to train our models.",
        "Our total liability to you is limited to USD 100.",
    }
    # The renumbered section still pairs each clause with its rewrite, not with a stranger.
    cap = next(c for c in modified if "liability" in c.old.text)
    assert "fees you paid" in cap.new.text
    assert cap.new.section_path.endswith("4. Limitation of Liability")
    assert not [c for c in changes if c.change == REMOVED]


def test_an_unrelated_sentence_is_removed_and_added_not_modified():
    old = clauses_of("We may suspend your account at any time.\n")
    new = clauses_of("Payments are processed by Stripe on our behalf.\n")
    assert Counter(c.change for c in match_clauses(old, new)) == {ADDED: 1, REMOVED: 1}


# --- facts and words -------------------------------------------------------------------------


def test_a_fact_change_keeps_both_values_and_both_quotes():
    old = {"liability_cap_amounts": Fact("liability_cap_amounts", ["USD 100"], "up to $100", 1)}
    new = {
        "liability_cap_amounts": Fact(
            "liability_cap_amounts", ["the fees you paid in the last 12 months"], "fees quote", 9
        )
    }
    [change] = fact_changes(old, new)
    assert (change.old.value, change.new.value) == (
        ["USD 100"],
        ["the fees you paid in the last 12 months"],
    )
    assert (change.old.evidence, change.new.evidence) == ("up to $100", "fees quote")


def test_the_same_amounts_in_another_order_or_spacing_are_not_a_change():
    old = {"liability_cap_amounts": Fact("liability_cap_amounts", ["USD 100", "fees"], "a", 1)}
    new = {"liability_cap_amounts": Fact("liability_cap_amounts", ["fees ", "USD  100"], "b", 2)}
    assert fact_changes(old, new) == []


@pytest.mark.parametrize(
    "name, old, new",
    [
        ("governing_law", "State of California", "California law"),
        ("governing_law", "the laws of the State of California", "California"),
        ("governing_law", "State of California, U.S.A.", "STATE OF CALIFORNIA"),
        ("governing_law", "Irish law", "Ireland"),
        (
            "liability_cap_amounts",
            ["THE AMOUNT YOU PAID IN THE 6 MONTHS PRIOR TO THE CLAIM", "USD 100"],
            ["$100", "the amount you paid in the six (6) months prior to the claim"],
        ),
        ("liability_cap_amounts", ["US $100"], ["ONE HUNDRED DOLLARS (USD 100)"]),
    ],
)
def test_the_same_law_or_cap_reworded_is_not_a_change_of_fact(name, old, new):
    before = {name: Fact(name, old, "old quote", 1)}
    after = {name: Fact(name, new, "new quote", 2)}
    assert fact_changes(before, after) == []


@pytest.mark.parametrize(
    "name, old, new",
    [
        ("governing_law", "State of California", "State of New York"),
        ("governing_law", "the laws of Ireland", "the laws of England and Wales"),
        ("liability_cap_amounts", ["US $100"], ["US $500"]),
        ("liability_cap_amounts", ["$100"], ["EUR 100"]),
        (
            "liability_cap_amounts",
            ["the fees you paid in the six (6) months before the claim"],
            ["the fees you paid in the twelve (12) months before the claim"],
        ),
    ],
)
def test_a_changed_law_or_cap_is_a_change_of_fact(name, old, new):
    before = {name: Fact(name, old, "old quote", 1)}
    after = {name: Fact(name, new, "new quote", 2)}
    [change] = fact_changes(before, after)
    assert (change.old.value, change.new.value) == (old, new)


def test_a_fact_missing_on_one_side_reads_as_unstated():
    new = {"arbitration": Fact("arbitration", True, "binding arbitration", 3)}
    [change] = fact_changes({}, new)
    assert change.old.value == "unstated"


@pytest.mark.parametrize(
    "name, old, new, words",
    [
        (
            "liability_cap_amounts",
            ["USD 100"],
            ["the fees you paid in the last 12 months"],
            "Copilot now caps liability at the fees you paid in the last 12 months (was: USD 100)",
        ),
        (
            "liability_cap_amounts",
            ["USD 100"],
            [],
            "Copilot no longer says what its liability is capped at (was: USD 100)",
        ),
        (
            "trains_on_user_content",
            "no",
            "opt-out",
            "Copilot now trains on your content unless you opt out (was: no)",
        ),
        ("arbitration", True, False, "Copilot no longer requires arbitration of disputes"),
        (
            "arbitration",
            "unstated",
            True,
            "Copilot now requires arbitration of disputes (was: not stated)",
        ),
        (
            "arbitration",
            "unstated",
            False,
            "Copilot now does not require arbitration (was: not stated)",
        ),
        (
            "arbitration",
            True,
            "unstated",
            "Copilot no longer says whether disputes go to arbitration (was: binding arbitration)",
        ),
        (
            "output_owner",
            "user",
            "unstated",
            "Copilot no longer says who owns the output (was: you)",
        ),
        (
            "liability_cap_kind",
            "greater_of",
            "fixed",
            "Copilot now caps liability at a fixed amount (was: capped, greater of)",
        ),
        (
            "governing_law",
            "State of California",
            "Ireland",
            "Copilot now applies the law of Ireland (was: California)",
        ),
        (
            "change_notice_days",
            30,
            7,
            "Copilot now gives 7 days' notice of changes to its terms (was: 30 days)",
        ),
        ("some_new_fact", "a", "b", "Copilot changed some new fact from a to b"),
    ],
)
def test_fact_changes_read_as_sentences(name, old, new, words):
    assert describe_fact_change("Copilot", name, old, new) == words


def test_the_headline_counts_clauses_and_names_facts():
    line = headline(Counter({ADDED: 2, MODIFIED: 1}), ["liability_cap_amounts"], False)
    assert line == "3 clauses changed (2 added, 1 modified); facts changed: liability cap amounts"
    assert headline(Counter(), [], True).startswith("technical change")


def test_document_labels_name_the_tracker_variant():
    assert document_label("terms-of-service--genai-eu") == "Terms of service (genai-eu)"


# --- in the database -------------------------------------------------------------------------


@pytest.fixture
def terms_db(db):
    db["services"].insert({"slug": "copilot", "name": "GitHub Copilot", "in_registry": 1})
    db["documents"].insert(
        {
            "id": "copilot/terms-of-service",
            "service": "copilot",
            "document_type": "terms-of-service",
        }
    )
    return db


def add_version(
    db,
    recorded_at: str,
    text: str,
    facts: dict | None = None,
    labels: dict[str, list[str]] | None = None,
    page: bytes | None = None,
    analysed: bool = True,
    extractor: str | None = "v1-selectors",
) -> int:
    """Record a version as a crawl would, then its analysis as ``termwatch analyze`` would."""
    pages = (
        [Page("https://example.test/terms", recorded_at, 200, "text/html", page)] if page else []
    )
    fetch = Fetch("copilot/terms-of-service", recorded_at, pages=pages, text=text)
    fetch.extractor = extractor
    version_id = record_fetch(db, fetch).version_id
    if analysed:
        analyse(db, version_id, text, facts or {}, labels or {})
    return version_id


def analyse(db, version_id: int, text: str, facts: dict, labels: dict[str, list[str]]) -> None:
    for position, clause in enumerate(segment(text)):
        digest = hashlib.sha256(clause.text.encode()).hexdigest()
        db["sentences"].insert({"hash": digest, "text": clause.text}, ignore=True)
        for words, categories in labels.items():
            if words in clause.text:
                db["labels"].insert_all(
                    [{"sentence_hash": digest, "category": c, "score": 1.0} for c in categories],
                    ignore=True,
                )
        db["clauses"].insert(
            {
                "version_id": version_id,
                "position": position,
                "section_path": clause.section_path,
                "start": clause.start,
                "end": clause.end,
                "sentence_hash": digest,
            }
        )
    for name, (value, evidence) in facts.items():
        db["facts"].insert(
            {
                "version_id": version_id,
                "name": name,
                "value": json.dumps(value),
                "evidence": evidence,
            }
        )
    db["analyses"].insert({"version_id": version_id, "model_version": "test", "clauses": 0})


def changes_of(db, version_id: int) -> list[dict]:
    return list(db["changes"].rows_where("new_version_id = ?", [version_id], order_by="id"))


CAP_2024 = ("Our total liability to you is limited to USD 100.", ["USD 100"])


def test_a_new_version_yields_a_text_diff_its_clause_changes_and_its_fact_changes(terms_db):
    add_version(
        terms_db,
        "2024-01-01T00:00:00Z",
        TERMS_2024,
        facts={
            "liability_cap_amounts": (["USD 100"], CAP_2024[0]),
            "trains_on_user_content": ("no", "We do not use your code to train our models."),
            "governing_law": ("unstated", None),
        },
        labels={"liability": ["ltd"], "train": ["training"]},
    )
    new_id = add_version(
        terms_db,
        "2025-03-01T00:00:00Z",
        TERMS_2025,
        facts={
            "liability_cap_amounts": (
                ["the fees you paid us in the last 12 months"],
                "Our total liability to you is limited to the fees you paid us in the last 12 "
                "months.",
            ),
            "trains_on_user_content": ("opt-out", "We use your code ... unless you opt out."),
            "governing_law": ("unstated", None),
        },
        labels={"liability": ["ltd"], "train": ["training"]},
    )

    counts = compute_changes(terms_db)

    assert (counts.pairs, counts.by_kind) == (1, Counter({"text": 1, "clause": 3, "fact": 2}))
    rows = changes_of(terms_db, new_id)
    assert {row["detected_at"] for row in rows} == {"2025-03-01T00:00:00Z"}
    [text] = [row for row in rows if row["kind"] == "text"]
    assert "+Beta features are provided as is." in text["diff"]
    assert text["summary"] == (
        "GitHub Copilot / Terms of service: 3 clauses changed (1 added, 2 modified); "
        "facts changed: liability cap amounts, trains on user content"
    )
    clause = next(row for row in rows if row["kind"] == "clause" and "liability" in row["summary"])
    assert clause["change"] == "modified"
    assert clause["summary"].startswith(
        'Limitation of liability clause modified in "Terms of Service > 4. Limitation of Liability"'
    )
    assert json.loads(clause["categories"]) == ["ltd"]
    fact = next(row for row in rows if row["name"] == "liability_cap_amounts")
    assert fact["summary"] == (
        "GitHub Copilot now caps liability at the fees you paid us in the last 12 months "
        "(was: USD 100) (Terms of service)"
    )
    assert (json.loads(fact["old_value"]), fact["old_evidence"]) == (["USD 100"], CAP_2024[0])
    assert fact["new_evidence"].endswith("the fees you paid us in the last 12 months.")


def test_changes_are_computed_once(terms_db):
    add_version(terms_db, "2024-01-01T00:00:00Z", TERMS_2024)
    add_version(terms_db, "2025-01-01T00:00:00Z", TERMS_2025)
    assert compute_changes(terms_db).pairs == 1
    assert compute_changes(terms_db).pairs == 0
    assert pending_pairs(terms_db) == []


def test_a_pair_waits_until_both_versions_are_analysed(terms_db):
    add_version(terms_db, "2024-01-01T00:00:00Z", TERMS_2024)
    new_id = add_version(terms_db, "2025-01-01T00:00:00Z", TERMS_2025, analysed=False)
    assert compute_changes(terms_db).pairs == 0

    analyse(terms_db, new_id, TERMS_2025, {}, {})
    assert compute_changes(terms_db).pairs == 1


def test_a_version_inserted_between_two_others_recomputes_the_later_pair(terms_db):
    first = add_version(terms_db, "2023-01-01T00:00:00Z", TERMS_2024)
    last = add_version(terms_db, "2025-01-01T00:00:00Z", TERMS_2025)
    compute_changes(terms_db)
    middle = add_version(terms_db, "2024-01-01T00:00:00Z", TERMS_2024.replace("18", "16"))

    assert compute_changes(terms_db).pairs == 2
    assert {row["old_version_id"] for row in changes_of(terms_db, last)} == {middle}
    assert {row["old_version_id"] for row in changes_of(terms_db, middle)} == {first}


def test_a_new_text_from_the_same_page_is_a_technical_change_kept_out_of_counts(terms_db):
    page = b"<html><main>the same page, fetched twice</main></html>"
    add_version(terms_db, "2024-01-01T00:00:00Z", TERMS_2024, page=page)
    # Read again with other selectors: the text differs, the page does not.
    new_id = add_version(terms_db, "2024-02-01T00:00:00Z", TERMS_2025, page=page)

    counts = compute_changes(terms_db)

    assert (counts.pairs, counts.technical_pairs, sum(counts.by_kind.values())) == (1, 1, 0)
    assert terms_db["versions"].get(new_id)["technical"] == 1
    assert {row["technical"] for row in changes_of(terms_db, new_id)} == {1}


# TERMS_2024 as another extractor writes it: other heading and list syntax, emphasis, link
# targets, typographic quotes and line breaks; the same words.
TERMS_2024_REWRITTEN = """Terms of Service
================

### 1. Using the Service

You must be **18 years old** to use the [Service](https://example.test/service?ref=a).
You are responsible for your account.

### 2. Your Content

* You own the code you write. We do not use your code to train our models.

### 3. Limitation of Liability

Our total liability to you is limited to _USD 100_.
"""


def test_the_same_words_in_other_markup_are_a_technical_change(terms_db):
    add_version(terms_db, "2024-01-01T00:00:00Z", TERMS_2024, page=b"<p>A</p>")
    new_id = add_version(terms_db, "2024-02-01T00:00:00Z", TERMS_2024_REWRITTEN, page=b"<p>B</p>")

    assert compute_changes(terms_db).technical_pairs == 1
    assert terms_db["versions"].get(new_id)["technical"] == 1
    assert {(row["significance"], row["in_feed"]) for row in changes_of(terms_db, new_id)} == {
        ("technical", 0)
    }


def test_a_crawl_of_the_imported_text_is_technical_and_not_in_the_feed(terms_db):
    add_version(terms_db, "2024-01-01T00:00:00Z", TERMS_2024, extractor=None)  # imported
    new_id = add_version(terms_db, "2024-02-01T00:00:00Z", TERMS_2024_REWRITTEN, page=b"<p>B</p>")

    counts = compute_changes(terms_db)

    assert (counts.technical_pairs, counts.changed_versions) == (1, 0)
    assert terms_db["versions"].get(new_id)["technical"] == 1
    assert terms_db["changes"].count_where("in_feed = 1") == 0
    assert terms_db["change_log"].count == 0


def test_a_real_change_after_an_import_is_in_the_feed(terms_db):
    add_version(terms_db, "2024-01-01T00:00:00Z", TERMS_2024, extractor=None)  # imported
    new_id = add_version(terms_db, "2024-02-01T00:00:00Z", TERMS_2025, page=b"<p>B</p>")

    counts = compute_changes(terms_db)

    assert (counts.technical_pairs, counts.changed_versions) == (0, 1)
    assert terms_db["versions"].get(new_id)["technical"] == 0
    rows = changes_of(terms_db, new_id)
    assert {(row["significance"], row["in_feed"]) for row in rows} == {("clause", 1)}
    assert {row["kind"] for row in terms_db["change_log"].rows} == {"text", "clause"}


def test_the_same_law_and_cap_reworded_by_a_crawl_after_an_import_are_no_fact_change(terms_db):
    law, cap = "governing_law", "liability_cap_amounts"
    add_version(
        terms_db,
        "2024-01-01T00:00:00Z",
        TERMS_2024,
        facts={law: ("State of California", "California."), cap: (["USD 100"], "USD 100.")},
        extractor=None,
    )
    new_id = add_version(
        terms_db,
        "2024-02-01T00:00:00Z",
        TERMS_2024.replace("18 years", "16 years"),
        facts={law: ("California law", "California law."), cap: (["US $100"], "US $100.")},
        page=b"<p>B</p>",
    )

    compute_changes(terms_db)

    rows = changes_of(terms_db, new_id)
    assert [row["kind"] for row in rows if row["kind"] == "fact"] == []
    assert {row["significance"] for row in rows} == {"clause"}


def test_a_to_b_to_a_to_b_is_one_change_and_one_episode(terms_db):
    pages = [b"<p>A</p>", b"<p>B</p>", b"<p>A again</p>", b"<p>B again</p>"]
    texts = [TERMS_2024, TERMS_2025, TERMS_2024_REWRITTEN, TERMS_2025]
    dates = ["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01"]
    ids = [
        add_version(terms_db, f"{date}T00:00:00Z", text, page=page)
        for date, text, page in zip(dates, texts, pages, strict=True)
    ]

    counts = compute_changes(terms_db)

    assert counts.by_significance == Counter({"clause": 1, "return": 2})
    assert terms_db["versions"].count == 4  # the history keeps every version
    in_feed = terms_db.execute(
        "select distinct new_version_id from changes where in_feed = 1"
    ).fetchall()
    assert in_feed == [(ids[1],)]
    third, fourth = (
        next(row for row in changes_of(terms_db, version_id) if row["kind"] == "text")
        for version_id in ids[2:]
    )
    assert third["episode_id"] == fourth["episode_id"] == ids[2]
    assert (third["returns_to_version_id"], fourth["returns_to_version_id"]) == (ids[0], ids[1])
    assert third["summary"] == (
        "GitHub Copilot / Terms of service: alternates between 2 known texts since 2024-03-01"
    )
    assert fourth["summary"].endswith("back to the text of 2024-02-01")
    said = [row["summary"] for row in terms_db["change_log"].rows if "alternates" in row["summary"]]
    assert said == [third["summary"]]  # once


def test_a_new_text_ends_the_episode_and_is_in_the_feed(terms_db):
    texts = [TERMS_2024, TERMS_2025, TERMS_2024, TERMS_2025.replace("Beta", "Preview")]
    ids = [
        add_version(terms_db, f"2024-0{month}-01T00:00:00Z", text, page=f"<p>{month}</p>".encode())
        for month, text in enumerate(texts, start=1)
    ]

    compute_changes(terms_db)

    last = changes_of(terms_db, ids[3])
    assert {(row["significance"], row["in_feed"], row["episode_id"]) for row in last} == {
        ("clause", 1, None)
    }


def test_a_typo_fixed_is_minor_wording_kept_out_of_the_feed(terms_db):
    add_version(terms_db, "2024-01-01T00:00:00Z", TERMS_2024, page=b"<p>A</p>")
    typo = add_version(
        terms_db,
        "2024-02-01T00:00:00Z",
        TERMS_2024.replace("responsible", "responsable"),
        page=b"<p>B</p>",
    )
    amount = add_version(
        terms_db,
        "2024-03-01T00:00:00Z",
        TERMS_2024.replace("responsible", "responsable").replace("USD 100", "USD 200"),
        page=b"<p>C</p>",
    )

    counts = compute_changes(terms_db)

    assert counts.by_significance == Counter({"minor": 1, "clause": 1})
    [text] = [row for row in changes_of(terms_db, typo) if row["kind"] == "text"]
    assert (text["in_feed"], text["summary"]) == (
        0,
        "GitHub Copilot / Terms of service: minor wording: 1 clause changed (1 modified)",
    )
    assert {row["in_feed"] for row in changes_of(terms_db, amount)} == {1}


@pytest.mark.parametrize(
    "old, new",
    [
        ("You may cancel at any time.", "You may not cancel at any time."),
        ("You may cancel at any time.", "You must cancel at any time."),
        ("Notice is given 30 days before.", "Notice is given 60 days before."),
        ("We pay $100.", "We pay €100."),
    ],
)
def test_a_short_edit_that_changes_an_obligation_or_a_number_is_not_a_typo(old, new):
    [change] = match_clauses(clauses_of(old), clauses_of(new))
    assert change.change == MODIFIED
    assert not is_typo_level(change)


def test_a_feed_entry_is_titled_with_its_most_important_fact_change(terms_db):
    add_version(
        terms_db,
        "2024-01-01T00:00:00Z",
        TERMS_2024,
        facts={
            "governing_law": ("State of California", "California law."),
            "trains_on_user_content": ("no", "We do not use your code to train our models."),
        },
    )
    new_id = add_version(
        terms_db,
        "2025-01-01T00:00:00Z",
        TERMS_2025,
        facts={
            "governing_law": ("State of New York", "New York law."),
            "trains_on_user_content": ("opt-out", "We use your code ... unless you opt out."),
        },
    )

    compute_changes(terms_db)

    [text] = [row for row in changes_of(terms_db, new_id) if row["kind"] == "text"]
    assert text["title"] == (
        "GitHub Copilot now trains on your content unless you opt out (was: no) "
        "(Terms of service) (and 1 more)"
    )


def test_a_new_text_from_a_changed_page_is_a_term_change(terms_db):
    add_version(terms_db, "2024-01-01T00:00:00Z", TERMS_2024, page=b"<p>version A</p>")
    new_id = add_version(terms_db, "2024-02-01T00:00:00Z", TERMS_2025, page=b"<p>version B</p>")

    assert compute_changes(terms_db).technical_pairs == 0
    assert terms_db["versions"].get(new_id)["technical"] == 0


def test_the_changes_command_compares_imported_history_once_and_again_with_all(terms_db, tmp_path):
    add_version(terms_db, "2017-06-09T00:00:00Z", TERMS_2024, extractor=None)
    add_version(terms_db, "2018-05-24T00:00:00Z", TERMS_2025, extractor=None)
    command = ["--db", str(tmp_path / "termwatch.db"), "changes"]

    first = CliRunner().invoke(cli, command)
    second = CliRunner().invoke(cli, command)
    again = CliRunner().invoke(cli, [*command, "--all"])

    assert first.stdout.startswith(
        "Compared 1 pair of versions: 1 changed version (3 clause changes, 0 fact changes); "
        "kept out of the feed: 0 technical versions, 0 returns, 0 minor wording changes."
    )
    assert second.stdout.startswith("Compared 0 pairs")
    assert again.stdout == first.stdout
    assert terms_db["changes"].count_where("kind = 'text'") == 1
