"""Reading Open Terms Archive's git repositories: their history written out as an archive folder.

Open Terms Archive publishes each collection as git repositories. A *versions* repository
holds one file per document, ``SERVICE ID/TERMS TYPE.md`` (``Cursor/Terms of Service.md``),
and one commit per recorded version: the commit's date is the time the page was fetched, its
message says whether the version is a technical upgrade (re-extracted from an old snapshot,
not a change of the terms) and which snapshot commits it was extracted from. A *snapshots*
repository holds the raw pages the same way (``.html``; ``TERMS TYPE #PAGE ID.html`` for a
document assembled from several pages).

Rather than a second importer, :func:`write_archive` writes that history out in the layout
termwatch already reads (``SERVICE/TYPE/DATE.md``, the raw pages beside them, and a
``manifest.json`` marking technical upgrades and pairing each version with its pages), and
the folder is then imported like any other: noise filtering, idempotence and the run record
are the folder import's. Service ids and terms types become the registry's slugs
(``Cursor`` -> ``cursor``, ``Terms of Service`` -> ``terms-of-service``), or the service
whose ``ota_service_id`` names that id.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from termwatch.crawler.archive import ArchiveError
from termwatch.crawler.registry import Registry, slugify

# How Open Terms Archive's engine starts the message of a technical upgrade (current, former).
TECHNICAL_UPGRADE_PREFIXES = ("Apply technical or declaration upgrade on", "Refilter")
# Separates the terms type from the id of one page of a multi-page document.
PAGE_ID_SEPARATOR = " #"
VERSION_SUFFIX = ".md"
SNAPSHOT_SUFFIXES = (".html", ".pdf")
_URL = re.compile(r"^(https?|file|ssh|git)://|^[\w.-]+@[\w.-]+:")
_COMMIT_ID = re.compile(r"\b[0-9a-f]{5,40}\b")

Progress = Callable[[], None]


def is_git_source(source: str) -> bool:
    """Whether ``source`` names a git repository: a URL, or a folder (working or bare) of one."""
    if _URL.match(source):
        return True
    path = Path(source)
    return (path / ".git").exists() or ((path / "HEAD").is_file() and (path / "objects").is_dir())


def clone(source: str, destination: Path) -> Path:
    """A bare clone of ``source`` in ``destination`` (a local clone is hard links: cheap)."""
    _git(None, "clone", "--quiet", "--bare", source, str(destination))
    return destination


def count_commits(repository: Path) -> int:
    return int(_git(repository, "rev-list", "--count", "HEAD").strip() or 0)


@dataclass
class _Commit:
    sha: str
    date: str  # ISO 8601 UTC, as the archive folder names its files
    message: str
    files: list[str]

    @property
    def technical(self) -> bool:
        return self.message.startswith(TECHNICAL_UPGRADE_PREFIXES)

    def referenced_commits(self) -> list[str]:
        """The (possibly abbreviated) snapshot commit ids a version's message names."""
        body = self.message.split("\n", 1)[1] if "\n" in self.message else ""
        return _COMMIT_ID.findall(body)


@dataclass
class _Document:
    folder: str  # SERVICE/TYPE in the archive folder
    service_name: str
    title: str
    url: str | None  # the registry's page when the document has a single one
    versions: list[dict]


