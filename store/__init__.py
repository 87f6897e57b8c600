"""The ground floor: the SQLite store. The only package that knows the schema and writes.

Everything above (crawler, analysis, the CLI) calls these functions; nothing here imports
from above.
"""

from termwatch.store.database import check_writable, database_error, open_database
from termwatch.store.errors import StoreError

__all__ = ["StoreError", "check_writable", "database_error", "open_database"]
