"""Recording the changes between versions (rows built by ``analysis.changes``)."""

from __future__ import annotations

import sqlite_utils

from termwatch.store.recorder import transaction


def record_changes(
    db: sqlite_utils.Database, new_version_id: int, rows: list[dict], technical: bool
) -> None:
    """Replace the changes recorded for a new version, all or nothing; ``technical`` also
    marks the version itself as technical (found so by comparing it with the previous one)."""
    with transaction(db):
        db.execute("delete from changes where new_version_id = ?", [new_version_id])
        if technical:
            db.execute("update versions set technical = 1 where id = ?", [new_version_id])
        db["changes"].insert_all(rows)


def retitle_change(db: sqlite_utils.Database, new_version_id: int, summary: str) -> None:
    """Rewrite the headline (summary and title) of the text change of a new version."""
    db.execute(
        "update changes set summary = ?, title = ? where new_version_id = ? and kind = 'text'",
        [summary, summary, new_version_id],
    )


def record_substance_hashes(db: sqlite_utils.Database, hashes: dict[int, str]) -> None:
    """Keep the substance hash of each version (version id -> hash) computed by the analysis."""
    with transaction(db):
        db.conn.executemany(
            "update versions set substance_hash = ? where id = ?",
            [(digest, version_id) for version_id, digest in hashes.items()],
        )


def forget_changes(db: sqlite_utils.Database) -> None:
    """Delete every recorded change, so that they are all computed again (after ``analyze
    --all``: a new model may read other facts, and the clauses the changes point to were
    replaced). The versions' substance hashes go too, so that a new ``analysis.substance``
    is applied to every version."""
    with transaction(db):
        db.execute("delete from changes")
        db.execute("update versions set substance_hash = null")
