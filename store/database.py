"""Opening the database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from termwatch.store.errors import StoreError
from termwatch.store.schema import ensure_schema


def open_database(path: str | Path) -> sqlite_utils.Database:
    """Open (creating if needed) the termwatch database at ``path``, schema up to date.

    The parent folder is created too, so ``--db data/new.db`` works on a fresh clone.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite_utils.Database(path)
        ensure_schema(db)
        # In WAL mode (set by the schema), NORMAL skips the disk flush at each commit and
        # keeps the database consistent on any crash; a power cut may undo the last few
        # commits, which the next crawl or analysis redoes. Import and analysis commit once
        # per version: thousands of flushes otherwise (see benchmarks/analyze_corpus.py).
        db.execute("PRAGMA synchronous = NORMAL")
    except OSError as error:
        raise StoreError(f"cannot open the database {path}: {error.strerror or error}") from error
    except sqlite3.DatabaseError as error:
        raise database_error(path, error) from error
    return db


def database_error(path: str | Path, error: sqlite3.DatabaseError) -> StoreError:
    """What a DatabaseError says about the file, in one line: damaged, or not a database.

    A file damaged mid-way opens fine and fails at the first query that reads the damaged
    pages, in any command: the CLI turns those errors into this line too.
    """
    if getattr(error, "sqlite_errorcode", 0) & 0xFF == sqlite3.SQLITE_CORRUPT:
        return StoreError(
            f"the database {path} is damaged ({error}): restore a copy, or try "
            f"`sqlite3 {path} .recover` to save what can be read"
        )
    return StoreError(f"{path} is not a termwatch database: {error}")


def check_writable(db: sqlite_utils.Database, path: str | Path) -> None:
    """Raise StoreError now if the database cannot be written, before a command that writes.

    SQLite opens a file it may not write read-only without a word, and says so only at the
    first write, in the middle of a crawl. A write that changes nothing (the schema version
    set to itself), rolled back, tells at once.
    """
    version = db.execute("pragma user_version").fetchone()[0]
    try:
        db.execute("begin immediate")
        try:
            db.execute(f"pragma user_version = {int(version)}")
        finally:
            db.execute("rollback")
    except sqlite3.OperationalError as error:
        if error.sqlite_errorcode & 0xFF != sqlite3.SQLITE_READONLY:
            raise
        raise StoreError(
            f"the database {path} is read-only (file permissions, a read-only mount, or a "
            "published copy?): this command records into it; use a writable copy with --db"
        ) from None
