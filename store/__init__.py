"""The ground floor: the SQLite store. The only package that knows the schema and writes.

Everything above (crawler, analysis, the CLI, the site) calls these functions; nothing here
imports from above. Every write of a table is in one of these modules, as Open Terms
Archive keeps its writes behind its recorder: ``schema`` (the tables), ``recorder``
(runs, fetches, snapshots, versions, services and documents), ``analyses`` (labels,
clauses, facts), ``changes`` and ``comparison`` (what the site reads); ``snapshots``
reads stored pages back.
"""

from termwatch.store.database import check_writable, database_error, open_database
from termwatch.store.errors import StoreError

__all__ = ["StoreError", "check_writable", "database_error", "open_database"]
