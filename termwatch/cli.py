"""The ``termwatch`` command line.

Each command is a thin shell over a Python function of the same name (``import_archive``,
``crawl``, ...), the way sqlite-utils' CLI mirrors its API: the CLI parses options, shows
progress, and turns the stage errors into one readable line on stderr with exit status 1.
Heavy imports (Scrapy, spaCy, Datasette) happen inside the commands that need them, so
``termwatch --help`` stays instant.
"""

from __future__ import annotations

import logging
import sqlite3
import sys
from pathlib import Path

import click

from termwatch.analysis import paths
from termwatch.analysis.analyze import AnalysisError
from termwatch.analysis.annotations import AnnotationError
from termwatch.analysis.changes import ChangesError
from termwatch.analysis.fact_key import FactKeyError
from termwatch.analysis.training import TrainingError
from termwatch.analysis.unfair_tos import BenchmarkError
from termwatch.crawler.archive import ArchiveError
from termwatch.crawler.errors import CrawlError
from termwatch.crawler.registry import DEFAULT_REGISTRY, RegistryError, load_registry
from termwatch.export import ExportError
from termwatch.schedule import RefreshError, ScheduleError
from termwatch.serve import DEFAULT_HOST, DEFAULT_PORT, SiteError
from termwatch.store import StoreError, database_error, open_database

DEFAULT_DB = Path("data/termwatch.db")
# Offline machines read the shared corpus beside the project; online ones pass their own.
DEFAULT_ARCHIVE = paths.CORPUS
GET_HISTORY = (
    "to import one: termwatch import-archive PATH|URL, e.g. "
    "make run ARCHIVE=https://github.com/OpenTermsArchive/genai-versions"
)

# Errors a user can act on: shown as one line each, never as a traceback.
USER_ERRORS: tuple[type[Exception], ...] = (
    RegistryError,
    StoreError,
    ArchiveError,
    CrawlError,
    ChangesError,
    RefreshError,
    ScheduleError,
    AnnotationError,
    FactKeyError,
    SiteError,
    AnalysisError,
    TrainingError,
    BenchmarkError,
    ExportError,
)


class TermwatchGroup(click.Group):
    def invoke(self, ctx: click.Context):  # noqa: D102 - click API
        try:
            return super().invoke(ctx)
        except USER_ERRORS as error:
            for line in str(error).splitlines():
                click.echo(f"Error: {line}", err=True)
            sys.exit(1)
        except sqlite3.DatabaseError as error:
            # A database damaged mid-file fails at whichever query first reads the damage.
            code = getattr(error, "sqlite_errorcode", 0) & 0xFF
            if code not in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
                raise
            click.echo(f"Error: {database_error(ctx.obj.db_path, error)}", err=True)
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
    _show_log("termwatch.crawler.archive", logging.WARNING, "Warning: ")  # archive files left out


@cli.command()
@click.pass_obj
def sources(obj: Context) -> None:
    """Check the sources registry (fields, CSS selectors, addresses) and list its documents."""
    from termwatch.crawl import check_registry

    registry = obj.registry()
    check_registry(registry)
    for service, document in registry.documents():
        urls = " + ".join(str(source.url) for source in document.sources)
        click.echo(f"{service.slug}/{document.type}\t{urls}")
    click.echo(
        f"{len(registry.services)} services, {len(registry.documents())} documents: registry OK",
        err=True,
    )


