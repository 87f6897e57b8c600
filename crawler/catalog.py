"""The ``services`` and ``documents`` rows: what termwatch knows it tracks.

Rows come from the registry (``in_registry = 1``) and from imported archives, which may hold
documents the registry no longer declares (a tracker's second copy, a retired page). The
registry wins where both describe the same document.
"""

from __future__ import annotations

import json

import sqlite_utils

from termwatch.crawler.archive import ArchivedDocument
from termwatch.crawler.registry import Registry, base_type, document_kind
from termwatch.store.recorder import upsert_documents, upsert_services


def document_id(service: str, document_type: str) -> str:
    return f"{service}/{document_type}"


def sync_registry(db: sqlite_utils.Database, registry: Registry) -> None:
    """Write every service and document of the registry (idempotent)."""
    upsert_services(
        db,
        (
            {
                "slug": s.slug,
                "name": s.name,
                "provider": s.provider,
                "category": s.category,
                "url": str(s.url),
                "in_registry": 1,
            }
            for s in registry.services
        ),
    )
    upsert_documents(
        db,
        (
            {
                "id": document_id(s.slug, d.type),
                "service": s.slug,
                "document_type": d.type,
                "kind": d.kind,
                "variant": _variant(d.type),
                "title": d.title,
                "audience": d.audience,
                "region": d.region,
                "urls": json.dumps([str(source.url) for source in d.sources]),
                "in_registry": 1,
            }
            for s, d in registry.documents()
        ),
    )


def ensure_archived_document(db: sqlite_utils.Database, document: ArchivedDocument) -> str:
    """Make sure an archived document (and its service) has its rows; return its id."""
    doc_id = document_id(document.service, document.document_type)
    if not db["services"].count_where("slug = ?", [document.service]):
        upsert_services(
            db,
            [
                {
                    "slug": document.service,
                    "name": document.service_name or document.service,
                    "provider": (document.service_name or document.service).split(" (")[0],
                    "category": document.category or "llm-vendor",
                    "url": None,
                    "in_registry": 0,
                }
            ],
        )
    if not db["documents"].count_where("id = ?", [doc_id]):
        variant = _variant(document.document_type)
        upsert_documents(
            db,
            [
                {
                    "id": doc_id,
                    "service": document.service,
                    "document_type": document.document_type,
                    "kind": document_kind(document.document_type),
                    "variant": variant,
                    "title": document.title or base_type(document.document_type),
                    "audience": _audience(document_kind(document.document_type)),
                    "region": "eu" if variant == "genai-eu" else "global",
                    "urls": json.dumps(document.urls),
                    "in_registry": 0,
                }
            ],
        )
    return doc_id


def _variant(document_type: str) -> str:
    return document_type.split("--", 1)[1] if "--" in document_type else ""


def _audience(kind: str) -> str:
    return {
        "terms-of-service": "consumer",
        "commercial-terms": "business",
        "data-processor-agreement": "business",
        "service-level-agreement": "business",
        "developer-terms": "developer",
    }.get(kind, "everyone")
