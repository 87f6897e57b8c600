"""A small termwatch database for the site's tests: three services, a few versions, facts.

Written by hand so that every answer the site shows is known in advance:

- Cursor's consumer terms change on 2025-03-01: the liability cap goes from a fixed US$100 to
  "the greater of", training goes from opt-out to no, arbitration and a class-action waiver
  appear. Its business agreement is registered but was never fetched.
- GitHub Copilot's answers come from two documents: its terms of service (consumer) and the
  product terms that apply to everyone (IP indemnity, no training); its business edition
  reads its product-specific terms first. Its second terms version is a technical change.
- Acme AI has only an EU consumer document, fetched but not analysed yet.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import sqlite_utils

from termwatch.analysis.facts import FACTS
from termwatch.site import refresh_site_tables
from termwatch.store import open_database

SERVICES = [
    ("github-copilot", "GitHub Copilot", "GitHub (Microsoft)", "coding-assistant"),
    ("cursor", "Cursor", "Anysphere", "coding-assistant"),
    ("acme-ai", "Acme AI", "Acme", "llm-vendor"),
]
DOCUMENTS = [
    # id, kind, audience, region
    ("github-copilot/terms-of-service", "terms-of-service", "consumer", "global"),
    (
        "github-copilot/additional-products-and-features-terms",
        "product-specific-terms",
        "everyone",
        "global",
    ),
    ("github-copilot/product-specific-terms", "product-specific-terms", "business", "global"),
    ("cursor/terms-of-service", "terms-of-service", "consumer", "global"),
    ("cursor/master-services-agreement", "commercial-terms", "business", "global"),
    ("acme-ai/terms-of-service--genai-eu", "terms-of-service", "consumer", "eu"),
]

CURSOR_CAP_V1 = "Our total liability to you is limited to one hundred U.S. dollars (US$100)."
CURSOR_CAP_V2 = (
    "Our total liability to you is limited to the greater of US$100 or the amounts you paid "
    "us in the 12 months before the claim."
)
CURSOR_TRAINING_V1 = (
    "We may use your prompts and code to train our models unless you opt out in the settings."
)
CURSOR_TRAINING_V2 = "We do not use your code to train our models."
CURSOR_OWNER = "You own the code you write and the suggestions Cursor generates for you."
CURSOR_INDIRECT = "In no event will we be liable for indirect or consequential damages."
CURSOR_LAW = "These terms are governed by the laws of the State of California."
CURSOR_ARBITRATION = (
    "Any dispute will be resolved by binding arbitration, and you waive any class action."
)
COPILOT_OWNER = "GitHub does not own the suggestions Copilot generates."
COPILOT_AS_IS = "The Service is provided AS IS, without warranty of any kind."
COPILOT_CAP = "GitHub's liability shall not exceed the amount you paid in the prior 12 months."
COPILOT_INDEMNITY = (
    "GitHub will defend you against any claim that a suggestion infringes a third party's "
    "intellectual property."
)
COPILOT_NO_TRAINING = "GitHub does not use your code to train its models."
COPILOT_BUSINESS_OWNER = "Customer owns all output Copilot Business generates for Customer."

COPILOT_COURTS = (
    "You and GitHub submit to the exclusive jurisdiction of the courts of San Francisco."
)
COPILOT_LAW_CA = "These Terms are governed by the laws of the State of California."
COPILOT_LAW_IE = "These Terms are governed by the laws of Ireland."
COURTS_REASON = "Disputes go to the courts named here; no clause provides arbitration."

COPILOT_SECTIONS = [
    ("D. Your content", [COPILOT_OWNER]),
    ("P. Liability", [COPILOT_AS_IS, COPILOT_CAP]),
    ("Q. Governing law", [COPILOT_COURTS, COPILOT_LAW_CA, COPILOT_LAW_IE]),
]
# A fact's (value, evidence), or (value, evidence, basis and its details) for inferred and
# conflicting facts as analysis stores them.
COPILOT_FACTS = {
    "arbitration": (False, COPILOT_COURTS, {"basis": "inferred", "reason": COURTS_REASON}),
    "governing_law": (
        "conflicting",
        COPILOT_LAW_CA,
        {
            "conflicts": [
                {"value": "State of California", "evidence": COPILOT_LAW_CA},
                {"value": "Ireland", "evidence": COPILOT_LAW_IE},
            ]
        },
    ),
    "output_owner": ("user", COPILOT_OWNER),
    "warranties_disclaimed": (True, COPILOT_AS_IS),
    "liability_cap_kind": ("fees_paid", COPILOT_CAP),
    "liability_cap_amounts": (["the amount you paid in the prior 12 months"], COPILOT_CAP),
}

# (document, recorded_at, [(section, [sentences])], {fact: (value, evidence)}[, "technical"])
VERSIONS = [
    (
        "cursor/terms-of-service",
        "2024-01-10T08:00:00Z",
        [
            ("1. Your content", [CURSOR_OWNER, CURSOR_TRAINING_V1]),
            ("2. Limitation of liability", [CURSOR_CAP_V1, CURSOR_INDIRECT]),
            ("3. Disputes", [CURSOR_LAW]),
        ],
        {
            "output_owner": ("user", CURSOR_OWNER),
            "trains_on_user_content": ("opt-out", CURSOR_TRAINING_V1),
            "liability_cap_kind": ("fixed", CURSOR_CAP_V1),
            "liability_cap_amounts": (["US$100"], CURSOR_CAP_V1),
            "consequential_damages_excluded": (True, CURSOR_INDIRECT),
            "governing_law": ("State of California", CURSOR_LAW),
        },
    ),
    (
        "cursor/terms-of-service",
        "2025-03-01T08:00:00Z",
        [
            ("1. Your content", [CURSOR_OWNER, CURSOR_TRAINING_V2]),
            ("2. Limitation of liability", [CURSOR_CAP_V2, CURSOR_INDIRECT]),
            ("3. Disputes", [CURSOR_LAW, CURSOR_ARBITRATION]),
        ],
        {
            "output_owner": ("user", CURSOR_OWNER),
            "trains_on_user_content": ("no", CURSOR_TRAINING_V2),
            "liability_cap_kind": ("greater_of", CURSOR_CAP_V2),
            "liability_cap_amounts": (
                ["US$100", "the amounts you paid us in the 12 months before the claim"],
                CURSOR_CAP_V2,
            ),
            "consequential_damages_excluded": (True, CURSOR_INDIRECT),
            "governing_law": ("State of California", CURSOR_LAW),
            "arbitration": (True, CURSOR_ARBITRATION),
            "class_action_waiver": (True, CURSOR_ARBITRATION),
        },
    ),
    ("github-copilot/terms-of-service", "2024-05-01T00:00:00Z", COPILOT_SECTIONS, COPILOT_FACTS),
    # Re-extracted with new selectors: a cookie banner crept in, the terms did not change.
    (
        "github-copilot/terms-of-service",
        "2024-09-01T00:00:00Z",
        [*COPILOT_SECTIONS, ("Footer", ["Cookie settings."])],
        COPILOT_FACTS,
        "technical",
    ),
    (
        "github-copilot/additional-products-and-features-terms",
        "2024-02-01T00:00:00Z",
        [("GitHub Copilot", [COPILOT_INDEMNITY, COPILOT_NO_TRAINING])],
        {
            "provider_ip_indemnity": (True, COPILOT_INDEMNITY),
            "trains_on_user_content": ("no", COPILOT_NO_TRAINING),
        },
    ),
    (
        "github-copilot/product-specific-terms",
        "2024-03-01T00:00:00Z",
        [("Ownership", [COPILOT_BUSINESS_OWNER])],
        {"output_owner": ("user", COPILOT_BUSINESS_OWNER)},
    ),
    (
        "acme-ai/terms-of-service--genai-eu",
        "2025-06-01T00:00:00Z",
        [("Terms", ["Acme AI may change these terms at any time."])],
        None,  # fetched, not analysed
    ),
]
ALL_FACTS = tuple(FACTS)


def build_sample_site(path: Path) -> sqlite_utils.Database:
    """Create the sample database at ``path`` with its comparison table refreshed."""
    db = open_database(path)
    for slug, name, provider, category in SERVICES:
        db["services"].insert(
            {
                "slug": slug,
                "name": name,
                "provider": provider,
                "category": category,
                "url": f"https://{slug}.example/",
                "in_registry": 1,
            }
        )
    for document_id, kind, audience, region in DOCUMENTS:
        service, document_type = document_id.split("/")
        db["documents"].insert(
            {
                "id": document_id,
                "service": service,
                "document_type": document_type,
                "kind": kind,
                "variant": document_type.partition("--")[2],
                "title": f"{service} {document_type.replace('-', ' ')}",
                "audience": audience,
                "region": region,
                "urls": json.dumps([f"https://{service}.example/{document_type}"]),
                "in_registry": 1,
            }
        )
    version_ids = [add_version(db, *version) for version in VERSIONS]
    _add_cursor_changes(db, old_id=version_ids[0], new_id=version_ids[1])
    _add_technical_change(db, old_id=version_ids[2], new_id=version_ids[3])
    refresh_site_tables(db)
    return db


def add_version(db, document_id, recorded_at, sections, facts, technical="") -> int:
    text, clauses = _compose(sections)
    version_id = (
        db["versions"]
        .insert(
            {
                "document_id": document_id,
                "recorded_at": recorded_at,
                "text": text,
                "text_hash": hashlib.sha256(text.encode()).hexdigest(),
                "source": "crawl" if technical else "archive",
                "technical": int(bool(technical)),
            }
        )
        .last_pk
    )
    if facts is None:
        return version_id
    clause_ids = {}
    for position, (section, sentence, start) in enumerate(clauses):
        digest = hashlib.sha256(sentence.encode()).hexdigest()
        db["sentences"].insert({"hash": digest, "text": sentence}, ignore=True)
        clause_ids[sentence] = (
            db["clauses"]
            .insert(
                {
                    "version_id": version_id,
                    "position": position,
                    "section_path": f"Terms > {section}",
                    "start": start,
                    "end": start + len(sentence),
                    "sentence_hash": digest,
                }
            )
            .last_pk
        )
    _label(db, CURSOR_TRAINING_V1, "training")
    _label(db, CURSOR_TRAINING_V2, "training")
    _label(db, COPILOT_NO_TRAINING, "training")
    _label(db, CURSOR_CAP_V1, "ltd")
    _label(db, CURSOR_CAP_V2, "ltd")
    for name in ALL_FACTS:
        value, evidence, *details = facts.get(name, ("unstated", None))
        how = details[0] if details else {}
        conflicts = [
            {**side, "clause_id": clause_ids[side["evidence"]]} for side in how.get("conflicts", [])
        ]
        db["facts"].insert(
            {
                "version_id": version_id,
                "name": name,
                "value": json.dumps(value),
                "evidence": evidence,
                "clause_id": clause_ids.get(evidence),
                "basis": how.get("basis", "stated") if evidence else None,
                "reason": how.get("reason"),
                "conflicts": json.dumps(conflicts) if conflicts else None,
                "model_version": "sample",
            }
        )
    db["analyses"].insert(
        {
            "version_id": version_id,
            "model_version": "sample",
            "analyzed_at": recorded_at,
            "clauses": len(clauses),
        }
    )
    return version_id


def _compose(sections) -> tuple[str, list[tuple[str, str, int]]]:
    """Markdown of the sections, and each sentence with its offset in it."""
    text, clauses = "# Terms\n\n", []
    for section, sentences in sections:
        text += f"## {section}\n\n"
        for sentence in sentences:
            clauses.append((section, sentence, len(text)))
            text += sentence + "\n\n"
    return text, clauses


def _label(db, sentence: str, category: str) -> None:
    digest = hashlib.sha256(sentence.encode()).hexdigest()
    if db["sentences"].count_where("hash = ?", [digest]):
        db["labels"].insert(
            {"sentence_hash": digest, "category": category, "score": 1.0, "source": "rule"},
            ignore=True,
        )


def _add_technical_change(db, old_id: int, new_id: int) -> None:
    db["changes"].insert(
        {
            "document_id": "github-copilot/terms-of-service",
            "service": "github-copilot",
            "document_type": "terms-of-service",
            "detected_at": "2024-09-01T00:00:00Z",
            "kind": "text",
            "change": "modified",
            "technical": 1,
            "significance": "technical",
            "in_feed": 0,
            "summary": "GitHub Copilot / Terms of service: technical change",
            "old_version_id": old_id,
            "new_version_id": new_id,
        }
    )


def _add_cursor_changes(db, old_id: int, new_id: int) -> None:
    base = {
        "document_id": "cursor/terms-of-service",
        "service": "cursor",
        "document_type": "terms-of-service",
        "detected_at": "2025-03-01T08:00:00Z",
        "technical": 0,
        "significance": "fact",
        "in_feed": 1,
        "old_version_id": old_id,
        "new_version_id": new_id,
    }
    db["changes"].insert_all(
        [
            {
                **base,
                "kind": "text",
                "change": "modified",
                "summary": "Cursor / Terms of service: 3 clauses changed (1 added, 2 modified)",
                # As analysis.changes titles it: the most important fact change first.
                "title": "Cursor now says it does not train on your content <was: opt-out> "
                "(and 1 more)",
            },
            {
                **base,
                "kind": "fact",
                "change": "modified",
                "name": "liability_cap_kind",
                "summary": "Cursor changed its liability cap from a fixed amount to the "
                "greater of two amounts (Terms of service)",
                "old_value": json.dumps("fixed"),
                "new_value": json.dumps("greater_of"),
                "old_evidence": CURSOR_CAP_V1,
                "new_evidence": CURSOR_CAP_V2,
            },
            {
                **base,
                "kind": "fact",
                "change": "modified",
                "name": "trains_on_user_content",
                "summary": "Cursor now says it does not train on your content <was: opt-out>",
                "old_value": json.dumps("opt-out"),
                "new_value": json.dumps("no"),
                "old_evidence": CURSOR_TRAINING_V1,
                "new_evidence": CURSOR_TRAINING_V2,
            },
            {
                **base,
                "kind": "clause",
                "change": "added",
                "name": "Terms > 3. Disputes",
                "summary": f'Arbitration clause added in "3. Disputes": "{CURSOR_ARBITRATION}"',
                "new_value": CURSOR_ARBITRATION,
            },
        ]
    )
