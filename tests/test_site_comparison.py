"""The comparison matrix: which document answers, how the answer reads, how it is rated."""

from __future__ import annotations

import json

import pytest
from site_sample import (
    COPILOT_BUSINESS_OWNER,
    COPILOT_INDEMNITY,
    CURSOR_CAP_V1,
    CURSOR_CAP_V2,
    build_sample_site,
)

from termwatch.analysis.facts import FactError
from termwatch.analysis.facts.engine import FAVOURABLE, MIXED, NEUTRAL, UNFAVOURABLE, UNKNOWN
from termwatch.site import refresh_site_tables
from termwatch.site.comparison import (
    DIMENSIONS,
    Document,
    Edition,
    editions,
    matrix,
)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return build_sample_site(tmp_path_factory.mktemp("site") / "termwatch.db")


def rows_by_key(rows):
    return {(row.service, row.edition.key): row for row in rows}


def test_every_service_has_a_row_even_before_any_fetch(sample):
    rows = matrix(sample)
    services = {row.service for row in rows}
    assert services == {"github-copilot", "cursor", "acme-ai"}
    cursor_business = rows_by_key(rows)[("cursor", "business")]
    assert {cell.status for cell in cursor_business.cells.values()} == {"not_fetched"}
    assert cursor_business.cells["liability_cap"].answer == "No version yet"


def test_consumer_business_and_regional_terms_are_separate_rows(sample):
    keys = [(row.service, row.edition.key) for row in matrix(sample)]
    assert ("github-copilot", "consumer") in keys
    assert ("github-copilot", "business") in keys
    assert ("acme-ai", "consumer-eu") in keys
    assert ("acme-ai", "consumer") not in keys


def test_a_cell_reads_the_edition_s_own_document_before_the_shared_ones(sample):
    rows = rows_by_key(matrix(sample))
    business = rows[("github-copilot", "business")].cells["output_owner"]
    assert business.evidence == COPILOT_BUSINESS_OWNER
    assert business.document.id == "github-copilot/product-specific-terms"


def test_an_answer_missing_from_the_terms_comes_from_the_documents_for_everyone(sample):
    consumer = rows_by_key(matrix(sample))[("github-copilot", "consumer")]
    indemnity = consumer.cells["provider_ip_indemnity"]
    assert (indemnity.answer, indemnity.rating) == ("Yes", FAVOURABLE)
    assert indemnity.evidence == COPILOT_INDEMNITY
    assert indemnity.document.id == "github-copilot/additional-products-and-features-terms"
    # ...while the terms of service still answer what they state themselves.
    assert consumer.cells["liability_cap"].document.id == "github-copilot/terms-of-service"


def test_cells_say_which_version_they_read_and_link_to_the_clause(sample):
    cell = rows_by_key(matrix(sample))[("cursor", "consumer")].cells["liability_cap"]
    assert cell.document.version_date == "2025-03-01T08:00:00Z"
    version_id = cell.document.version_id
    expected = f"/history/cursor/terms-of-service/{version_id}?fact=liability_cap_kind#evidence"
    assert cell.evidence_url == expected


def test_the_matrix_on_a_past_date_reads_the_versions_then_in_force(sample):
    now = rows_by_key(matrix(sample))[("cursor", "consumer")].cells
    then = rows_by_key(matrix(sample, "2024-06-30"))[("cursor", "consumer")].cells
    assert (then["liability_cap"].answer, then["liability_cap"].rating) == (
        "Capped: US$100",
        UNFAVOURABLE,
    )
    assert then["liability_cap"].evidence == CURSOR_CAP_V1
    assert now["liability_cap"].evidence == CURSOR_CAP_V2
    assert (then["trains_on_user_content"].answer, then["trains_on_user_content"].rating) == (
        "Yes, unless you opt out",
        MIXED,
    )
    assert now["trains_on_user_content"].rating == FAVOURABLE


