"""Reading a terms archive: ``SERVICE/DOCUMENT_TYPE/DATE.md`` (+ raw ``.html``) folders.

This is the layout of Open Terms Archive datasets and of ``../shared/corpus``. Both
``termwatch import-archive`` (history on day one) and ``termwatch crawl --replay`` (the
offline web) read archives through this module.

When the folder has a ``manifest.json`` (as ``../shared/corpus`` does) it is used: it lists
every version, including those whose text is identical to an earlier file, tells which raw
pages each version came from and at which URL, and marks Open Terms Archive's technical
upgrades. Without one, the folders are walked and every ``.md`` is a version.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

FILE_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})Z")


class ArchiveError(Exception):
    """The folder is not an archive termwatch can read; the message says why."""


@dataclass
class ArchivedPage:
    url: str
    date: str
    path: Path


@dataclass
class ArchivedVersion:
    date: str  # ISO 8601 UTC
    path: Path  # the Markdown file
    technical: bool = False
    pages: list[ArchivedPage] = field(default_factory=list)  # raw HTML kept for this version


@dataclass
class ArchivedDocument:
    service: str
    document_type: str
    folder: Path
    service_name: str | None = None
    category: str | None = None
    title: str | None = None
    urls: list[str] = field(default_factory=list)
    versions: list[ArchivedVersion] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"{self.service}/{self.document_type}"


def file_date(name: str) -> str | None:
    """``2025-02-22T17-29-29Z.md`` -> ``2025-02-22T17:29:29Z`` (None if not a dated file)."""
    match = FILE_DATE.match(name)
    if not match:
        return None
    day, hours, minutes, seconds = match.groups()
    return f"{day}T{hours}:{minutes}:{seconds}Z"


def read_archive(root: str | Path) -> list[ArchivedDocument]:
    """Every document of the archive at ``root``, versions in chronological order."""
    root = Path(root)
    if not root.is_dir():
        raise ArchiveError(f"{root}: no such folder (expected an archive of SERVICE/TYPE/DATE.md)")
    manifest = root / "manifest.json"
    documents = (
        list(_from_manifest(root, manifest)) if manifest.exists() else list(_from_folders(root))
    )
    if not documents:
        raise ArchiveError(
            f"{root}: no document found (expected folders SERVICE/DOCUMENT_TYPE holding "
            "dated files such as 2025-02-18T00-31-05Z.md)"
        )
    return documents


def _from_manifest(root: Path, manifest: Path) -> Iterator[ArchivedDocument]:
    try:
        entries = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ArchiveError(f"{manifest}: cannot be read as JSON: {error}") from None
    for entry in entries:
        service, document_type = entry["folder"].split("/", 1)
        document = ArchivedDocument(
            service=service,
            document_type=document_type,
            folder=root / entry["folder"],
            service_name=entry.get("service_name"),
            category=entry.get("category"),
            title=entry.get("title"),
            urls=entry.get("source_urls") or ([entry["url"]] if entry.get("url") else []),
        )
        for item in entry["versions"]:
            pages = [
                ArchivedPage(url=snap["source_url"], date=snap["date"], path=root / snap["file"])
                for snap in item.get("snapshots", [])
                if snap.get("file") and snap.get("source_url")
            ]
            document.versions.append(
                ArchivedVersion(
                    date=item["date"],
                    path=root / item["file"],
                    technical=item.get("change_type") == "technical-or-declaration-upgrade",
                    pages=pages,
                )
            )
        yield document


def _from_folders(root: Path) -> Iterator[ArchivedDocument]:
    for folder in sorted(p for p in root.glob("*/*") if p.is_dir()):
        markdown = sorted(p for p in folder.glob("*.md") if file_date(p.name))
        if not markdown:
            continue
        document = ArchivedDocument(folder.parent.name, folder.name, folder)
        html_by_date: dict[str, list[Path]] = {}
        for page in folder.glob("*.html"):
            if date := file_date(page.name):
                html_by_date.setdefault(date, []).append(page)
        for path in markdown:
            date = file_date(path.name)
            pages = [ArchivedPage("", date, p) for p in sorted(html_by_date.get(date, []))]
            document.versions.append(ArchivedVersion(date=date, path=path, pages=pages))
        yield document


def page_source_id(url: str) -> str:
    """The ``<source-id>`` part of a multi-page snapshot file name: the URL path, / as -."""
    path = url.split("://", 1)[-1].split("/", 1)[-1].split("?", 1)[0].strip("/")
    return path.replace("/", "-")
