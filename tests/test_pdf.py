"""Terms published as PDF: recorded as Markdown text, analysed like any other version."""

from __future__ import annotations

import pytest
from fpdf import FPDF
from test_analyze import KeywordClassifier
from test_crawl import Route, fetches, run_crawl, serve_site, versions, write_registry

from termwatch.analysis.analyze import analyze
from termwatch.crawler.errors import PdfWithoutText
from termwatch.crawler.pdf import pdf_to_markdown
from termwatch.store import open_database

LIABILITY = (
    "Our aggregate liability to you for all claims is limited to the fees you paid us in the "
    "twelve months before the claim, and in no event exceeds one hundred dollars."
)
DAMAGES = (
    "We are not liable for indirect, incidental or consequential damages of any kind, "
    "including lost profits, even if advised of their possibility."
)
LAW = (
    "These terms are governed by the laws of the State of California, without regard to its "
    "conflict of laws rules."
)


def terms_pdf() -> bytes:
    """A two-section PDF of terms: a title, bold numbered headings, numbered clauses."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.cell(0, 10, "Acme Enterprise Terms", new_x="LMARGIN", new_y="NEXT")
    for heading, clauses in (
        ("1. Limitation of Liability", [f"1.1 {LIABILITY}", f"1.2 {DAMAGES}"]),
        ("2. Governing Law", [LAW]),
    ):
        pdf.ln(4)
        pdf.set_font("Helvetica", "B", 12)
        pdf.cell(0, 8, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 11)
        for clause in clauses:
            pdf.multi_cell(0, 6, clause)
            pdf.ln(3)
    return bytes(pdf.output())


def scanned_pdf() -> bytes:
    """A page with a picture of text and no text layer, as a scanner makes."""
    pdf = FPDF()
    pdf.add_page()
    for line in range(20):
        pdf.rect(20, 20 + line * 8, 150, 3, style="F")
    return bytes(pdf.output())


def test_a_pdf_becomes_markdown_with_its_headings_and_numbered_clauses():
    text = pdf_to_markdown(terms_pdf(), "https://acme.example/terms.pdf")
    assert text.startswith("# Acme Enterprise Terms\n\n## 1. Limitation of Liability\n\n")
    assert f"\n\n1.1 {LIABILITY}\n\n1.2 {DAMAGES}\n\n## 2. Governing Law\n\n{LAW}\n" in text


def test_a_pdf_without_text_fails_with_its_own_class():
    with pytest.raises(PdfWithoutText, match="no text layer"):
        pdf_to_markdown(scanned_pdf(), "https://acme.example/scan.pdf")


@pytest.fixture(scope="module")
def pdf_crawl(tmp_path_factory):
    with serve_site() as site:
        site.routes.update(
            {
                # a PDF known by its Content-Type, one by its URL only, and a scan
                "/legal/terms": Route(
                    200, terms_pdf(), headers={"Content-Type": "application/pdf"}
                ),
                "/legal/dpa.pdf": Route(
                    200, terms_pdf(), headers={"Content-Type": "application/octet-stream"}
                ),
                "/legal/scan.pdf": Route(
                    200, scanned_pdf(), headers={"Content-Type": "application/pdf"}
                ),
            }
        )
        tmp = tmp_path_factory.mktemp("pdf")
        registry = write_registry(
            tmp / "sources.yml",
            {
                "served": [{"url": site.url("/legal/terms"), "select": "main"}],  # not applied
                "named": [{"url": site.url("/legal/dpa.pdf")}],  # no select: a PDF
                "scan": [{"url": site.url("/legal/scan.pdf")}],
            },
        )
        db = tmp / "crawl.db"
        yield db, run_crawl(db, registry)


def test_a_crawled_pdf_is_recorded_as_text_and_its_clauses_analysed(pdf_crawl):
    db, result = pdf_crawl
    recorded = fetches(db)
    for slug in ("served", "named"):
        assert recorded[f"{slug}/terms-of-service"]["outcome"] == "new_version", result.stderr
        (text,) = versions(db, f"{slug}/terms-of-service")
        assert "%PDF" not in text and f"1.1 {LIABILITY}" in text
    database = open_database(db)
    analyze(database, classifier=KeywordClassifier().as_classifier())
    version_id = recorded["named/terms-of-service"]["version_id"]
    sections = [
        row["section_path"]
        for row in database["clauses"].rows_where(
            "version_id = ?", [version_id], order_by="position"
        )
    ]
    assert sections == [
        "Acme Enterprise Terms > 1. Limitation of Liability > 1.1",
        "Acme Enterprise Terms > 1. Limitation of Liability > 1.2",
        "Acme Enterprise Terms > 2. Governing Law",
    ]
    law = database["facts"].get((version_id, "governing_law"))
    assert "California" in law["value"] and law["evidence"] == LAW


def test_a_scanned_pdf_is_a_failure_not_a_version(pdf_crawl):
    db, _result = pdf_crawl
    fetch = fetches(db)["scan/terms-of-service"]
    assert (fetch["outcome"], fetch["error_class"]) == ("failed", "pdf_without_text")
    assert not versions(db, "scan/terms-of-service")
