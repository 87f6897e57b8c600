"""The comparison matrix: assistants × questions, each cell a short answer with its evidence.

A service rarely answers everything in one document: GitHub Copilot's terms live in the
GitHub Terms of Service and in its product terms, a vendor's commercial agreement differs
from its consumer terms, and a European edition may differ from the global one. So a matrix
row is one *edition* of a service (its consumer, business, developer or regional terms)
and reads the documents written for that audience first, then the documents that apply to
everyone; each cell says which document and version its answer comes from. Editions are
never mixed: a business cell never quotes the consumer terms.

The facts are those of ``analysis.facts``; this module only chooses, words and rates them
(favourable or not *to the user*). ``matrix(conn, as_of)`` computes the matrix as it stood on
any date; the current one is stored in ``comparison_cells`` by ``refresh_site_tables``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from termwatch.analysis.facts import CONFLICTING, FACTS, UNSTATED
from termwatch.analysis.facts.engine import UNKNOWN

# Why a cell says what it says.
STATED = "stated"
NOT_STATED = "unstated"
NOT_ANALYSED = "not_analysed"
NOT_FETCHED = "not_fetched"
# CONFLICTING (from analysis.facts): the document's clauses disagree; the cell quotes them all.

Connection = sqlite3.Connection | sqlite_utils.Database
Rating = tuple[str, str]  # (short answer, rating)


def _word_fact(values: dict[str, Any]) -> Rating:
    """A single fact in its declared words (``analysis.facts``): no wording lives here."""
    [(name, value)] = values.items()
    declared = FACTS[name].value(value)
    return declared.label, declared.rating


SHORT_AMOUNTS = 40  # longer amounts ("the fees you paid in the 12 months ...") stay in the quote


def _word_liability_cap(values: dict[str, Any]) -> Rating:
    """The cap's kind, followed by its amounts when they are short ("Capped: US $500")."""
    kind = values.get("liability_cap_kind")
    declared = FACTS["liability_cap_kind"].value(kind)
    answer = declared.label
    amounts = values.get("liability_cap_amounts") or []
    written = " or ".join(str(amount) for amount in amounts)
    if written and len(written) <= SHORT_AMOUNTS and kind not in ("fees_paid", CONFLICTING):
        answer = f"{answer}: {written}"
    return answer, declared.rating


@dataclass(frozen=True)
class Dimension:
    """A column of the matrix: a question, the facts that answer it, how to word the answer.

    ``facts[0]`` decides whether a document states the answer; the other facts (the cap's
    amounts) are always read from the same document, so a cell never mixes two documents.
    """

    name: str
    label: str
    facts: tuple[str, ...]
    word: Callable[[dict[str, Any]], Rating] = _word_fact

    @property
    def question(self) -> str:
        return FACTS[self.facts[0]].definition


def _column(name: str, label: str) -> Dimension:
    return Dimension(name, label, (name,))


DIMENSIONS: tuple[Dimension, ...] = (
    _column("output_owner", "Owns the output"),
    _column("trains_on_user_content", "Trains on your code"),
    _column("provider_ip_indemnity", "Defends you against IP claims"),
    Dimension(
        "liability_cap",
        "Liability cap",
        ("liability_cap_kind", "liability_cap_amounts"),
        _word_liability_cap,
    ),
    _column("consequential_damages_excluded", "Indirect damages"),
    _column("warranties_disclaimed", "Warranties"),
    _column("user_indemnifies_provider", "You indemnify them"),
    _column("arbitration", "Arbitration"),
    _column("class_action_waiver", "Class actions"),
    _column("governing_law", "Governing law"),
    _column("change_notice_days", "Notice of changes"),
)

# --- editions ----------------------------------------------------------------------------------

AUDIENCES = {
    "consumer": "Consumer",
    "business": "Business",
    "developer": "Developer / API",
    "everyone": "All users",
}
REGIONS = {"global": "", "eu": "EU"}
# Where a document ranks when several of an edition's documents answer the same question:
# the contract itself before product terms, notices and policies.
KIND_ORDER = (
    "terms-of-service",
    "commercial-terms",
    "developer-terms",
    "product-specific-terms",
    "legal-notice",
    "data-use-policy",
    "data-processor-agreement",
    "service-level-agreement",
    "acceptable-use-policy",
)
CATEGORY_ORDER = ("coding-assistant", "ai-developer-platform", "llm-vendor")


@dataclass(frozen=True)
class Edition:
    """The terms a service offers one audience in one region."""

    audience: str
    region: str

    @property
    def key(self) -> str:
        return self.audience if self.region == "global" else f"{self.audience}-{self.region}"

    @property
    def label(self) -> str:
        audience = AUDIENCES.get(self.audience, self.audience.capitalize())
        region = REGIONS.get(self.region, self.region.upper())
        return f"{audience} ({region})" if region else audience

    def covers(self, document: Document) -> bool:
        """A document written for this audience and region, or for everyone there."""
        if document.audience == "everyone":
            return document.region in (self.region, "global")
        return (document.audience, document.region) == (self.audience, self.region)

    def sort_key(self) -> tuple:
        audiences = list(AUDIENCES)
        rank = audiences.index(self.audience) if self.audience in audiences else len(audiences)
        return (self.region != "global", rank, self.region)


