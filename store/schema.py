"""The whole termwatch database schema, in one place.

Every table, index, full-text index and view is created here and nowhere else, so a
newcomer can read what the database holds top to bottom. ``ensure_schema`` is idempotent:
every command calls it on start, which is how a fresh database gets created and an old
one gains what a newer termwatch added.

The layout follows Open Terms Archive's split between *snapshots* (what was fetched,
raw, every time) and *versions* (the normalized text, recorded only when it changed),
the way simonw/git-history separates items from item versions.

Tables, by the stage that writes them:

- registry:  ``services``, ``documents``
- crawl:     ``runs``, ``fetches``, ``snapshots``, ``snapshot_bodies``, ``versions``
- analysis:  ``sentences``, ``clauses``, ``labels``, ``facts``, ``analyses``
- changes:   ``changes``
"""

from __future__ import annotations

import sqlite_utils


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create every table, index and view that does not exist yet."""
    db.execute("PRAGMA foreign_keys = ON")
    if db.journal_mode != "wal":
        db.enable_wal()
    _registry_tables(db)
    _crawl_tables(db)
    _analysis_tables(db)
    _change_tables(db)
    _views(db)


def _registry_tables(db: sqlite_utils.Database) -> None:
    # One row per service (an assistant or the model vendor it runs on).
    db["services"].create(
        {
            "slug": str,
            "name": str,
            "provider": str,
            "category": str,  # coding-assistant / llm-vendor / ai-developer-platform
            "url": str,  # product page
            "in_registry": int,  # 1 when data/sources.yml declares it (0: archive only)
        },
        pk="slug",
        if_not_exists=True,
    )
    # One row per tracked document. ``document_type`` is the slug used as folder name in
    # archives (``terms-of-service``, ``commercial-terms--genai-eu``); ``kind`` is the
    # standard document kind it belongs to, ``variant`` the tracker suffix if any.
    db["documents"].create(
        {
            "id": str,  # "<service>/<document_type>"
            "service": str,
            "document_type": str,
            "kind": str,
            "variant": str,
            "title": str,
            "audience": str,  # consumer / business / developer / everyone
            "region": str,  # global / eu / ...
            "urls": str,  # JSON list of the page URLs, in reading order
            "in_registry": int,
        },
        pk="id",
        foreign_keys=[("service", "services", "slug")],
        if_not_exists=True,
    )
    db["documents"].create_index(["service", "document_type"], unique=True, if_not_exists=True)


def _crawl_tables(db: sqlite_utils.Database) -> None:
    # A run is one crawl, import or refresh; every fetch belongs to one.
    db["runs"].create(
        {
            "id": int,
            "command": str,  # crawl / refresh / import-archive
            "started_at": str,
            "ended_at": str,
            "status": str,  # running / completed / interrupted / failed
            "replay": str,  # archive folder when replaying, else null
            "as_of": str,  # replay date, else null
            "documents": int,
            "fetched": int,
            "unchanged": int,
            "changed": int,
            "failed": int,
            "summary": str,
        },
        pk="id",
        if_not_exists=True,
    )
    # Raw bodies, compressed and stored once per distinct content (content addressing),
    # so re-fetching an unchanged page keeps the fetch without keeping the bytes twice.
    db["snapshot_bodies"].create(
        {"hash": str, "size": int, "body": bytes},
        pk="hash",
        if_not_exists=True,
    )
    # Every page fetched (or imported), whatever came of it.
    db["snapshots"].create(
        {
            "id": int,
            "document_id": str,
            "url": str,
            "fetched_at": str,
            "status": int,
            "content_type": str,
            "body_hash": str,
            "source": str,  # crawl / archive
            "run_id": int,
        },
        pk="id",
        foreign_keys=[
            ("document_id", "documents", "id"),
            ("body_hash", "snapshot_bodies", "hash"),
            ("run_id", "runs", "id"),
        ],
        if_not_exists=True,
    )
    db["snapshots"].create_index(
        ["document_id", "url", "fetched_at", "source"], unique=True, if_not_exists=True
    )
    # The normalized Markdown of a document, recorded only when it differs from the
    # document's previous version.
    db["versions"].create(
        {
            "id": int,
            "document_id": str,
            "recorded_at": str,
            "text": str,
            "text_hash": str,
            "source": str,  # crawl / archive
            "technical": int,  # 1: the text changed because extraction changed, not the terms
            "snapshot_ids": str,  # JSON list of the snapshots it was extracted from
            "extractor": str,  # fingerprint of the selectors and extraction code used
            "archive_file": str,  # for imported versions: the file it came from
            "run_id": int,
        },
        pk="id",
        foreign_keys=[("document_id", "documents", "id"), ("run_id", "runs", "id")],
        if_not_exists=True,
    )
    db["versions"].create_index(["document_id", "recorded_at"], if_not_exists=True)
    # One row per attempt to fetch a document, with its outcome.
    db["fetches"].create(
        {
            "id": int,
            "run_id": int,
            "document_id": str,
            "attempted_at": str,
            "outcome": str,  # new_version / unchanged / failed
            "error_class": str,  # see crawler.errors.ERROR_CLASSES; null unless failed
            "error": str,  # readable message: what happened and the likely cause
            "url": str,  # the page the outcome is about (the failing one, if any)
            "version_id": int,
        },
        pk="id",
        foreign_keys=[
            ("run_id", "runs", "id"),
            ("document_id", "documents", "id"),
            ("version_id", "versions", "id"),
        ],
        if_not_exists=True,
    )
    db["fetches"].create_index(["document_id", "attempted_at"], if_not_exists=True)


def _analysis_tables(db: sqlite_utils.Database) -> None:
    """Tables written by ``termwatch analyze``.

    Most sentences of a version also stand in its predecessor, so a sentence's text and its
    labels are stored once, keyed by the hash of its normalized text (``sentences``,
    ``labels``); a version's ``clauses`` point at them with their position, section path and
    character offsets into the version text. Analysis then grows with what changed, not
    with the number of versions.
    """
    db["sentences"].create(
        {"hash": str, "text": str},
        pk="hash",
        if_not_exists=True,
    )
    # Category labels of a sentence (see analysis.taxonomy for the codes).
    db["labels"].create(
        {
            "sentence_hash": str,
            "category": str,
            "score": float,
            "source": str,  # rule / model
            "model_version": str,
        },
        pk=("sentence_hash", "category"),
        foreign_keys=[("sentence_hash", "sentences", "hash")],
        if_not_exists=True,
    )
    db["clauses"].create(
        {
            "id": int,
            "version_id": int,
            "position": int,  # order in the version
            "section_path": str,  # e.g. "Terms > 9. Limitation of Liability > 9.2"
            "start": int,  # character offsets into versions.text
            "end": int,
            "sentence_hash": str,
        },
        pk="id",
        foreign_keys=[
            ("version_id", "versions", "id"),
            ("sentence_hash", "sentences", "hash"),
        ],
        if_not_exists=True,
    )
    db["clauses"].create_index(["version_id", "position"], unique=True, if_not_exists=True)
    db["clauses"].create_index(["sentence_hash"], if_not_exists=True)
    # Structured answers per version (names in analysis.facts), each with its evidence.
    db["facts"].create(
        {
            "version_id": int,
            "name": str,
            "value": str,  # JSON
            "evidence": str,  # exact quote, or null when the value is "unstated"
            "clause_id": int,
            "model_version": str,
        },
        pk=("version_id", "name"),
        foreign_keys=[("version_id", "versions", "id"), ("clause_id", "clauses", "id")],
        if_not_exists=True,
    )
    # Which versions were analysed, when, by which model.
    db["analyses"].create(
        {"version_id": int, "model_version": str, "analyzed_at": str, "clauses": int},
        pk="version_id",
        foreign_keys=[("version_id", "versions", "id")],
        if_not_exists=True,
    )


def _change_tables(db: sqlite_utils.Database) -> None:
    """Changes between consecutive versions of a document, written by ``termwatch refresh``.

    One row per change: the text diff of a new version (kind ``text``), each clause added,
    removed or modified (kind ``clause``), each fact whose value moved (kind ``fact``).
    ``technical`` marks changes caused by extraction, not by the publisher; they stay out
    of the feed and the counts.
    """
    db["changes"].create(
        {
            "id": int,
            "document_id": str,
            "service": str,
            "document_type": str,
            "detected_at": str,  # the new version's date
            "kind": str,  # text / clause / fact
            "change": str,  # added / removed / modified
            "technical": int,
            "summary": str,  # in words: "liability cap changed from ... to ..."
            "name": str,  # fact name (kind fact) or section path (kind clause)
            "old_value": str,
            "new_value": str,
            "old_evidence": str,
            "new_evidence": str,
            "diff": str,  # unified diff (kind text)
            "old_version_id": int,
            "new_version_id": int,
        },
        pk="id",
        foreign_keys=[
            ("document_id", "documents", "id"),
            ("old_version_id", "versions", "id"),
            ("new_version_id", "versions", "id"),
        ],
        if_not_exists=True,
    )
    db["changes"].create_index(["detected_at"], if_not_exists=True)
    db["changes"].create_index(["new_version_id"], if_not_exists=True)


def _views(db: sqlite_utils.Database) -> None:
    """Read-only views and full-text indexes for Datasette."""
