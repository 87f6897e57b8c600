"""Recording the comparison the site reads (rows built by ``termwatch.site``)."""

from __future__ import annotations

from collections.abc import Iterable

import sqlite_utils

from termwatch.store.recorder import transaction


def replace_comparison(
    db: sqlite_utils.Database,
    cells: Iterable[dict],
    rows: Iterable[dict],
    categories: Iterable[dict],
) -> None:
    """Rewrite ``comparison_cells``, ``comparison_rows`` and ``categories`` in one
    transaction: a reader sees the old matrix or the new one, never half of each."""
    with transaction(db):
        db["comparison_cells"].delete_where()
        db["comparison_cells"].insert_all(cells)
        db["comparison_rows"].delete_where()
        db["comparison_rows"].insert_all(rows)
        db["categories"].upsert_all(categories, pk="code")