def write_archive(
    repositories: list[Path], destination: Path, registry: Registry, progress: Progress
) -> Path:
    """Write the history of the versions (and snapshots) ``repositories`` into ``destination``
    as an archive folder with a manifest; ``progress`` is called once per commit read."""
    services = _service_slugs(registry)
    urls = {
        (service.slug, document.type): str(document.sources[0].url)
        for service, document in registry.documents()
        if len(document.sources) == 1
    }
    snapshots: dict[str, tuple[str, str]] = {}  # commit sha -> (archive file, date)
    documents: dict[str, _Document] = {}
    for repository in repositories:
        for commit, path, content in _changed_files(repository, progress):
            service_id, terms_type = path.parent.as_posix(), path.stem.split(PAGE_ID_SEPARATOR)[0]
            slug, type_slug = services.get(service_id, slugify(service_id)), slugify(terms_type)
            folder = f"{slug}/{type_slug}"
            stamp = commit.date.replace(":", "-")
            if path.suffix == VERSION_SUFFIX:
                file = f"{folder}/{stamp}{VERSION_SUFFIX}"
                document = documents.setdefault(
                    folder,
                    _Document(folder, service_id, terms_type, urls.get((slug, type_slug)), []),
                )
                document.versions.append(
                    {"date": commit.date, "file": file, "technical": commit.technical}
                    | {"references": commit.referenced_commits()}
                )
            else:
                page = slugify(path.stem.partition(PAGE_ID_SEPARATOR)[2])
                file = f"{folder}/{stamp}{'.' + page if page else ''}{path.suffix}"
                snapshots[commit.sha] = (file, commit.date)
            target = destination / file
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
    if not documents:
        raise ArchiveError(
            f"{', '.join(map(str, repositories))}: no SERVICE/TERMS TYPE.md file in any commit "
            "(is it an Open Terms Archive versions repository? a snapshots repository is read "
            "together with its versions repository)"
        )
    manifest = [_manifest_entry(document, snapshots) for document in documents.values()]
    (destination / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return destination


def _manifest_entry(document: _Document, snapshots: dict[str, tuple[str, str]]) -> dict:
    """The archive reader's manifest entry: versions in date order, each with its pages."""
    versions = []
    for version in sorted(document.versions, key=lambda version: version["date"]):
        pages = [
            {"file": file, "date": date, "source_url": document.url or file}
            for reference in version["references"]
            for sha, (file, date) in snapshots.items()
            if sha.startswith(reference)
        ]
        versions.append(
            {
                "date": version["date"],
                "file": version["file"],
                "change_type": "technical-or-declaration-upgrade" if version["technical"] else "",
                "snapshots": pages,
            }
        )
    return {
        "folder": document.folder,
        "service_name": document.service_name,
        "title": document.title,
        "source_urls": [document.url] if document.url else [],
        "versions": versions,
    }


def _service_slugs(registry: Registry) -> dict[str, str]:
    """Open Terms Archive service id -> registry slug, where the registry says it differs."""
    return {s.ota_service_id: s.slug for s in registry.services if s.ota_service_id}


def _changed_files(
    repository: Path, progress: Progress
) -> Iterator[tuple[_Commit, PurePosixPath, bytes]]:
    """Each version or snapshot file added or changed by each commit, oldest commit first,
    with its content at that commit."""
    commits = list(_commits(repository))
    wanted = [
        (commit, PurePosixPath(file))
        for commit in commits
        for file in commit.files
        if _is_record(PurePosixPath(file))
    ]
    contents = _blobs(repository, [f"{commit.sha}:{path}" for commit, path in wanted])
    by_commit: dict[str, list[tuple[PurePosixPath, bytes]]] = {}
    for (commit, path), content in zip(wanted, contents, strict=True):
        by_commit.setdefault(commit.sha, []).append((path, content))
    for commit in commits:
        for path, content in by_commit.get(commit.sha, []):
            yield commit, path, content
        progress()


def _is_record(path: PurePosixPath) -> bool:
    """``SERVICE ID/TERMS TYPE.md`` (or a snapshot suffix): one folder deep, nothing else."""
    return len(path.parts) == 2 and path.suffix in (VERSION_SUFFIX, *SNAPSHOT_SUFFIXES)


def _commits(repository: Path) -> Iterator[_Commit]:
    log = _git(
        repository,
        "log",
        "--reverse",
        "--no-renames",
        "--diff-filter=AM",
        "--format=%x1e%H%x1f%aI%x1f%B%x1f",
        "--name-only",
    )
    for record in log.split("\x1e")[1:]:
        sha, date, message, files = record.split("\x1f")
        yield _Commit(sha, _utc(date), message.strip(), [f for f in files.splitlines() if f])


def _blobs(repository: Path, objects: list[str]) -> list[bytes]:
    """The contents of ``sha:path`` objects, read by one ``git cat-file --batch``."""
    if not objects:
        return []
    output = subprocess.run(
        ["git", "-C", str(repository), "cat-file", "--batch"],
        input="".join(f"{name}\n" for name in objects).encode(),
        capture_output=True,
        check=True,
    ).stdout
    contents, offset = [], 0
    for name in objects:
        header_end = output.index(b"\n", offset)
        header = output[offset:header_end].split()
        if header[-1] == b"missing":
            raise ArchiveError(f"{repository}: git has no object {name}")
        size = int(header[2])
        contents.append(output[header_end + 1 : header_end + 1 + size])
        offset = header_end + 1 + size + 1
    return contents


def _utc(date: str) -> str:
    """``2024-01-02T03:04:05+01:00`` -> ``2024-01-02T02:04:05Z``."""
    moment = datetime.fromisoformat(date).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _git(repository: Path | None, *arguments: str) -> str:
    where = ["-C", str(repository)] if repository else []
    # Paths with spaces or accents as they are, not quoted: OTA names files after services.
    command = ["git", *where, "-c", "core.quotePath=false", *arguments]
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise ArchiveError(
            "git is not installed: it is needed to import a git repository"
        ) from None
    if result.returncode != 0:
        message = result.stderr.strip().splitlines()
        raise ArchiveError(
            f"git {arguments[0]} failed: {message[-1] if message else 'no message'} "
            "(is it a git repository, and reachable?)"
        )
    return result.stdout
