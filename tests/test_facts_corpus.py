"""Facts read from real terms of the shared corpus (skipped when the corpus is absent).

Each document is normalized and segmented as ``termwatch import-archive`` and ``analyze``
would, and every clause is offered to every fact (all labels given): what is pinned is
that the patterns read real legal wording right, whatever the classifier says.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from termwatch.analysis.facts import Clause, extract_facts
from termwatch.analysis.segment import segment
from termwatch.analysis.taxonomy import CODES
from termwatch.crawler.normalize import normalize_markdown

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def facts_of_file(relative: str) -> dict:
    path = CORPUS / relative
    if not path.exists():
        pytest.skip(f"{path} is not there (the shared corpus sits beside the project)")
    text = normalize_markdown(path.read_text(encoding="utf-8"))
    clauses = [Clause(piece.text, piece.section_path, frozenset(CODES)) for piece in segment(text)]
    return extract_facts(clauses)


def test_github_copilot_current_liability_cap_is_usd_500():
    facts = facts_of_file(
        "github-copilot/additional-products-and-features-terms/2026-03-24T00-27-36Z.md"
    )
    assert facts["liability_cap_kind"].value == "fixed"
    assert facts["liability_cap_amounts"].value == ["US $500"]
    assert (
        "maximum liability is limited to direct damages"
        in facts["liability_cap_kind"].evidence.text
    )


def test_github_terms_of_service():
    facts = facts_of_file("github-copilot/terms-of-service/2026-07-23T19-04-25Z.md")
    assert facts["output_owner"].value == "user"
    assert "does not claim ownership of your Input or Output" in facts["output_owner"].evidence.text
    # Your Content trains AI Features (D.4), which the opt-out of Inputs and Outputs (J.3) says
    # it does not reach: both stand, as the answer key reads them.
    training = facts["trains_on_user_content"]
    assert training.value == "conflicting"
    assert {rival.value for rival in training.conflicts} == {"yes", "opt-out"}
    assert facts["governing_law"].value == "State of California"
    assert facts["change_notice_days"].value == 30
    assert facts["consequential_damages_excluded"].value is True
    assert facts["user_indemnifies_provider"].value is True
    # The GitHub terms exclude damages but set no amount: no cap is read, none is guessed.
    assert facts["liability_cap_kind"].value == "unstated"
    # No arbitration clause, disputes sent to the courts of San Francisco: no arbitration.
    assert (facts["arbitration"].value, facts["arbitration"].basis) == (False, "inferred")
    assert "exclusive jurisdiction and venue" in facts["arbitration"].evidence.text


def test_cursor_terms_of_service():
    facts = facts_of_file("cursor/terms-of-service/2025-09-18T00-32-27Z.md")
    assert facts["liability_cap_kind"].value == "greater_of"
    formula, fixed = facts["liability_cap_amounts"].value
    assert formula.startswith("THE AMOUNT YOU HAVE PAID TO ANYSPHERE") and formula.endswith("CLAIM")
    assert fixed == "$100"
    assert facts["trains_on_user_content"].value == "opt-in"
    assert facts["arbitration"].value is True
    assert facts["class_action_waiver"].value is True
    assert facts["governing_law"].value == "California law"


def test_anthropic_consumer_and_commercial_terms():
    consumer = facts_of_file("anthropic/terms-of-service/2025-12-07T07-09-38Z.md")
    assert consumer["liability_cap_kind"].value == "greater_of"
    assert consumer["liability_cap_amounts"].value[-1] == "€100"
    assert consumer["trains_on_user_content"].value == "opt-out"
    assert consumer["governing_law"].value == "Irish law"

    commercial = facts_of_file("anthropic/commercial-terms/2026-03-12T07-00-47Z.md")
    assert commercial["liability_cap_kind"].value == "fees_paid"
    assert commercial["liability_cap_amounts"].value == [
        "Fees paid by Customer for the Services in the previous 12 months"
    ]
    assert commercial["trains_on_user_content"].value == "no"
    # "Anthropic will defend Customer ... against any Customer Claim", defined as IP claims.
    assert commercial["provider_ip_indemnity"].value is True
    assert commercial["governing_law"].value == "State of California"


def test_openai_terms_of_use():
    facts = facts_of_file("openai/terms-of-service/2024-02-10T00-30-28Z.md")
    assert facts["liability_cap_kind"].value == "greater_of"
    assert facts["liability_cap_amounts"].value[-1] == "ONE HUNDRED DOLLARS ($100)"
    assert facts["output_owner"].value == "user"
    assert facts["trains_on_user_content"].value == "opt-out"
    assert facts["consequential_damages_excluded"].value is True
    assert facts["change_notice_days"].value == 30


def test_codeium_terms_of_service():
    facts = facts_of_file("codeium/terms-of-service/2026-07-01T19-01-51Z.md")
    assert facts["liability_cap_amounts"].value[-1] == "ONE HUNDRED DOLLARS (US$100)"
    assert facts["provider_ip_indemnity"].value is True
    assert facts["governing_law"].value == "State of New York"
    assert facts["change_notice_days"].value == 30
