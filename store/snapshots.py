"""Reading stored snapshots back: the pages a version was read from.

A technical upgrade re-reads a document's stored pages with new selectors (the crawler's
job, ``crawler.upgrade``), and the change log asks whether two versions came from the same
pages (``analysis.changes``); both read the pages here.
"""

from __future__ import annotations

import json

import sqlite_utils

from termwatch.store.recorder import Page, read_body


def html_snapshots(db: sqlite_utils.Database, version: dict) -> dict[str, dict]:
    """The HTML pages a version was read from (their ``snapshots`` rows), by URL."""
    snapshot_ids = json.loads(version["snapshot_ids"] or "[]")
    if not snapshot_ids:
        return {}
    rows = db["snapshots"].rows_where(
        f"id in ({', '.join('?' * len(snapshot_ids))}) and body_hash is not null "
        "and content_type like '%html%'",
        snapshot_ids,
    )
    return {row["url"]: row for row in rows}


def stored_pages(db: sqlite_utils.Database, version: dict, urls: list[str]) -> list[Page] | None:
    """The HTML pages a version was read from, one per URL in order (None if any is missing)."""
    snapshots = html_snapshots(db, version)
    if not all(url in snapshots for url in urls):
        return None
    return [
        Page(
            url,
            snapshots[url]["fetched_at"],
            snapshots[url]["status"],
            snapshots[url]["content_type"],
            read_body(db, snapshots[url]["body_hash"]),
        )
        for url in urls
    ]
