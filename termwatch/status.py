"""``termwatch status``: is tracking working, and what changed lately?

Three questions a maintainer asks of a tracker, answered from the database alone:

* the last runs: when, what they fetched, how many documents changed or failed;
* the latest term changes (technical ones left out);
* every tracked document whose latest fetches all failed, with how long it has been
  failing and the likely cause ("Cursor / Terms of service: selector matched nothing since
  3 runs — structure changed?"), so that a page that moved or a selector that broke is
  noticed the day it happens rather than months later.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import sqlite_utils

from termwatch.analysis.summaries import document_label
from termwatch.crawler.content import WALLS

# What a failure class looks like to a maintainer, and the first thing to check.
SYMPTOMS: dict[str, tuple[str, str]] = {
    "structure_changed": ("selector matched nothing", "structure changed?"),
    "empty_content": ("selector matched only empty content", "structure changed?"),
    "too_short": ("too little text", "a consent wall, or a page rendered by scripts?"),
    "too_large": ("page larger than the download limit", "not a terms page any more?"),
    "dns": ("host not found", "no network, or the domain is gone?"),
    "timeout": ("no answer in time", "the site is down or very slow?"),
    "connection": ("connection failed", "the site is down or refuses crawlers?"),
    "http_403": ("refused (HTTP 403)", "the site blocks crawlers?"),
    "http_404": ("page not found (HTTP 404)", "the page moved? update its URL"),
    "http_429": ("rate limited (HTTP 429)", "crawling too often?"),
    "http_5xx": ("server errors (HTTP 5xx)", "the site has a problem?"),
    "http_other": ("unexpected HTTP status", "see the error"),
    "robots_disallowed": ("disallowed by robots.txt", "the site opted out of crawlers"),
    "address_refused": (
        "leads to an address termwatch never fetches",
        "a redirect into a private network or to a metadata service? see the error",
    ),
    "redirect_loop": ("redirects in a loop", "the site is misconfigured? see the error"),
    "bot_blocked": ("stopped by a bot wall", "the site challenges crawlers; see which wall"),
    "unsupported_content": ("not an HTML page or a PDF", "the URL serves a file now?"),
    "pdf_without_text": ("a PDF without text", "a scanned document: no text to read"),
    "browser_unavailable": ("no browser to run its scripts", "install chromium?"),
}


@dataclass
class FailingDocument:
    """A tracked document whose latest fetches all failed."""

    document_id: str
    service: str
    document_type: str
    label: str  # "Cursor / Terms of service"
    error_class: str  # of the latest failure
    error: str
    url: str | None
    failed_runs: int  # consecutive runs, latest first, that failed to fetch it
    failing_since: str  # the first of those failures
    last_success: str | None  # the last fetch that worked, if any

    @property
    def message(self) -> str:
        what, hint = SYMPTOMS.get(self.error_class, (self.error_class or "failed", "see the error"))
        when = f"since {self.failed_runs} runs" if self.failed_runs > 1 else "in the last run"
        return f"{self.label}: {what} {when} — {hint}"


def last_runs(db: sqlite_utils.Database, limit: int = 5) -> list[dict]:
    """The latest runs (crawl, refresh, import), newest first."""
    return list(db["runs"].rows_where(order_by="id desc", limit=limit))


def term_changes(
    db: sqlite_utils.Database, after_id: int = 0, limit: int | None = None
) -> list[dict]:
    """Term changes, newest first: each new version's headline, with its facts in words.

    Only changes recorded after the change ``after_id``, and only those the feed reports
    (no technical version, return to a known text or minor wording).
    """
    headlines = list(
        db["changes"].rows_where(
            "id > ? and kind = 'text' and in_feed = 1",
            [after_id],
            order_by="detected_at desc, id desc",
            limit=limit,
            select="id, document_id, detected_at, summary, old_version_id, new_version_id",
        )
    )
    for row in headlines:
        row["facts"] = [
            fact["summary"]
            for fact in db["changes"].rows_where(
                "kind = 'fact' and new_version_id = ?",
                [row["new_version_id"]],
                order_by="id",
                select="summary",
            )
        ]
    return headlines


def failing_documents(db: sqlite_utils.Database) -> list[FailingDocument]:
    """Registry documents whose fetches failed ever since their last successful one.

    Fetches are read in the order they were recorded (a replay dates its fetches in the
    past), and "since N runs" counts the distinct runs among those failures.
    """
    rows = db.execute(
        """
        with last_success as (
            select documents.id as document_id,
                   (select max(id) from fetches
                    where fetches.document_id = documents.id and outcome != 'failed')
                   as fetch_id
            from documents
            where documents.in_registry = 1
        ),
        failures as (
            select fetches.*
            from fetches join last_success using (document_id)
            where fetches.outcome = 'failed' and fetches.id > coalesce(last_success.fetch_id, 0)
        )
        select failures.document_id, documents.service,
               coalesce(services.name, documents.service), documents.document_type,
               latest.error_class, latest.error, latest.url,
               count(distinct failures.run_id), min(failures.attempted_at),
               (select attempted_at from fetches where id = last_success.fetch_id)
        from failures
        join last_success using (document_id)
        join documents on documents.id = failures.document_id
        left join services on services.slug = documents.service
        join fetches latest on latest.id = (
            select max(id) from failures f where f.document_id = failures.document_id
        )
        group by failures.document_id
        order by documents.service, documents.document_type
        """
    ).fetchall()
    return [
        FailingDocument(
            document_id=document_id,
            service=service,
            document_type=document_type,
            label=f"{service_name} / {document_label(document_type)}",
            error_class=error_class,
            error=error,
            url=url,
            failed_runs=failed_runs,
            failing_since=since,
            last_success=last_success,
        )
        for (
            document_id,
            service,
            service_name,
            document_type,
            error_class,
            error,
            url,
            failed_runs,
            since,
            last_success,
        ) in rows
    ]


def status(db: sqlite_utils.Database, runs: int = 5, changes: int = 10) -> dict:
    """Everything ``termwatch status`` shows, as plain data (what ``--json`` prints)."""
    failing = failing_documents(db)
    return {
        "runs": last_runs(db, runs),
        "changes": term_changes(db, limit=changes),
        "failing": [{**asdict(document), "message": document.message} for document in failing],
        "bot_walls": bot_walls(failing),
    }


def bot_walls(failing: list[FailingDocument]) -> dict[str, list[str]]:
    """The documents stopped by bot walls, grouped by wall: ``{"a Cloudflare challenge": [...]}``.

    One wall often stands in front of every document of a site (all of OpenAI's policies), so a
    maintainer looks for a way through once per wall, not once per document.
    """
    groups: dict[str, list[str]] = {}
    for document in failing:
        if document.error_class == "bot_blocked":
            wall = next((w.name for w in WALLS if w.name in document.error), "an unknown wall")
            groups.setdefault(wall, []).append(document.label)
    return groups


def render(report: dict) -> str:
    """``status`` as a person reads it in a terminal."""
    lines = ["Last runs:"]
    lines += [_run_line(run) for run in report["runs"]] or ["  none yet"]
    lines.append("Latest changes:")
    for change in report["changes"]:
        lines.append(f"  {change['detected_at'][:10]}  {change['summary']}")
        lines += [f"      {fact}" for fact in change["facts"]]
    if not report["changes"]:
        lines.append("  none recorded")
    lines.append("Failing documents:")
    for document in report["failing"]:
        lines.append(f"  {document['message']}")
        lines.append(f"      last error: {document['error']}")
    if not report["failing"]:
        lines.append("  none: every tracked document was fetched in its last run")
    if report["bot_walls"]:
        lines.append("Behind bot walls:")
        for wall, labels in report["bot_walls"].items():
            lines.append(f"  {wall} ({len(labels)}): {', '.join(labels)}")
    return "\n".join(lines)


def _run_line(run: dict) -> str:
    ended = f" → {run['ended_at'][11:16]}" if run["ended_at"] else ""
    dated = f" (as of {run['as_of']})" if run["as_of"] else ""
    counts = (
        f"{run['documents']} documents: {run['changed']} changed, "
        f"{run['unchanged']} unchanged, {run['failed']} failed"
        + (f", {run['technical']} technical" if run.get("technical") else "")
        if run["documents"] is not None
        else "no fetch counted yet"
    )
    return (
        f"  #{run['id']} {run['command']:<14} {run['started_at'][:16].replace('T', ' ')}{ended}"
        f"  {run['status']:<11} {counts}{dated}"
    )