@cli.command("import-archive")
@click.argument("sources", nargs=-1, metavar="SOURCE...")
@click.pass_obj
def import_archive_command(obj: Context, sources: tuple[str, ...]) -> None:
    """Import the history in SOURCE (default ../shared/corpus).

    SOURCE is a folder of SERVICE/DOCUMENT_TYPE/DATE.md files, or an Open Terms
    Archive git repository, as a path or a URL: a versions repository, optionally followed
    by its snapshots repository (the raw pages). Idempotent: importing twice adds nothing.
    Without SOURCE, a missing default archive is not an error: termwatch starts without
    history.
    """
    import tempfile

    from termwatch.crawler.archive import read_archive
    from termwatch.crawler.catalog import sync_registry
    from termwatch.crawler.git_archive import is_git_source
    from termwatch.importer import import_archive

    if not sources:
        if not DEFAULT_ARCHIVE.exists():
            click.echo(
                f"No history archive at {DEFAULT_ARCHIVE}: starting without one ({GET_HISTORY})."
            )
            return
        sources = (str(DEFAULT_ARCHIVE),)
    git = is_git_source(sources[0])
    if len(sources) > 1 and not git:
        raise click.UsageError("several SOURCEs are git repositories: versions, then snapshots")
    db = obj.db()
    registry = obj.registry()
    sync_registry(db, registry)
    with tempfile.TemporaryDirectory(prefix="termwatch-import-") as scratch:
        directory = _git_archive(sources, registry, Path(scratch)) if git else Path(sources[0])
        documents = read_archive(directory)
        with click.progressbar(length=len(documents), label="Importing", file=sys.stderr) as bar:
            counts = import_archive(
                db,
                directory,
                progress=lambda _document: bar.update(1),
                origin=" ".join(sources),
                documents=documents,
            )
    click.echo(
        f"Imported {' + '.join(sources)}: {counts['new_version']} new versions, "
        f"{counts['unchanged']} unchanged after noise filtering, "
        f"{counts['failed']} error pages kept as failed fetches, "
        f"{counts['skipped']} already there."
    )


def _git_archive(sources: tuple[str, ...], registry, scratch: Path) -> Path:
    """Clone the git repositories and write their history out as an archive folder."""
    from termwatch.crawler.git_archive import clone, count_commits, write_archive

    click.echo(f"Cloning {' + '.join(sources)}...", err=True)
    repositories = [clone(source, scratch / f"repository-{n}") for n, source in enumerate(sources)]
    total = sum(count_commits(repository) for repository in repositories)
    with click.progressbar(length=total, label="Reading commits", file=sys.stderr) as bar:
        return write_archive(repositories, scratch / "archive", registry, lambda: bar.update(1))


@cli.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.pass_obj
def export_command(obj: Context, directory: Path) -> None:
    """Write the versions as SERVICE/DOCUMENT_TYPE/DATE.md, with facts.csv, changes.csv and a
    README of sources and licences, into DIRECTORY (new or empty).

    `termwatch import-archive DIRECTORY` reads it back.
    """
    from termwatch.export import export

    exported = export(obj.db(), directory)
    click.echo(
        f"Exported {exported.versions} versions of {exported.documents} documents, "
        f"{exported.facts} facts and {exported.changes} changes to {directory}."
    )


# --- crawl commands (crawl) ---


