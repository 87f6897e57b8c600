"""The ``termwatch`` command line.

Each command is a thin shell over a Python function of the same name (``import_archive``,
``crawl``, ...), the way sqlite-utils' CLI mirrors its API: the CLI parses options, shows
progress, and turns the stage errors into one readable line on stderr with exit status 1.
Heavy imports (Scrapy, spaCy, Datasette) happen inside the commands that need them, so
``termwatch --help`` stays instant.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from crawler.registry import DEFAULT_REGISTRY, RegistryError, load_registry
from store import StoreError, open_database
from termwatch.archive import ArchiveError

DEFAULT_DB = Path("data/termwatch.db")
# Offline machines read the shared corpus beside the project; online ones pass their own.
DEFAULT_ARCHIVE = Path("../shared/corpus")

# Errors a user can act on: shown as one line each, never as a traceback.
USER_ERRORS: tuple[type[Exception], ...] = (RegistryError, StoreError, ArchiveError)


class TermwatchGroup(click.Group):
    def invoke(self, ctx: click.Context):  # noqa: D102 - click API
        try:
            return super().invoke(ctx)
        except USER_ERRORS as error:
            for line in str(error).splitlines():
                click.echo(f"Error: {line}", err=True)
            sys.exit(1)


class Context:
    """What every command gets: where the database and the registry are."""

    def __init__(self, db_path: Path, sources_path: Path):
        self.db_path = db_path
        self.sources_path = sources_path

    def db(self):
        return open_database(self.db_path)

    def registry(self):
        return load_registry(self.sources_path)


@click.group(cls=TermwatchGroup)
@click.version_option(package_name="termwatch")
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_DB,
    envvar="TERMWATCH_DB",
    show_default=True,
    help="SQLite database file (env TERMWATCH_DB).",
)
@click.option(
    "--sources",
    "sources_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_REGISTRY,
    envvar="TERMWATCH_SOURCES",
    show_default=True,
    help="Sources registry (env TERMWATCH_SOURCES).",
)
@click.pass_context
def cli(ctx: click.Context, db_path: Path, sources_path: Path) -> None:
    """termwatch: track and compare the terms of AI coding assistants."""
    ctx.obj = Context(db_path, sources_path)


@cli.command()
@click.pass_obj
def sources(obj: Context) -> None:
    """Check the sources registry and list its documents."""
    registry = obj.registry()
    for service, document in registry.documents():
        urls = " + ".join(str(source.url) for source in document.sources)
        click.echo(f"{service.slug}/{document.type}\t{urls}")
    click.echo(
        f"{len(registry.services)} services, {len(registry.documents())} documents: registry OK",
        err=True,
    )


@cli.command("import-archive")
@click.argument(
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_ARCHIVE,
)
@click.pass_obj
def import_archive_command(obj: Context, directory: Path) -> None:
    """Import an archive of SERVICE/DOCUMENT_TYPE/DATE.md files (default ../shared/corpus).

    Idempotent: importing the same archive twice adds nothing.
    """
    from termwatch.archive import read_archive
    from termwatch.catalog import sync_registry
    from termwatch.importer import import_archive

    db = obj.db()
    sync_registry(db, obj.registry())
    total = len(read_archive(directory))
    with click.progressbar(length=total, label="Importing", file=sys.stderr) as bar:
        counts = import_archive(db, directory, progress=lambda _document: bar.update(1))
    click.echo(
        f"Imported {directory}: {counts['new_version']} new versions, "
        f"{counts['unchanged']} unchanged after noise filtering, "
        f"{counts['skipped']} already there."
    )


# --- crawl commands (crawl) ---

# --- analysis commands (analyze, facts, train, eval) ---

# --- site commands (serve) ---

# --- refresh commands (refresh, status, schedule) ---