@dataclass
class Document:
    """A document and the version of it in force at the matrix's date (if any)."""

    id: str
    service: str
    document_type: str
    title: str
    kind: str
    audience: str
    region: str
    in_registry: bool
    version_id: int | None = None
    version_date: str | None = None
    analysed: bool = False
    facts: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """A short name for a cell: "Terms of service", "Commercial terms (genai-eu)"."""
        base, _, variant = self.document_type.partition("--")
        label = base.replace("-", " ").capitalize()
        return f"{label} ({variant})" if variant else label

    def states(self, fact: str) -> bool:
        value = self.facts.get(fact, {}).get("value", UNSTATED)
        return value not in (UNSTATED, None, [])

    def precedence(self, edition: Edition) -> tuple:
        kinds = list(KIND_ORDER)
        kind_rank = kinds.index(self.kind) if self.kind in kinds else len(kinds)
        return (
            self.audience == "everyone" and edition.audience != "everyone",
            not self.in_registry,  # a second tracker's copy of the same document
            kind_rank,
            self.document_type,
        )


@dataclass
class Cell:
    """One answer of the matrix, and where it comes from."""

    dimension: Dimension
    answer: str
    rating: str
    status: str
    values: dict[str, Any] = field(default_factory=dict)
    evidence: str | None = None
    clause_id: int | None = None
    document: Document | None = None
    basis: str | None = None  # stated / inferred (analysis.facts)
    reason: str | None = None  # why an inferred answer holds
    # A conflicting answer's sides: [{value, answer, evidence, clause_id}], in document order.
    conflicts: list[dict[str, Any]] = field(default_factory=list)

    @property
    def evidence_url(self) -> str | None:
        """The version's page, scrolled to the clause that states the answer."""
        document = self.document
        if not document or not document.version_id:
            return None
        url = f"/history/{document.service}/{document.document_type}/{document.version_id}"
        if self.evidence:
            url += f"?fact={self.dimension.facts[0]}#evidence"
        return url

    def as_dict(self) -> dict[str, Any]:
        document = self.document
        return {
            "answer": self.answer,
            "rating": self.rating,
            "status": self.status,
            "facts": self.values,
            "basis": self.basis,
            "reason": self.reason,
            "evidence": self.evidence,
            "clause_id": self.clause_id,
            "conflicts": self.conflicts,
            "evidence_url": self.evidence_url,
            "document_id": document.id if document else None,
            "document_type": document.document_type if document else None,
            "document_title": document.title if document else None,
            "version_id": document.version_id if document else None,
            "version_date": document.version_date if document else None,
        }


@dataclass
class Row:
    """One edition of one service: a row of the matrix."""

    service: str
    service_name: str
    category: str
    edition: Edition
    cells: dict[str, Cell]

    def as_dict(self) -> dict[str, Any]:
        return {
            "service": self.service,
            "service_name": self.service_name,
            "category": self.category,
            "edition": self.edition.key,
            "edition_label": self.edition.label,
            "cells": {name: cell.as_dict() for name, cell in self.cells.items()},
        }


def answer(dimension: Dimension, candidates: list[Document]) -> Cell:
    """The cell of one edition: the first of its documents (by precedence) stating the answer."""
    first = dimension.facts[0]
    for document in candidates:
        if document.states(first):
            values = {
                name: document.facts.get(name, {}).get("value", UNSTATED)
                for name in dimension.facts
            }
            stated = document.facts[first]
            text, rating = dimension.word(values)
            conflicts = [
                {**rival, "answer": FACTS[first].value(rival["value"]).label}
                for rival in stated.get("conflicts") or []
            ]
            return Cell(
                dimension,
                text,
                rating,
                CONFLICTING if conflicts else STATED,
                values,
                stated.get("evidence"),
                stated.get("clause_id"),
                document,
                stated.get("basis") or STATED,
                stated.get("reason"),
                conflicts,
            )
    fetched = [document for document in candidates if document.version_id]
    if not fetched:
        return Cell(dimension, "No version yet", UNKNOWN, NOT_FETCHED)
    main = fetched[0]  # "not stated" is only sure once the main document has been read
    if not main.analysed:
        return Cell(dimension, "Not analysed yet", UNKNOWN, NOT_ANALYSED, document=main)
    values = {name: UNSTATED for name in dimension.facts}
    return Cell(dimension, "Not stated", UNKNOWN, NOT_STATED, values, document=main)


def editions(documents: Iterable[Document]) -> list[Edition]:
    """The editions a service's documents describe, consumer first, regional ones last."""
    documents = list(documents)
    found = {Edition(d.audience, d.region) for d in documents if d.audience != "everyone"}
    if not found:
        found = {Edition("everyone", d.region) for d in documents} or {
            Edition("everyone", "global")
        }
    return sorted(found, key=Edition.sort_key)


