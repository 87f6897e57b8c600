"""Serving the termwatch database with Datasette, read-only, as the database ``termwatch``.

``build_datasette`` is the whole site configuration in one place (metadata, templates,
static files, limits), used by ``termwatch serve`` and by the tests alike, so what is tested
is what is served. The pages are a Datasette plugin registered by the package's ``datasette``
entry point; the files it reads ship inside the package, found where the project keeps them
(``analysis.paths.PROJECT``) in a checkout and in an installed wheel alike. Whatever the
file is called, the database is published as ``termwatch``: URLs like
``/termwatch/changes_feed.atom`` do not depend on ``--db``.

Read-only: Datasette opens the file with ``mode=ro`` connections and no plugin that writes
is loaded, so a refresh can keep writing to the database while the site serves it (an
immutable database would not see those writes, or worse, read a half-written page).

Public by default: arbitrary SQL (``?sql=``, ``_where=``) is refused, as a public Datasette
instance should; tables, views and canned queries answer. ``allow_sql=True``
(``termwatch serve --allow-sql``) turns it back on. Either way every query is bounded in
time, rows and size (``termwatch.site.bounds``).
"""

from __future__ import annotations

import errno
import socket
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from termwatch.analysis.paths import PROJECT
from termwatch.site import refresh_site_tables
from termwatch.store import open_database

if TYPE_CHECKING:
    from datasette.app import Datasette

DATABASE_NAME = "termwatch"
DEFAULT_PORT = 8001
DEFAULT_HOST = "127.0.0.1"
METADATA = PROJECT / "metadata.yml"
PLUGIN = "termwatch"  # the entry point's name in pyproject.toml
SETTINGS = {
    "sql_time_limit_ms": 1500,  # a query running longer is cancelled
    "max_returned_rows": 1000,  # no page or JSON answer returns more rows
    "facet_time_limit_ms": 200,
    "default_page_size": 50,
    "allow_download": False,
    "default_cache_ttl": 60,
    "suggest_facets": False,  # suggestions cost a query per column on every table page
    "default_allow_sql": False,  # arbitrary SQL: off on the public site (--allow-sql)
}


class SiteError(Exception):
    """The site cannot be served: the message says what and the likely cause."""


def load_metadata(path: Path = METADATA) -> dict:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise SiteError(f"cannot read the site metadata {path}: {error.strerror}") from error
    except yaml.YAMLError as error:
        raise SiteError(f"{path} is not valid YAML: {error}") from error


def build_datasette(
    db_path: str | Path, metadata: dict | None = None, allow_sql: bool = False
) -> Datasette:
    """A Datasette instance serving ``db_path`` as ``termwatch``, configured for the site."""
    from datasette.app import Datasette
    from datasette.database import Database
    from datasette.plugins import pm

    if not pm.has_plugin(PLUGIN):
        raise SiteError(
            "the termwatch pages plugin is not registered with Datasette (an install older "
            "than its entry point?): reinstall with `make install` or `pip install -e .`"
        )
    datasette = Datasette(
        metadata=metadata if metadata is not None else load_metadata(),
        settings={**SETTINGS, "default_allow_sql": allow_sql},
        template_dir=str(PROJECT / "templates"),
        static_mounts=[("static", str(PROJECT / "static"))],
    )
    datasette.remove_database("_memory")  # Datasette adds it when given no file
    datasette.add_database(Database(datasette, path=str(db_path), is_mutable=True), DATABASE_NAME)
    return datasette


def prepare_database(db_path: str | Path) -> None:
    """Bring the schema, views and site tables up to date before serving (one short write)."""
    refresh_site_tables(open_database(db_path))


def run_server(
    db_path: str | Path,
    port: int = DEFAULT_PORT,
    host: str = DEFAULT_HOST,
    allow_sql: bool = False,
) -> None:
    """Serve the site until interrupted (Ctrl-C)."""
    import uvicorn

    _check_port_free(host, port)
    app = build_datasette(db_path, allow_sql=allow_sql).app()
    uvicorn.run(app, host=host, port=port, log_level="info", lifespan="on")


def _check_port_free(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise SiteError(
                    f"port {port} on {host} is already in use "
                    "(another termwatch serve or Datasette running?); try --port"
                ) from error
            raise SiteError(f"cannot listen on {host}:{port}: {error.strerror}") from error
