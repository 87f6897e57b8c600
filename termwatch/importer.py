"""``termwatch import-archive``: years of history on day one.

Each archived version becomes a dated fetch: its Markdown and raw pages are kept as
snapshots, and a version is recorded when its normalized text differs from the previous
one, exactly as for a crawl. Importing twice adds nothing: a version whose snapshot is
already stored is skipped.

Trackers record what the page said, error pages included ("This page isn't available",
"Redirecting to legal.mistral.ai"). A recording shorter than a page of terms can be (the
crawler's own threshold, ``crawler.extract.MIN_TEXT_LENGTH``) *and* than a tenth of the
document's usual length is such a page: it is kept as a crawl would keep it, its snapshot
stored and the fetch failed as ``too_short``, so it never becomes a version that the next
real text would "change" back from. (A document whose every version is short is its own
usual length, and is imported as it is.)
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from termwatch.crawler.archive import ArchivedDocument, ArchivedVersion, ArchiveError, read_archive
from termwatch.crawler.catalog import ensure_archived_document
from termwatch.crawler.errors import TooShort
from termwatch.crawler.extract import MIN_TEXT_LENGTH
from termwatch.crawler.normalize import normalize_markdown
from termwatch.store.recorder import Fetch, Page, finish_run, record_fetch, start_run

# Below this share of a document's median version length, a short recording is an error page.
ERROR_PAGE_SHARE = 0.1

Progress = Callable[[ArchivedDocument], None]


def import_archive(
    db: sqlite_utils.Database,
    root: str | Path,
    progress: Progress | None = None,
    origin: str | None = None,
    documents: list[ArchivedDocument] | None = None,
) -> Counter:
    """Import every version of the archive at ``root``; return outcome counts.

    Counts: ``new_version``, ``unchanged`` (the text equals the previous version once noise
    is filtered), ``failed`` (a recorded error page) and ``skipped`` (already imported).
    ``origin`` is what the run records as its source when ``root`` is a folder written from
    it (a git repository's URL); ``documents``, the archive already read
    (``read_archive(root)``), by a caller that counted them.
    """
    root = Path(root)
    if documents is None:
        documents = read_archive(root)
    counts: Counter = Counter()
    run_id = start_run(db, "import-archive", replay=origin or str(root))
    status = "failed"
    try:
        for document in documents:
            doc_id = ensure_archived_document(db, document)
            sizes = [version.path.stat().st_size for version in document.versions]
            usual = statistics.median(sizes) if sizes else 0
            for version in document.versions:
                counts[_import_version(db, root, doc_id, version, run_id, usual)] += 1
            if progress:
                progress(document)
        status = "completed"
    finally:
        finish_run(db, run_id, status=status, summary=_summary(counts))
    return counts


def _import_version(
    db: sqlite_utils.Database,
    root: Path,
    doc_id: str,
    version: ArchivedVersion,
    run_id: int,
    usual_length: float,
) -> str:
    relative = version.path.relative_to(root).as_posix()
    if db["snapshots"].count_where(
        "document_id = ? and url = ? and fetched_at = ? and source = 'archive'",
        [doc_id, relative, version.date],
    ):
        return "skipped"
    markdown = version.path.read_bytes()
    pages = [Page(relative, version.date, None, "text/markdown", markdown)]
    pages += [
        Page(
            page.url or page.path.relative_to(root).as_posix(),
            page.date,
            200,
            "text/html",
            page.path.read_bytes(),
        )
        for page in version.pages
        if page.path.exists()
    ]
    text = normalize_markdown(_markdown_text(version.path, markdown))
    error_page = len(text) < min(MIN_TEXT_LENGTH, ERROR_PAGE_SHARE * usual_length)
    fetch = Fetch(
        document_id=doc_id,
        attempted_at=version.date,
        pages=pages,
        text=None if error_page else text,
        technical=version.technical,
        source="archive",
        archive_file=relative,
    )
    if error_page:
        fetch.error_class, fetch.failed_url = TooShort.code, relative
        fetch.error = (
            f"{relative}: {len(text)} characters, under a tenth of the document's usual length: "
            "the archive recorded an error or placeholder page, kept as a failed fetch"
        )
    return record_fetch(db, fetch, run_id=run_id).outcome


def _markdown_text(path: Path, markdown: bytes) -> str:
    try:
        return markdown.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ArchiveError(
            f"{path}: not UTF-8 text (byte {error.start}): a binary file in the archive? "
            "Replace or remove it; what was imported before it is kept"
        ) from None


def _summary(counts: Counter) -> str:
    return (
        f"{counts['new_version']} versions recorded, {counts['unchanged']} identical to the "
        f"previous version once noise is filtered, {counts['failed']} error pages kept as "
        f"failed fetches, {counts['skipped']} already imported"
    )