def build_matrix(services: Iterable[dict], documents: Iterable[Document]) -> list[Row]:
    """Rows for every service (even one with no document yet), in reading order."""
    by_service: dict[str, list[Document]] = {}
    for document in documents:
        by_service.setdefault(document.service, []).append(document)
    rows = []
    for service in sorted(services, key=_service_order):
        own = by_service.get(service["slug"], [])
        for edition in editions(own):
            candidates = sorted(
                (d for d in own if edition.covers(d)), key=lambda d: d.precedence(edition)
            )
            cells = {dim.name: answer(dim, candidates) for dim in DIMENSIONS}
            rows.append(Row(service["slug"], service["name"], service["category"], edition, cells))
    return rows


def _service_order(service: dict) -> tuple:
    category = service["category"]
    rank = CATEGORY_ORDER.index(category) if category in CATEGORY_ORDER else len(CATEGORY_ORDER)
    return (rank, service["name"].lower())


# --- reading the database ----------------------------------------------------------------------

END_OF_DAY = "T23:59:59Z"
LATEST = "9999-12-31"

_DOCUMENTS_IN_FORCE = """
select
  d.id, d.service, d.document_type, d.title, d.kind, d.audience, d.region, d.in_registry,
  v.id as version_id, v.recorded_at as version_date,
  exists (select 1 from analyses a where a.version_id = v.id)
    or exists (select 1 from facts f where f.version_id = v.id) as analysed
from documents d
left join versions v on v.id = (
  select w.id from versions w
  where w.document_id = d.id and w.recorded_at <= :until
  order by w.recorded_at desc, w.id desc limit 1
)
"""


def fetch_dicts(conn: Connection, sql: str, params: dict | list = ()) -> list[dict]:
    cursor = conn.execute(sql, params)
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def documents_in_force(conn: Connection, as_of: str | None = None) -> list[Document]:
    """Every document with the version in force at the end of day ``as_of`` (default: now)."""
    until = (as_of or LATEST) + END_OF_DAY
    documents = [
        Document(
            **{**row, "in_registry": bool(row["in_registry"]), "analysed": bool(row["analysed"])}
        )
        for row in fetch_dicts(conn, _DOCUMENTS_IN_FORCE, {"until": until})
    ]
    by_version = {d.version_id: d for d in documents if d.version_id}
    if by_version:
        marks = ",".join("?" * len(by_version))
        for fact in fetch_dicts(
            conn,
            f"select version_id, name, value, evidence, clause_id, basis, reason, conflicts "
            f"from facts where version_id in ({marks})",
            list(by_version),
        ):
            by_version[fact["version_id"]].facts[fact["name"]] = {
                "value": parse_json(fact["value"]),
                "evidence": fact["evidence"],
                "clause_id": fact["clause_id"],
                "basis": fact["basis"],
                "reason": fact["reason"],
                "conflicts": parse_json(fact["conflicts"]),
            }
    return documents


def matrix(conn: Connection, as_of: str | None = None) -> list[Row]:
    """The comparison matrix as it stood at the end of day ``as_of`` (default: now)."""
    services = fetch_dicts(conn, "select slug, name, category from services")
    return build_matrix(services, documents_in_force(conn, as_of))


def parse_json(value: str | None) -> Any:
    if value is None:
        return None
    try:
        return json.loads(value)
    except ValueError:
        return value  # a plain string written without JSON quoting


def _facts_of(row: Row) -> Iterable[tuple[int, Dimension, str, dict[str, Any]]]:
    """(column, dimension, fact name, what the cell shows with the fact's own value)."""
    for column, dimension in enumerate(DIMENSIONS):
        cell = row.cells[dimension.name]
        shown = {key: value for key, value in cell.as_dict().items() if key != "facts"}
        for fact in dimension.facts:
            yield column, dimension, fact, {"value": cell.values.get(fact), **shown}


def matrix_rows(rows: list[Row], refreshed_at: str) -> Iterable[dict[str, Any]]:
    """``comparison_rows`` rows: one per service edition, every fact in one JSON object."""
    for row_number, row in enumerate(rows):
        yield {
            "service": row.service,
            "edition": row.edition.key,
            "row": row_number,
            "service_name": row.service_name,
            "category": row.category,
            "edition_label": row.edition.label,
            "facts": json.dumps({fact: shown for _, _, fact, shown in _facts_of(row)}),
            "refreshed_at": refreshed_at,
        }


def cell_rows(rows: list[Row], refreshed_at: str) -> Iterable[dict[str, Any]]:
    """``comparison_cells`` rows: one per service edition and fact, values as JSON."""
    for row_number, row in enumerate(rows):
        for column, dimension, fact, shown in _facts_of(row):
            value = shown["value"]
            yield {
                "service": row.service,
                "service_name": row.service_name,
                "category": row.category,
                "edition": row.edition.key,
                "edition_label": row.edition.label,
                "row": row_number,
                "dimension": dimension.name,
                "dimension_label": dimension.label,
                "column": column,
                "fact": fact,
                **shown,
                "value": None if value is None else json.dumps(value),
                "conflicts": json.dumps(shown["conflicts"]) if shown["conflicts"] else None,
                "refreshed_at": refreshed_at,
            }
