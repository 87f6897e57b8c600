"""What the Datasette site shows beyond plain tables: the comparison matrix and document history.

The pages themselves are a small Datasette plugin (``plugins/termwatch_pages.py``) with
templates in ``templates/``; the logic lives here so that it can be tested and called
without a web server. ``refresh_site_tables`` is the one write (``store.comparison`` does
it): the analysis and refresh steps call it once they have written new facts, and
``termwatch serve`` calls it on start.
"""

from __future__ import annotations

import sqlite_utils

from termwatch.analysis.taxonomy import CATEGORIES
from termwatch.site.comparison import cell_rows, matrix, matrix_rows
from termwatch.store.comparison import replace_comparison
from termwatch.store.recorder import utc_now


def refresh_site_tables(db: sqlite_utils.Database) -> int:
    """Rewrite the current matrix (``comparison_cells``, ``comparison_rows``) and
    ``categories``; return the number of cells.

    One transaction: a reader sees the old matrix or the new one, never half of each.
    """
    rows, now = matrix(db), utc_now()
    cells = list(cell_rows(rows, refreshed_at=now))
    categories = [
        {"code": c.code, "name": c.name, "definition": c.definition, "origin": c.origin}
        for c in CATEGORIES.values()
    ]
    replace_comparison(db, cells, matrix_rows(rows, refreshed_at=now), categories)
    return len(cells)
