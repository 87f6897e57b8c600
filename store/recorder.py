"""Recording what was fetched: snapshots always, versions only when the text changed.

This is termwatch's counterpart of Open Terms Archive's *recorder*. Each document fetch is
written in one transaction, so a crash mid-run leaves either the whole fetch (snapshots,
version, outcome) or nothing of it, never a half-written version.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlite_utils

NEW_VERSION = "new_version"
UNCHANGED = "unchanged"
FAILED = "failed"


def utc_now() -> str:
    """The current time as termwatch writes every timestamp: ISO 8601, UTC, seconds."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Page:
    """One page as the web server answered it (or did not: ``status`` None)."""

    url: str
    fetched_at: str
    status: int | None = None  # 304: the server said the page is the one stored
    content_type: str | None = None
    body: bytes | None = None
    etag: str | None = None  # the validators a conditional request sends back next time
    last_modified: str | None = None


@dataclass
class Fetch:
    """The outcome of fetching one document: its pages, and its text or why there is none."""

    document_id: str
    attempted_at: str
    pages: list[Page] = field(default_factory=list)
    text: str | None = None  # normalized Markdown; None when the fetch failed
    error_class: str | None = None
    error: str | None = None
    failed_url: str | None = None
    extractor: str | None = None
    technical: bool = False
    source: str = "crawl"
    archive_file: str | None = None


@dataclass
class Recorded:
    outcome: str
    version_id: int | None
    snapshot_ids: list[int]


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[None]:
    """All or nothing: commit on success, roll back on any exception (including Ctrl-C).

    ``db.atomic()``, not ``with db.conn``: sqlite-utils' own writes commit by themselves
    unless a transaction is already open, so ``with db.conn`` would not hold them together.
    """
    with db.atomic():
        yield


def store_body(db: sqlite_utils.Database, body: bytes) -> str:
    """Keep a raw body once, compressed, and return its content hash."""
    digest = hashlib.sha256(body).hexdigest()
    if not db["snapshot_bodies"].count_where("hash = ?", [digest]):
        db["snapshot_bodies"].insert(
            {"hash": digest, "size": len(body), "body": zlib.compress(body, 9)}
        )
    return digest


def read_body(db: sqlite_utils.Database, digest: str) -> bytes:
    """The raw bytes of a stored body."""
    row = db["snapshot_bodies"].get(digest)
    return zlib.decompress(row["body"])


def latest_version(
    db: sqlite_utils.Database, document_id: str, at_or_before: str | None = None
) -> dict | None:
    """The version of a document in force at a time (default: the newest one)."""
    where, params = "document_id = ?", [document_id]
    if at_or_before:
        where += " and recorded_at <= ?"
        params.append(at_or_before)
    rows = list(
        db["versions"].rows_where(where, params, order_by="recorded_at desc, id desc", limit=1)
    )
    return rows[0] if rows else None


def record_fetch(db: sqlite_utils.Database, fetch: Fetch, run_id: int | None = None) -> Recorded:
    """Write one document fetch: its snapshots, a version if the text changed, its outcome.

    A failed fetch keeps its snapshots (the 403 page is evidence too) and its error, but
    never creates a version and never touches an old one.
    """
    with transaction(db):
        snapshot_ids = [_insert_snapshot(db, fetch, page, run_id) for page in fetch.pages]
        version_id = None
        if fetch.text is None:
            outcome = FAILED
        else:
            previous = latest_version(db, fetch.document_id, at_or_before=fetch.attempted_at)
            digest = text_hash(fetch.text)
            if previous and previous["text_hash"] == digest:
                outcome = UNCHANGED
            else:
                outcome = NEW_VERSION
                version_id = (
                    db["versions"]
                    .insert(
                        {
                            "document_id": fetch.document_id,
                            "recorded_at": fetch.attempted_at,
                            "text": fetch.text,
                            "text_hash": digest,
                            "source": fetch.source,
                            "technical": int(fetch.technical),
                            "snapshot_ids": json.dumps(snapshot_ids),
                            "extractor": fetch.extractor,
                            "archive_file": fetch.archive_file,
                            "run_id": run_id,
                        }
                    )
                    .last_pk
                )
        db["fetches"].insert(
            {
                "run_id": run_id,
                "document_id": fetch.document_id,
                "attempted_at": fetch.attempted_at,
                "outcome": outcome,
                "error_class": fetch.error_class if outcome == FAILED else None,
                "error": fetch.error if outcome == FAILED else None,
                "url": fetch.failed_url or (fetch.pages[0].url if fetch.pages else None),
                "version_id": version_id,
            }
        )
    return Recorded(outcome, version_id, snapshot_ids)


def _insert_snapshot(
    db: sqlite_utils.Database, fetch: Fetch, page: Page, run_id: int | None
) -> int:
    body_hash = store_body(db, page.body) if page.body is not None else None
    row = {
        "document_id": fetch.document_id,
        "url": page.url,
        "fetched_at": page.fetched_at,
        "status": page.status,
        "content_type": page.content_type,
        "body_hash": body_hash,
        "etag": page.etag,
        "last_modified": page.last_modified,
        "source": fetch.source,
        "run_id": run_id,
    }
    existing = list(
        db["snapshots"].rows_where(
            "document_id = ? and url = ? and fetched_at = ? and source = ?",
            [fetch.document_id, page.url, page.fetched_at, fetch.source],
            limit=1,
        )
    )
    if existing:  # the same page at the same second: one snapshot, fetched once
        return existing[0]["id"]
    return db["snapshots"].insert(row).last_pk


def start_run(
    db: sqlite_utils.Database,
    command: str,
    replay: str | None = None,
    as_of: str | None = None,
) -> int:
    """Open a run; every fetch recorded until ``finish_run`` belongs to it."""
    return (
        db["runs"]
        .insert(
            {
                "command": command,
                "started_at": utc_now(),
                "status": "running",
                "replay": replay,
                "as_of": as_of,
            }
        )
        .last_pk
    )


def finish_run(
    db: sqlite_utils.Database, run_id: int, status: str = "completed", summary: str | None = None
) -> dict:
    """Close a run and count its outcomes from the fetches it recorded.

    A technical version (the extraction changed, not the terms) is counted apart from the
    changed documents.
    """
    counts = dict(
        db.execute(
            "select outcome, count(*) from fetches where run_id = ? group by outcome", [run_id]
        ).fetchall()
    )
    technical = db.execute(
        "select count(*) from fetches join versions on versions.id = fetches.version_id "
        "where fetches.run_id = ? and versions.technical = 1",
        [run_id],
    ).fetchone()[0]
    row = {
        "ended_at": utc_now(),
        "status": status,
        "documents": sum(counts.values()),
        "fetched": counts.get(NEW_VERSION, 0) + counts.get(UNCHANGED, 0),
        "unchanged": counts.get(UNCHANGED, 0),
        "changed": counts.get(NEW_VERSION, 0) - technical,
        "technical": technical,
        "failed": counts.get(FAILED, 0),
        "summary": summary,
    }
    db["runs"].update(run_id, row, alter=True)  # alter: older databases lack "technical"
    return db["runs"].get(run_id)


def upsert_services(db: sqlite_utils.Database, services: Iterable[dict]) -> None:
    db["services"].upsert_all(services, pk="slug", alter=True)


def upsert_documents(db: sqlite_utils.Database, documents: Iterable[dict]) -> None:
    db["documents"].upsert_all(documents, pk="id", alter=True)
