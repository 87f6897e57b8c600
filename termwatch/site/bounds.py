"""How much one request may make the site read: the size bounds of every query.

Datasette bounds a query's time (``sql_time_limit_ms``) and its rows
(``max_returned_rows``), not its size: ``select zeroblob(100000000)`` is instant and one row,
and once answered it took 600 MB of JSON and gigabytes of memory. Two bounds close that,
on every connection the site opens (tables, canned queries, termwatch's pages and, when it
is turned on, arbitrary SQL alike):

- SQLite itself refuses to build or read a value longer than ``MAX_VALUE_BYTES`` (its
  ``SQLITE_LIMIT_LENGTH``): larger than any text termwatch stores (a page is at most
  ``DOWNLOAD_MAXSIZE``, 10 MB), far below what would exhaust memory;
- a query stops with ``AnswerTooLarge`` once its rows add up to more than
  ``MAX_ANSWER_BYTES``, however many rows that is.
"""

from __future__ import annotations

import sqlite3
from weakref import WeakKeyDictionary

MAX_VALUE_BYTES = 16 * 1024 * 1024
MAX_ANSWER_BYTES = 32 * 1024 * 1024


class AnswerTooLarge(sqlite3.DataError):
    """A query's answer outgrew ``MAX_ANSWER_BYTES``."""


def bound_connection(conn: sqlite3.Connection) -> None:
    """Apply both bounds to ``conn`` (rows still come as ``sqlite3.Row``, as Datasette's)."""
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    conn.row_factory = _SizedRows(MAX_ANSWER_BYTES)


class _SizedRows:
    """A row factory counting the bytes each cursor has returned so far."""

    def __init__(self, limit: int):
        self.limit = limit
        self.returned: WeakKeyDictionary[sqlite3.Cursor, int] = WeakKeyDictionary()

    def __call__(self, cursor: sqlite3.Cursor, row: tuple) -> sqlite3.Row:
        size = self.returned.get(cursor, 0) + sum(
            len(value) for value in row if isinstance(value, str | bytes)
        )
        if size > self.limit:
            raise AnswerTooLarge(
                f"the answer is larger than {self.limit // (1024 * 1024)} MB: "
                "ask for fewer rows or smaller columns"
            )
        self.returned[cursor] = size
        return sqlite3.Row(cursor, row)
