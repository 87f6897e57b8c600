"""Reading a terms archive: ``SERVICE/DOCUMENT_TYPE/DATE.md`` (+ raw ``.html``) folders.

This is the layout of Open Terms Archive datasets and of ``../shared/corpus``. Both
``termwatch import-archive`` (history on day one) and ``termwatch crawl --replay`` (the
offline web) read archives through this module.

When the folder has a ``manifest.json`` (as ``../shared/corpus`` does) it is used: it lists
every version, including those whose text is identical to an earlier file, tells which raw
pages each version came from and at which URL, and marks Open Terms Archive's technical
upgrades. Without one, the folders are walked and every ``.md`` is a version.

A version whose date is not a real moment (``2025-13-45T99-99-99Z.md``, ``notes.md``) is
left out with a warning naming its file (logger ``crawler.archive``): imported, it would be
a version that nothing can date.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

logger = logging.getLogger(__name__)

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
    """``2025-02-22T17-29-29Z.md`` -> ``2025-02-22T17:29:29Z``; None if it names no real date."""
    match = FILE_DATE.match(name)
    if not match:
        return None
    day, hours, minutes, seconds = match.groups()
    return real_date(f"{day}T{hours}:{minutes}:{seconds}Z")


def real_date(stamp: object) -> str | None:
    """``stamp`` if it is a real moment written ``YYYY-MM-DDTHH:MM:SSZ``, else None."""
    try:
        datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ")
    except (TypeError, ValueError):
        return None
    return stamp


def _left_out(path: Path, what: str) -> None:
    logger.warning(
        "%s: left out: %s is not a real date (files are named YYYY-MM-DDTHH-MM-SSZ.md)",
        path,
        what,
    )


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
    if not isinstance(entries, list):
        raise ArchiveError(f"{manifest}: not a list of documents")
    for number, entry in enumerate(entries):
        try:
            yield _manifest_document(root, entry)
        except (KeyError, TypeError, AttributeError, ValueError) as error:
            problem = f"no {error.args[0]!r}" if isinstance(error, KeyError) else str(error)
            raise ArchiveError(
                f"{manifest}: entry {number} is not a document of the archive ({problem}); "
                "expected a folder SERVICE/DOCUMENT_TYPE and its versions"
            ) from None


def _manifest_document(root: Path, entry: dict) -> ArchivedDocument:
    service, slash, document_type = entry["folder"].partition("/")
    if not (service and slash and document_type):
        raise ValueError(f"folder {entry['folder']!r} is not SERVICE/DOCUMENT_TYPE")
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
        path = root / item["file"]
        if not real_date(item["date"]):
            _left_out(path, f"its date {item['date']!r}")
            continue
        pages = [
            ArchivedPage(url=snap["source_url"], date=snap["date"], path=root / snap["file"])
            for snap in item.get("snapshots", [])
            if snap.get("file") and snap.get("source_url")
        ]
        document.versions.append(
            ArchivedVersion(
                date=item["date"],
                path=path,
                technical=item.get("change_type") == "technical-or-declaration-upgrade",
                pages=pages,
            )
        )
    return document


def _from_folders(root: Path) -> Iterator[ArchivedDocument]:
    for folder in sorted(p for p in root.glob("*/*") if p.is_dir()):
        markdown = []
        for path in sorted(folder.glob("*.md")):
            if file_date(path.name):
                markdown.append(path)
            else:
                _left_out(path, "its name")
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
