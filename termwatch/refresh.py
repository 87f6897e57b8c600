"""``termwatch refresh``: fetch the registry again, analyse what is new, say what changed.

One refresh is one run (``runs``, command ``refresh``), in four steps:

1. *technical upgrades*: a document whose selectors or extraction code changed since its
   latest version is read again from that version's own stored pages with the current
   extractor; a different text is recorded as a *technical* version, as Open Terms
   Archive does, so that the crawl that follows compares like with like and the new
   extraction is never reported as a change of terms;
2. *crawl* every registered document (or those named), through the Scrapy project
   (``termwatch.crawl``), recording its fetches in this run;
3. *analyse* the versions not analysed yet: only the new ones, or nothing at all (not even
   loading the model) when nothing is new; then update the site's comparison table;
4. *compare* each new version with the previous version of its document
   (``analysis.changes``) and record the changes.

Each step writes in small transactions and the next refresh resumes whatever a killed one
left undone (versions not analysed, pairs not compared), so an interrupted refresh loses
nothing it recorded and leaves nothing half-written. A lock (``termwatch.schedule``) keeps
two refreshes of one database from running at once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

import sqlite_utils

from termwatch.analysis.analyze import Classifier, analyze, pending_versions
from termwatch.analysis.changes import ChangeCounts, compute_changes, pending_pairs
from termwatch.analysis.summaries import counted, document_label
from termwatch.crawl import crawl
from termwatch.crawler.catalog import document_id, sync_registry
from termwatch.crawler.registry import DEFAULT_REGISTRY, Document, load_registry
from termwatch.crawler.replay import end_of_day
from termwatch.crawler.upgrade import reread
from termwatch.schedule import RefreshError, refresh_lock
from termwatch.site import refresh_site_tables
from termwatch.status import term_changes
from termwatch.store import check_writable, open_database
from termwatch.store.recorder import (
    NEW_VERSION,
    finish_run,
    record_fetch,
    start_run,
    utc_now,
)

# The end-of-run summary names this many failed documents, and counts the others.
FAILURES_SHOWN = 10


class Progress(Protocol):
    """How a refresh reports progress: each step with its size, then each item done."""

    def step(self, name: str, total: int) -> None: ...

    def advance(self) -> None: ...


class Quiet:
    """Progress reported to no one."""

    def step(self, name: str, total: int) -> None:
        pass

    def advance(self) -> None:
        pass


@dataclass
class RefreshReport:
    """What one refresh did, for the summary printed at its end."""

    run: dict  # the ``runs`` row
    technical: list[str] = field(default_factory=list)  # documents given a technical version
    analysed: int = 0  # versions analysed
    changes: ChangeCounts = field(default_factory=ChangeCounts)
    changed: list[dict] = field(default_factory=list)  # headline changes, with their facts
    failures: list[dict] = field(default_factory=list)  # failed fetches of the run


def refresh(
    db_path: str | Path,
    sources_path: str | Path = DEFAULT_REGISTRY,
    only: Iterable[str] = (),
    replay: str | Path | None = None,
    as_of: str | None = None,
    settings: Mapping[str, Any] | None = None,
    progress: Progress | None = None,
    classifier: Classifier | None = None,
) -> RefreshReport:
    """Refresh the database at ``db_path``: technical upgrades, crawl, analysis, changes.

    ``only``, ``replay``, ``as_of`` and ``settings`` are those of ``termwatch.crawl.crawl``;
    ``classifier`` that of ``analysis.analyze.analyze`` (default: the trained model).
    Raises ``RefreshRunning`` at once if another refresh holds the database's lock.
    """
    only = list(only)
    progress = progress or Quiet()
    moment = _moment(replay, as_of)
    registry = load_registry(sources_path)
    documents = registry.documents(only)  # fails now on an unknown name
    with refresh_lock(Path(db_path)):
        db = open_database(db_path)
        check_writable(db, db_path)
        close_abandoned_runs(db)
        sync_registry(db, registry)
        replayed = str(replay) if replay else None
        technical = upgrade_extraction(db, documents, moment, replayed, as_of)
        run_id = start_run(db, "refresh", replay=replayed, as_of=as_of)
        last_change = _last_change_id(db)
        report = RefreshReport(run={}, technical=technical)
        status = "failed"
        try:
            progress.step("Crawling", len(documents))
            crawled = crawl(
                db_path,
                sources_path,
                only=only,
                replay=replay,
                as_of=as_of,
                settings={**(settings or {}), "TERMWATCH_RUN_ID": run_id},
                progress=lambda _document: progress.advance(),
            )
            status = crawled.run["status"]  # "interrupted" when the crawl was stopped (Ctrl-C)
            if status == "running":
                report.analysed = analyse_new_versions(db, progress, classifier)
                report.changes = compare_new_versions(db, progress)
                if report.analysed:
                    refresh_site_tables(db)  # the site's comparison reads the latest facts
                status = "completed"
        except KeyboardInterrupt:
            status = "interrupted"
            raise
        finally:
            report.failures = _failures(db, run_id)
            report.changed = term_changes(db, after_id=last_change)
            # Closing the run counts its fetches, which its summary then puts in words.
            report.run = finish_run(db, run_id, status=status)
            report.run = finish_run(db, run_id, status=status, summary=summary_line(report))
        return report


def _moment(replay: str | Path | None, as_of: str | None) -> str:
    """When this refresh happens: now, or the end of the replayed day."""
    if replay is not None and not Path(replay).is_dir():
        raise RefreshError(
            f"--replay {replay}: no such folder (expected an archive such as ../shared/corpus)"
        )
    if as_of is None:
        return utc_now()
    if replay is None:
        raise RefreshError("--as-of needs --replay: only a replayed refresh can be dated")
    try:
        return end_of_day(datetime.strptime(as_of, "%Y-%m-%d").date().isoformat())
    except ValueError:
        raise RefreshError(f"--as-of {as_of!r} is not a date written YYYY-MM-DD") from None


def close_abandoned_runs(db: sqlite_utils.Database) -> None:
    """Mark refreshes still "running" as interrupted: they were killed (we hold the lock)."""
    for run in db["runs"].rows_where("command in ('refresh', 'upgrade') and status = 'running'"):
        finish_run(db, run["id"], status="interrupted", summary="interrupted (process killed)")


def upgrade_extraction(
    db: sqlite_utils.Database,
    documents: list[tuple[Any, Document]],
    moment: str,
    replay: str | None = None,
    as_of: str | None = None,
) -> list[str]:
    """Re-read, with the current extractor, documents whose extractor changed.

    The re-readings are fetches of their own run (command ``upgrade``), so that the
    refresh's run counts what the crawl found. Returns the ids of the documents that got
    a technical version.
    """
    rereadings = [
        fetch
        for service, document in documents
        if (fetch := reread(db, document_id(service.slug, document.type), document, moment))
    ]
    if not rereadings:
        return []
    run_id = start_run(db, "upgrade", replay=replay, as_of=as_of)
    upgraded = [
        fetch.document_id
        for fetch in rereadings
        if record_fetch(db, fetch, run_id=run_id).outcome == NEW_VERSION
    ]
    finish_run(
        db,
        run_id,
        summary=f"{len(rereadings)} documents re-read from their stored pages with new "
        f"selectors or extraction code: {len(upgraded)} technical versions",
    )
    return upgraded


def analyse_new_versions(
    db: sqlite_utils.Database, progress: Progress, classifier: Classifier | None = None
) -> int:
    """Analyse the versions not analysed yet; load nothing when there are none."""
    pending = pending_versions(db)
    if not pending:
        return 0
    progress.step("Analysing", len(pending))
    return analyze(db, progress=lambda _where: progress.advance(), classifier=classifier).versions


def compare_new_versions(db: sqlite_utils.Database, progress: Progress) -> ChangeCounts:
    """Record the changes of every new version against the previous one of its document."""
    pairs = pending_pairs(db)
    if not pairs:
        return ChangeCounts()
    progress.step("Comparing", len(pairs))
    return compute_changes(db, progress=lambda _old, _new: progress.advance())


# --- what a refresh did ----------------------------------------------------------------------


def _last_change_id(db: sqlite_utils.Database) -> int:
    return db.execute("select coalesce(max(id), 0) from changes").fetchone()[0]


def _failures(db: sqlite_utils.Database, run_id: int) -> list[dict]:
    return list(
        db.query(
            """
            select fetches.document_id, coalesce(services.name, documents.service) as service,
                   documents.document_type, fetches.error_class, fetches.error
            from fetches
            join documents on documents.id = fetches.document_id
            left join services on services.slug = documents.service
            where fetches.run_id = ? and fetches.outcome = 'failed'
            order by fetches.document_id
            """,
            [run_id],
        )
    )


def summary_line(report: RefreshReport) -> str:
    """``42 documents: 1 changed, 40 unchanged, 1 failed; 1 version analysed; ...``."""
    run = report.run
    parts = [
        f"{counted(run['documents'], 'document')}: {run['changed']} changed, "
        f"{run['unchanged']} unchanged, {run['failed']} failed"
        + (f", {run['technical']} read with new selectors (technical)" if run["technical"] else "")
    ]
    if report.technical:
        parts.append(
            f"{counted(len(report.technical), 'document')} re-read from their stored pages with "
            "new selectors (technical)"
        )
    if report.analysed:
        parts.append(f"{counted(report.analysed, 'version')} analysed")
    kinds = report.changes.by_kind
    if report.changes.pairs:
        parts.append(
            f"{counted(kinds['clause'], 'clause change')} and "
            f"{counted(kinds['fact'], 'fact change')} recorded"
        )
    if run["status"] != "completed":
        parts.append(f"{run['status']}: the next refresh finishes the work")
    return "; ".join(parts)


def render(report: RefreshReport) -> str:
    """The end-of-run summary a person reads in a terminal: what changed, what failed."""
    run = report.run
    lines = [f"Refresh #{run['id']} {run['status']}: {run['summary']}."]
    if report.changed:
        lines.append("What changed:")
        for change in report.changed:
            lines.append(f"  {change['detected_at'][:10]}  {change['summary']}")
            lines += [f"      {fact}" for fact in change["facts"]]
    elif run["status"] == "completed":
        lines.append("No term changed.")
    if report.failures:
        lines.append(f"Failed: {len(report.failures)} documents")
        lines += [
            f"  {f['service']} / {document_label(f['document_type'])}: "
            f"{f['error_class']}: {f['error']}"
            for f in report.failures[:FAILURES_SHOWN]
        ]
        if len(report.failures) > FAILURES_SHOWN:
            hidden = Counter(f["error_class"] for f in report.failures[FAILURES_SHOWN:])
            lines.append(
                f"  ... and {sum(hidden.values())} more ("
                + ", ".join(f"{code} {count}" for code, count in hidden.most_common())
                + "): `termwatch status` lists them all"
            )
    return "\n".join(lines)
