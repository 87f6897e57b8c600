"""Opening the database."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from store.errors import StoreError
from store.schema import ensure_schema


def open_database(path: str | Path) -> sqlite_utils.Database:
    """Open (creating if needed) the termwatch database at ``path``, schema up to date.

    The parent folder is created too, so ``--db data/new.db`` works on a fresh clone.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite_utils.Database(path)
        ensure_schema(db)
    except OSError as error:
        raise StoreError(f"cannot open the database {path}: {error.strerror or error}") from error
    except sqlite_utils.db.sqlite3.DatabaseError as error:
        raise StoreError(f"{path} is not a termwatch database: {error}") from error
    return db