def test_before_a_document_existed_its_cells_say_not_fetched(sample):
    rows = rows_by_key(matrix(sample, "2023-01-01"))
    assert rows[("cursor", "consumer")].cells["output_owner"].status == "not_fetched"


def test_unstated_and_not_analysed_are_told_apart(sample):
    rows = rows_by_key(matrix(sample))
    unstated = rows[("cursor", "consumer")].cells["change_notice_days"]
    assert (unstated.answer, unstated.rating, unstated.status) == (
        "Not stated",
        UNKNOWN,
        "unstated",
    )
    pending = rows[("acme-ai", "consumer-eu")].cells["output_owner"]
    assert (pending.answer, pending.status) == ("Not analysed yet", "not_analysed")


@pytest.mark.parametrize(
    ("dimension", "values", "expected"),
    [
        ("liability_cap", {"liability_cap_kind": "uncapped"}, ("Not capped", FAVOURABLE)),
        (
            "liability_cap",
            {"liability_cap_kind": "fees_paid", "liability_cap_amounts": ["the fees"]},
            ("Capped at fees paid", UNFAVOURABLE),
        ),
        (
            "liability_cap",
            {"liability_cap_kind": "greater_of", "liability_cap_amounts": ["$100", "fees paid"]},
            ("Capped, greater of: $100 or fees paid", MIXED),
        ),
        ("change_notice_days", {"change_notice_days": 30}, ("30 days", FAVOURABLE)),
        ("change_notice_days", {"change_notice_days": 7}, ("7 days", MIXED)),
        ("governing_law", {"governing_law": "Ireland"}, ("Ireland", NEUTRAL)),
        ("governing_law", {"governing_law": "the State of California"}, ("California", NEUTRAL)),
        ("arbitration", {"arbitration": "conflicting"}, ("Conflicting", UNKNOWN)),
        ("output_owner", {"output_owner": "provider"}, ("The provider", UNFAVOURABLE)),
        ("arbitration", {"arbitration": False}, ("Courts", FAVOURABLE)),
    ],
)
def test_answers_are_worded_and_rated_from_the_user_s_side(dimension, values, expected):
    by_name = {d.name: d for d in DIMENSIONS}
    assert by_name[dimension].word(values) == expected


def test_a_value_nobody_declared_is_an_error_not_a_silent_answer():
    by_name = {d.name: d for d in DIMENSIONS}
    with pytest.raises(FactError, match="'maybe' is not declared"):
        by_name["trains_on_user_content"].word({"trains_on_user_content": "maybe"})


def test_every_fact_is_a_column_of_the_matrix():
    from termwatch.analysis.facts import FACTS

    assert sorted(fact for d in DIMENSIONS for fact in d.facts) == sorted(FACTS)


def test_a_service_with_only_documents_for_everyone_gets_one_row_for_everyone():
    policy = Document("x/p", "x", "p", "P", "acceptable-use-policy", "everyone", "global", True)
    assert editions([policy]) == [Edition("everyone", "global")]
    assert Edition("business", "eu").label == "Business (EU)"


def test_refresh_site_tables_stores_the_current_matrix(sample):
    cells = refresh_site_tables(sample)
    assert cells == sample["comparison_cells"].count
    # One row per service edition and fact: the cap's two facts share one cell.
    rows = len(matrix(sample))
    facts = sum(len(dimension.facts) for dimension in DIMENSIONS)
    assert cells == rows * facts
    amounts = sample.execute(
        "select value, answer, evidence from comparison_cells "
        "where service = 'cursor' and edition = 'consumer' and fact = 'liability_cap_amounts'"
    ).fetchone()
    assert json.loads(amounts[0]) == [
        "US$100",
        "the amounts you paid us in the 12 months before the claim",
    ]
    assert amounts[1] == "Capped, greater of"  # the long formula stays in the quote
    assert amounts[2] == CURSOR_CAP_V2
    categories = sample.execute("select count(*) from categories").fetchone()[0]
    assert categories == 16
