"""``termwatch export``: the knowledge base as a dataset others can publish and re-import.

The versions are written in the layout ``termwatch import-archive`` reads, the layout of
Open Terms Archive datasets (``SERVICE/TYPE/DATE.md``), with a ``manifest.json`` that keeps
what file names cannot say (titles, page URLs, technical versions): importing the export
into a new database gives the same versions. Beside them, what termwatch read from them:
``facts.csv`` (every fact of every version, with its quote) and ``changes.csv`` (the change
log), and a README saying where the texts come from and under which licences.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

MANIFEST = "manifest.json"
FACT_COLUMNS = (
    "service",
    "document_type",
    "version_date",
    "fact",
    "value",
    "evidence",
    "basis",
    "reason",
    "conflicts",
)
CHANGE_COLUMNS = (
    "detected_at",
    "service",
    "document_type",
    "kind",
    "change",
    "technical",
    "significance",
    "in_feed",
    "summary",
    "name",
    "old_value",
    "new_value",
    "old_evidence",
    "new_evidence",
)


class ExportError(Exception):
    """The dataset cannot be written: the message says where and why."""


@dataclass
class Exported:
    documents: int
    versions: int
    facts: int
    changes: int


def export(db: sqlite_utils.Database, directory: Path) -> Exported:
    """Write the dataset into ``directory`` (created; it must be empty or absent)."""
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise ExportError(f"{directory}: not empty (export writes into a new or empty folder)")
    directory.mkdir(parents=True, exist_ok=True)
    manifest = _write_versions(db, directory)
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    facts = _write_csv(directory / "facts.csv", FACT_COLUMNS, _facts(db))
    changes = _write_csv(directory / "changes.csv", CHANGE_COLUMNS, _changes(db))
    versions = sum(len(entry["versions"]) for entry in manifest)
    exported = Exported(len(manifest), versions, facts, changes)
    (directory / "README.md").write_text(_readme(db, exported), encoding="utf-8")
    return exported


def file_stamp(date: str) -> str:
    """``2025-02-22T17:29:29Z`` -> ``2025-02-22T17-29-29Z``: a version date as a file name."""
    return date.replace(":", "-")


def _write_versions(db: sqlite_utils.Database, directory: Path) -> list[dict]:
    """One Markdown file per version; the manifest entries of the archive reader."""
    entries: dict[str, dict] = {}
    rows = db.query(
        """
        select versions.document_id, versions.recorded_at, versions.text, versions.technical,
               documents.title, documents.urls, services.name as service_name,
               services.category
        from versions
        join documents on documents.id = versions.document_id
        join services on services.slug = documents.service
        order by versions.document_id, versions.recorded_at, versions.id
        """
    )
    for row in rows:
        folder = row["document_id"]
        file = f"{folder}/{file_stamp(row['recorded_at'])}.md"
        entry = entries.setdefault(
            folder,
            {
                "folder": folder,
                "service_name": row["service_name"],
                "category": row["category"],
                "title": row["title"],
                "source_urls": json.loads(row["urls"] or "[]"),
                "versions": [],
            },
        )
        if entry["versions"] and entry["versions"][-1]["file"] == file:
            raise ExportError(
                f"{folder} has two versions recorded at {row['recorded_at']}: "
                "one file per second cannot hold both"
            )
        path = directory / file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(row["text"], encoding="utf-8")
        change_type = "technical-or-declaration-upgrade" if row["technical"] else ""
        entry["versions"].append(
            {"date": row["recorded_at"], "file": file, "change_type": change_type}
        )
    return list(entries.values())


def _facts(db: sqlite_utils.Database) -> Iterable[dict]:
    return db.query(
        """
        select documents.service, documents.document_type,
               versions.recorded_at as version_date, facts.name as fact, facts.value,
               facts.evidence, facts.basis, facts.reason, facts.conflicts
        from facts
        join versions on versions.id = facts.version_id
        join documents on documents.id = versions.document_id
        order by documents.id, versions.recorded_at, facts.name
        """
    )


def _changes(db: sqlite_utils.Database) -> Iterable[dict]:
    columns = ", ".join(CHANGE_COLUMNS)
    return db.query(f"select {columns} from changes order by detected_at, document_id, id")


def _write_csv(path: Path, columns: tuple[str, ...], rows: Iterable[dict]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def _readme(db: sqlite_utils.Database, exported: Exported) -> str:
    sources = Counter(row["source"] for row in db.query("select source from versions"))
    imports = [
        row["replay"]
        for row in db.query(
            "select distinct replay from runs where command = 'import-archive' "
            "and replay is not null order by replay"
        )
    ]
    imported = "".join(f"  - {origin}\n" for origin in imports) or "  - none\n"
    return f"""# termwatch dataset

Terms of Service of AI coding assistants and the services they build on, every recorded
version, with what termwatch read from them. Written by `termwatch export`.

- `SERVICE/DOCUMENT_TYPE/DATE.md`: {exported.versions} versions of {exported.documents}
  documents, each the normalized Markdown of the terms as recorded at DATE (UTC);
  {sources["crawl"]} from termwatch's own crawls, {sources["archive"]} imported.
- `manifest.json`: per document its service name, title and page URLs, and per version
  whether it is a *technical* version (the text changed because extraction changed, not
  the terms). `termwatch import-archive` reads this folder back.
- `facts.csv`: {exported.facts} facts, one per version and fact name (`value` as JSON,
  `evidence` the exact quote, empty when the value is "unstated"; `basis` stated or inferred,
  with the inference's `reason`; `conflicts` the quotes of a "conflicting" fact, as JSON).
- `changes.csv`: {exported.changes} changes between consecutive versions (text, clause and
  fact changes, in words; `technical` 1 for changes caused by extraction; `significance`
  technical / return / minor / clause / fact, and `in_feed` 1 for what the change feed reports).

## Sources and licences

- The terms texts are © their publishers, quoted to compare them.
- History imported from:
{imported}  Open Terms Archive datasets are under ODC-BY 1.0 (attribution: *Open Terms Archive
  contributors*); github/site-policy under CC0-1.0.
- Page addresses and selectors come from Open Terms Archive declarations (AGPL-3.0 / EUPL-1.2).
- The facts and changes are termwatch's reading of the texts (a clause classifier trained on
  UNFAIR-ToS / CLAUDETTE, Lippi et al. 2019; Galassi et al. 2024, CC BY 4.0), shared under
  ODC-BY 1.0 like the database. They help reading the terms; they are not legal advice:
  always read the quoted clause.
"""