def fetch_options(command):
    """The options saying what to fetch and from where, shared by `crawl` and `refresh`."""
    options = [
        click.option(
            "--source",
            "only",
            multiple=True,
            metavar="SLUG",
            help="A service slug or document id (repeatable; default: the whole registry).",
        ),
        click.option(
            "--replay",
            type=click.Path(file_okay=False, path_type=Path),
            help="Fetch the pages recorded in this archive, served on 127.0.0.1, not the web.",
        ),
        click.option(
            "--as-of",
            metavar="YYYY-MM-DD",
            help="With --replay: the pages in force on that day; fetches are dated that day.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@cli.command("crawl")
@fetch_options
@click.option(
    "-s",
    "--set",
    "overrides",
    multiple=True,
    metavar="NAME=VALUE",
    help="Override a Scrapy setting, as with `scrapy crawl -s` (repeatable).",
)
@click.pass_obj
def crawl_command(
    obj: Context,
    only: tuple[str, ...],
    replay: Path | None,
    as_of: str | None,
    overrides: tuple[str, ...],
) -> None:
    """Fetch the registry's documents and record what changed.

    Each document becomes a fetch: a new version when its text changed, "unchanged", or
    "failed" with the class of failure (dns, timeout, http_404, structure_changed, ...).
    Exits with status 1 when any document failed or the crawl was interrupted.
    """
    from termwatch.crawl import check_options, crawl

    settings = dict(_setting(item) for item in overrides)
    check_options(obj.db_path, obj.sources_path, only, replay, as_of, settings)  # before the bar
    total = len(obj.registry().documents(only))
    with click.progressbar(length=total, label="Crawling", file=sys.stderr) as bar:
        report = crawl(
            obj.db_path,
            obj.sources_path,
            only=only,
            replay=replay,
            as_of=as_of,
            settings={"LOG_LEVEL": "ERROR", **settings},
            progress=lambda _document: bar.update(1),
        )
    completed = report.run["status"] == "completed"
    said = "Crawled" if completed else f"Crawl {report.run['status']} after"
    click.echo(f"{said} {report.run['summary']}.")
    for failure in report.failures:
        click.echo(
            f"failed: {failure['document_id']}: {failure['error_class']}: {failure['error']}",
            err=True,
        )
    if report.failures or not completed:
        sys.exit(1)


def _setting(item: str) -> tuple[str, str]:
    name, equals, value = item.partition("=")
    if not equals or not name:
        raise click.BadParameter(f"{item!r} is not NAME=VALUE", param_hint="--set")
    return name, value


# --- analysis commands (analyze, facts, train, eval) ---


@cli.command("analyze")
@click.option(
    "--all",
    "redo_all",
    is_flag=True,
    help="Analyse every version again, e.g. after a model change (default: versions not "
    "analysed yet, or by another version of the fact readers).",
)
@click.pass_obj
def analyze_command(obj: Context, redo_all: bool) -> None:
    """Split versions into clauses, classify them and read their facts.

    Only versions not analysed yet (or analysed by another version of the segmenter and
    fact readers, e.g. before an upgrade), and only sentences the current model has not
    labelled. The changes of a version analysed again are computed again by `changes`.
    """
    from termwatch.analysis.analyze import analyze, pending_versions
    from termwatch.site import refresh_site_tables

    db = obj.db()
    total = len(pending_versions(db, redo_all))
    with click.progressbar(
        length=total,
        label="Analysing",
        file=sys.stderr,
        show_pos=True,
        item_show_func=lambda p: f"{p.sentences_classified} sentences classified" if p else "",
    ) as bar:
        summary = analyze(db, redo_all=redo_all, progress=lambda p: bar.update(1, p))
    if summary.versions:
        refresh_site_tables(db)  # the site's comparison reads the new facts
    click.echo(str(summary))


@cli.command("facts")
@click.option("--service", metavar="SLUG", help="Only the documents of this service.")
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The versions in force on this date, YYYY-MM-DD (default: the latest).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_obj
def facts_command(obj: Context, service: str | None, as_of, as_json: bool) -> None:
    """The facts of each document, with the clause that states each one."""
    import json

    from termwatch.analysis.analyze import facts_in_force

    documents = facts_in_force(obj.db(), service=service, as_of=as_of.date() if as_of else None)
    if as_json:
        click.echo(json.dumps(documents, indent=2, ensure_ascii=False))
    else:
        click.echo(_facts_table(documents))
    waiting = sum(1 for document in documents if document["facts"] is None)
    if waiting:
        click.echo(
            f"{waiting} of {len(documents)} documents not analysed yet (facts null): "
            "run `termwatch analyze`.",
            err=True,
        )


def _facts_table(documents: list[dict]) -> str:
    """One block per document: each fact, its value and (the start of) its evidence."""
    import json

    from termwatch.analysis.segment import plain_text

    lines = []
    for document in documents:
        lines.append(
            f"{document['service']} / {document['document_type']}"
            f" (version of {document['version_date']})"
        )
        for name, answer in (document["facts"] or {}).items():
            value = answer["value"]
            if isinstance(value, list):
                shown = " / ".join(value) or "none"
            else:
                shown = value if isinstance(value, str) else json.dumps(value)
            if answer.get("reason"):
                shown += f" (inferred: {answer['reason']})"
            lines.append(f"  {name:<31} {shown}")
            quotes = answer["evidence"]
            for quote in quotes if isinstance(quotes, list) else [quotes] if quotes else []:
                lines.append(f"      “{_clip(plain_text(quote), 100)}”")
        if document["facts"] is None:
            lines.append("  (not analysed yet)")
        lines.append("")
    return "\n".join(lines).rstrip() or "No document has a version at that date."


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


@cli.command("train")
@click.option(
    "--unfair-tos",
    "unfair_tos",
    type=click.Path(file_okay=False, path_type=Path),
    default=paths.UNFAIR_TOS,
    show_default=True,
    help="UNFAIR-ToS benchmark folder (its training documents only are used).",
)
@click.option(
    "--annotations",
    type=click.Path(file_okay=False, path_type=Path),
    default=paths.ANNOTATIONS,
    show_default=True,
    help="Folder of our *.jsonl annotations (train split only is used).",
)
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=paths.MODEL_DIR,
    show_default=True,
    help="Model directory (git-ignored).",
)
@click.option("--force", is_flag=True, help="Retrain even if the inputs are unchanged.")
@click.option(
    "--tune",
    is_flag=True,
    help="First re-derive how each category is decided, on inner folds by document "
    "(several trainings), into analysis/decisions.json (with other inputs: into the model only).",
)
def train_command(unfair_tos: Path, annotations: Path, output: Path, force: bool, tune: bool):
    """Train the clause classifier with spaCy (fixed seed; skipped when inputs are unchanged).

    Categories are decided as stored in analysis/decisions.json unless --tune."""
    from termwatch.analysis import pipeline, training

    _show_analysis_log()
    defaults = (
        unfair_tos.resolve() == training.DEFAULT_UNFAIR_TOS.resolve()
        and annotations.resolve() == training.DEFAULT_ANNOTATIONS.resolve()
    )
    if defaults:
        path = pipeline.build_default_model(output, force=force, tune=tune)
        examples = training.load_examples()
    else:
        examples = training.load_examples(unfair_tos, annotations)
        decided = None if tune else training.load_decisions(examples)
        found = training.configured_vectors()
        path = training.build_model(examples, output, decisions=decided, vectors=found, force=force)
    click.echo(f"Model {pipeline.built_version(output)} in {path} ({len(examples)} sentences).")


model_option = click.option(
    "--model",
    "model_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=paths.MODEL_DIR,
    help="Model directory (default: data/model in the project).",
)


@cli.group("eval")
def eval_group() -> None:
    """Score the clause classifier (precision, recall, F1 per category) and the facts."""


@eval_group.command("unfair-tos")
@click.argument(
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=paths.UNFAIR_TOS,
)
@click.option(
    "--folds",
    type=click.IntRange(min=2),
    default=5,
    show_default=True,
    help="Folds of the cross-validation used when DIRECTORY overlaps the training documents.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@model_option
def eval_unfair_tos_command(directory: Path, folds: int, as_json: bool, model_dir: Path) -> None:
    """Score on a folder in the UNFAIR-ToS format (sentences/*.txt, tags/*.txt).

    Documents the model was trained on are never scored by it: if DIRECTORY overlaps the
    training documents, the figures come from cross-validation by document.
    """
    from termwatch.analysis.evaluation import evaluate_unfair_tos

    _show_analysis_log()
    evaluation = evaluate_unfair_tos(
        directory,
        folds=folds,
        model_dir=model_dir,
        progress=lambda message: click.echo(message, err=True),
    )
    _print_evaluation(evaluation, as_json)


@eval_group.command("annotations")
@click.argument(
    "directory", type=click.Path(file_okay=False, path_type=Path), default=paths.ANNOTATIONS
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@model_option
def eval_annotations_command(directory: Path, as_json: bool, model_dir: Path) -> None:
    """Score on the held-out (test) split of our annotations, all 16 categories."""
    from termwatch.analysis.evaluation import evaluate_annotations

    _print_evaluation(evaluate_annotations(directory, model_dir=model_dir), as_json)


@eval_group.command("facts")
@click.argument(
    "directory", type=click.Path(file_okay=False, path_type=Path), default=paths.FACT_KEY
)
@click.option(
    "--split",
    type=click.Choice(["test", "train", "all"]),
    default="test",
    show_default=True,
    help="Which documents of the key to score (test: never read while writing rules).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON, with every mistake.")
@model_option
def eval_facts_command(directory: Path, split: str, as_json: bool, model_dir: Path) -> None:
    """Score the facts of `termwatch facts` against the reviewed answer key (data/facts).

    Per fact and overall: the share right, the share of right stated facts quoting the
    key's clause, and the commonest confusions. The key points into the shared corpus
    (../shared/corpus, or $TERMWATCH_CORPUS).
    """
    import json

    from termwatch.analysis.fact_evaluation import evaluate_facts

    evaluation = evaluate_facts(split, directory=directory, model_dir=model_dir)
    if as_json:
        click.echo(json.dumps(evaluation.as_json(), indent=2, ensure_ascii=False))
        return
    click.echo(evaluation.table())
    click.echo(
        f"{evaluation.documents} documents of the {split} split; "
        f"{len(evaluation.same_meaning)} right values worded differently from the key "
        "(--json lists them, and every mistake)."
    )


class _StderrLogHandler(logging.Handler):
    """Log records as plain lines on click's current stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(self.format(record), err=True)


def _show_log(name: str, level: int = logging.INFO, prefix: str = "") -> None:
    """Show what the ``name`` logger says from ``level`` up, one line each on stderr."""
    logger = logging.getLogger(name)
    if not any(isinstance(handler, _StderrLogHandler) for handler in logger.handlers):
        handler = _StderrLogHandler()
        handler.setFormatter(logging.Formatter(f"{prefix}%(message)s"))
        logger.addHandler(handler)
    logger.setLevel(level)


def _show_analysis_log() -> None:
    """Training takes minutes: show what it is doing on stderr."""
    _show_log("termwatch.analysis")


def _print_evaluation(evaluation, as_json: bool) -> None:
    import json

    if as_json:
        click.echo(json.dumps(evaluation.as_json(), indent=2))
    else:
        click.echo(evaluation.table())
        click.echo(
            f"{evaluation.sentences} sentences, {evaluation.documents} documents; "
            f"{evaluation.method}."
        )


# --- site commands (serve) ---


@cli.command()
@click.option(
    "--port", type=int, default=DEFAULT_PORT, show_default=True, help="Port to listen on."
)
@click.option(
    "--host",
    default=DEFAULT_HOST,
    show_default=True,
    help="Address to listen on (0.0.0.0 to publish beyond this machine).",
)
@click.option(
    "--allow-sql",
    is_flag=True,
    help="Also answer arbitrary SQL (?sql=), still bounded in time, rows and size; "
    "off by default, as a public site should be.",
)
@click.option(
    "--immutable",
    is_flag=True,
    help="Serve the file as a copy that never changes (Datasette's immutable mode): nothing "
    "written at start, table counts computed once. A read-only file is served so anyway.",
)
@click.option(
    "--inspect-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Table counts from `datasette inspect DB --inspect-file FILE` (implies --immutable).",
)
@click.option(
    "--public-url",
    envvar="TERMWATCH_PUBLIC_URL",
    metavar="URL",
    help="The address readers reach the site at (e.g. https://terms.example.org), "
    "for the links in the feed; default: the address each request came to.",
)
@click.pass_obj
def serve(
    obj: Context,
    port: int,
    host: str,
    allow_sql: bool,
    immutable: bool,
    inspect_file: Path | None,
    public_url: str | None,
) -> None:
    """Publish the database with Datasette, read-only, as the database `termwatch`.

    Pages: /compare (the comparison matrix), /history (document histories), and
    /termwatch/changes_feed.atom (the change feed); tables, views and canned queries.
    Arbitrary SQL only with --allow-sql. Ctrl-C stops the server.
    """
    from termwatch.crawler.catalog import sync_registry
    from termwatch.serve import (
        check_database,
        is_read_only,
        load_inspect_data,
        prepare_database,
        run_server,
    )

    read_only = is_read_only(obj.db_path)
    if read_only and not immutable:
        click.echo(
            f"termwatch: {obj.db_path} is read-only: serving it immutable "
            "(a change to the file shows after a restart)",
            err=True,
        )
    immutable = immutable or read_only or inspect_file is not None
    check_database(obj.db_path, immutable)
    inspect_data = load_inspect_data(inspect_file, obj.db_path) if inspect_file else None
    if not immutable:
        sync_registry(obj.db(), obj.registry())
        prepare_database(obj.db_path)
    click.echo(f"termwatch: serving {obj.db_path} on http://{host}:{port}/", err=True)
    run_server(
        obj.db_path,
        port=port,
        host=host,
        allow_sql=allow_sql,
        immutable=immutable,
        inspect_data=inspect_data,
        public_url=public_url,
    )


# --- refresh commands (refresh, status, schedule) ---


class _ProgressBars:
    """A refresh's progress on stderr: one bar per step (crawl, analysis, comparison)."""

    def __init__(self) -> None:
        self.bar = None

    def step(self, name: str, total: int) -> None:
        self.close()
        self.bar = click.progressbar(length=total, label=name.ljust(10), file=sys.stderr)
        self.bar.__enter__()

    def advance(self) -> None:
        self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


@cli.command()
@fetch_options
@click.pass_obj
def refresh(obj: Context, only: tuple[str, ...], replay: Path | None, as_of: str | None) -> None:
    """Crawl the registry, analyse the new versions and record what changed.

    A refresh that finds nothing new analyses nothing. Ends with a summary of what
    changed; exits with status 1 when any document failed, and at once (status 1) when
    another refresh of the same database is running.
    """
    from termwatch.refresh import refresh, render

    bars = _ProgressBars()
    try:
        report = refresh(
            obj.db_path,
            obj.sources_path,
            only=only,
            replay=replay,
            as_of=as_of,
            settings={"LOG_LEVEL": "ERROR"},
            progress=bars,
        )
    finally:
        bars.close()
    click.echo(render(report))
    if report.failures or report.run["status"] != "completed":
        sys.exit(1)


@cli.command("changes")
@click.option(
    "--all", "redo_all", is_flag=True, help="Forget recorded changes and compute them all again."
)
@click.pass_obj
def changes_command(obj: Context, redo_all: bool) -> None:
    """Record what changed between consecutive analysed versions (imported history included).

    Run after `analyze`; `refresh` does it by itself. Idempotent: pairs already compared
    are skipped; the pairs of a version analysed again are compared again.
    """
    from termwatch.analysis.changes import compute_changes, pending_pairs
    from termwatch.analysis.summaries import counted
    from termwatch.store.changes import forget_changes

    db = obj.db()
    if redo_all:
        forget_changes(db)
    total = len(pending_pairs(db))
    with click.progressbar(length=total, label="Comparing versions", file=sys.stderr) as bar:
        counts = compute_changes(db, progress=lambda *_pair: bar.update(1))
    click.echo(f"Compared {counted(counts.pairs, 'pair')} of versions: {counts.describe()}.")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.option("--runs", default=5, show_default=True, help="How many runs to show.")
@click.option("--changes", default=10, show_default=True, help="How many changes to show.")
@click.pass_obj
def status(obj: Context, as_json: bool, runs: int, changes: int) -> None:
    """Show the last runs, the latest changes and the documents that keep failing."""
    import json

    from termwatch.status import render, status

    report = status(obj.db(), runs=runs, changes=changes)
    click.echo(json.dumps(report, indent=2) if as_json else render(report))


@cli.command()
@click.option(
    "--every",
    "every",
    required=True,
    metavar="DURATION",
    help="Time between the starts of two refreshes: 30m, 12h, 1d, 1h30m...",
)
@click.option(
    "--source",
    "only",
    multiple=True,
    metavar="SLUG",
    help="Refresh only this service or SERVICE/DOCUMENT_TYPE (repeatable).",
)
@click.option("--count", type=click.IntRange(min=1), help="Stop after this many refreshes.")
@click.pass_obj
def schedule(obj: Context, every: str, only: tuple[str, ...], count: int | None) -> None:
    """Refresh now and then every DURATION, in the foreground, logging each run.

    Each refresh runs in its own process and takes the refresh lock, so a refresh started
    by hand (or by cron) meanwhile exits at once instead of overlapping. Stop with Ctrl-C.
    """
    import logging

    from termwatch.schedule import parse_duration, refresh_command, run_every

    interval = parse_duration(every)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr
    )
    options = [arg for slug in only for arg in ("--source", slug)]
    try:
        run_every(interval, refresh_command(obj.db_path, obj.sources_path, options), count)
    except KeyboardInterrupt:
        click.echo("Schedule stopped.", err=True)
        sys.exit(130)
