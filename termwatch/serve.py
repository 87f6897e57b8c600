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
A published copy that never changes (or a file this process cannot write) is served in
Datasette's immutable mode instead: nothing is written at start, table counts are computed
once, or read from a ``datasette inspect`` file.

Public by default: arbitrary SQL (``?sql=``, ``_where=``) is refused, as a public Datasette
instance should; tables, views and canned queries answer. ``allow_sql=True``
(``termwatch serve --allow-sql``) turns it back on. Either way every query is bounded in
time, rows and size (``termwatch.site.bounds``).
"""

from __future__ import annotations

import errno
import json
import os
import socket
import sqlite3
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

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
    db_path: str | Path,
    metadata: dict | None = None,
    allow_sql: bool = False,
    immutable: bool = False,
    inspect_data: dict | None = None,
    public_url: str | None = None,
) -> Datasette:
    """A Datasette instance serving ``db_path`` as ``termwatch``, configured for the site.

    ``public_url`` is the address readers reach the site at (behind a proxy, say): feed
    links start with it. Without it they start with the address each request came to.
    """
    from datasette.app import Datasette
    from datasette.database import Database
    from datasette.plugins import pm

    if not pm.has_plugin(PLUGIN):
        raise SiteError(
            "the termwatch pages plugin is not registered with Datasette (an install older "
            "than its entry point?): reinstall with `make install` or `pip install -e .`"
        )
    metadata = metadata if metadata is not None else load_metadata()
    if public_url:
        plugins = metadata.setdefault("plugins", {})
        # the configuration of the pages plugin (plugins/termwatch_pages.py), which writes
        # the feed's links
        plugins.setdefault("termwatch_pages", {})["public_url"] = public_url.rstrip("/")
    datasette = Datasette(
        metadata=metadata,
        settings={**SETTINGS, "default_allow_sql": allow_sql},
        template_dir=str(PROJECT / "templates"),
        static_mounts=[("static", str(PROJECT / "static"))],
        inspect_data=inspect_data,
    )
    datasette.remove_database("_memory")  # Datasette adds it when given no file
    database = Database(datasette, path=str(db_path), is_mutable=not immutable)
    datasette.add_database(database, DATABASE_NAME)
    return datasette


def is_read_only(db_path: str | Path) -> bool:
    """True when this process cannot write the file or its folder (SQLite needs both)."""
    path = Path(db_path)
    return path.exists() and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))


def check_database(db_path: str | Path, immutable: bool) -> None:
    """Refuse, in one line, a file that is not a readable termwatch database.

    SQLite's ``quick_check`` reads every page, so a file damaged in the middle is caught here
    rather than as a 500 on whichever page happens to read it.
    """
    path = Path(db_path)
    if not path.exists():
        if immutable:
            raise SiteError(f"no database at {path}: build one first (make run), or pass --db")
        return  # a new database: open_database creates it
    mode = "immutable=1" if immutable else "mode=ro"
    try:
        conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?{mode}", uri=True)
        try:
            problems = [row[0] for row in conn.execute("pragma quick_check")]
            tables = {row[0] for row in conn.execute("select name from sqlite_master")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        if getattr(error, "sqlite_errorname", "") == "SQLITE_CORRUPT":
            problems = [str(error)]
        else:
            raise SiteError(
                f"{path} cannot be read as a database ({error}): not a termwatch database?"
            ) from error
    if problems != ["ok"]:
        raise SiteError(
            f"{path} is damaged ({problems[0]}): restore a copy, or rebuild it (make run)"
        )
    if immutable and "comparison_rows" not in tables:
        raise SiteError(
            f"{path} has no site tables (comparison_rows) and is served immutable: "
            "serve a writable copy once (termwatch serve), then publish that"
        )


def load_inspect_data(inspect_file: Path, db_path: str | Path) -> dict:
    """The table counts of ``datasette inspect DB --inspect-file FILE``, for ``termwatch``."""
    try:
        found = json.loads(Path(inspect_file).read_text(encoding="utf-8"))
        entries = [e for e in found.values() if Path(e["file"]).name == Path(db_path).name]
        if not entries and len(found) == 1:
            entries = list(found.values())
        entry = entries[0]
        entry["tables"]  # noqa: B018 - Datasette reads it: check it is there
    except OSError as error:
        raise SiteError(f"cannot read {inspect_file}: {error.strerror}") from error
    except (ValueError, KeyError, IndexError, TypeError, AttributeError) as error:
        raise SiteError(
            f"{inspect_file} is not the output of `datasette inspect {db_path}` "
            "(run it again: datasette inspect DB --inspect-file FILE)"
        ) from error
    return {DATABASE_NAME: entry}


def prepare_database(db_path: str | Path) -> None:
    """Bring the schema, views and site tables up to date before serving (one short write)."""
    refresh_site_tables(open_database(db_path))


def run_server(
    db_path: str | Path,
    port: int = DEFAULT_PORT,
    host: str = DEFAULT_HOST,
    allow_sql: bool = False,
    immutable: bool = False,
    inspect_data: dict | None = None,
    public_url: str | None = None,
) -> None:
    """Serve the site until interrupted (Ctrl-C)."""
    import uvicorn

    _check_port_free(host, port)
    datasette = build_datasette(
        db_path,
        allow_sql=allow_sql,
        immutable=immutable,
        inspect_data=inspect_data,
        public_url=public_url,
    )
    uvicorn.run(datasette.app(), host=host, port=port, log_level="info", lifespan="on")


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


def free_port(host: str = DEFAULT_HOST) -> int:
    """A port nothing listens on now (the system picks it), for a server started next."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


@contextmanager
def serving(command: list[str], *, timeout: float = 60.0, **popen) -> Iterator[str]:
    """Run ``command --port PORT`` (``termwatch ... serve``, or ``datasette serve``) on a free
    loopback port until it answers; yield its base URL; stop it on exit.

    For what drives a real server from outside (the screenshots, the site benchmarks, the
    tests of the wheel and of the published copy): the server is up when Datasette's own
    ``/-/versions.json`` answers, which needs no database page. ``popen`` goes to
    :class:`subprocess.Popen` (``cwd``, ``env``); the server's output is discarded unless
    ``stderr`` says otherwise. Raises :class:`SiteError` when the server exits or does not
    answer within ``timeout`` seconds."""
    port = free_port()
    base = f"http://{DEFAULT_HOST}:{port}"
    popen.setdefault("stdout", subprocess.DEVNULL)
    popen.setdefault("stderr", subprocess.DEVNULL)
    server = subprocess.Popen([*command, "--port", str(port)], **popen)
    try:
        _wait_until_answering(base, server, timeout)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def _wait_until_answering(base: str, server: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(f"{base}/-/versions.json", timeout=2).read()
            return
        except OSError:
            if server.poll() is not None:
                said = server.stderr.read() if server.stderr else ""
                if isinstance(said, bytes):
                    said = said.decode(errors="replace")
                said = said.strip()
                raise SiteError(
                    f"the server exited with status {server.returncode} before answering "
                    f"on {base}" + (f": {said.splitlines()[-1]}" if said else "")
                ) from None
            if time.monotonic() > deadline:
                raise SiteError(
                    f"the server did not answer on {base} within {timeout:g} s"
                ) from None
            time.sleep(0.2)
