"""Technical upgrades: a document's stored pages read again with its current extractor.

When a registry entry's selectors or the extraction code change, the pages already stored
are read again, as Open Terms Archive does for a "technical or declaration upgrade": the new
text becomes a *technical* version, never reported as a change of the terms. The store gives
the pages back (``store.snapshots``); reading them is the crawler's.
"""

from __future__ import annotations

import sqlite_utils

from termwatch.crawler.errors import FetchError
from termwatch.crawler.extract import extract_document, extractor_fingerprint
from termwatch.crawler.registry import Document
from termwatch.store.recorder import Fetch, latest_version
from termwatch.store.snapshots import stored_pages


def reread(db: sqlite_utils.Database, doc_id: str, document: Document, moment: str) -> Fetch | None:
    """A technical fetch of a document's latest stored pages with its current extractor.

    None when there is nothing to re-read: the latest version was read by the current
    extractor, or a later fetch found its text again (that fetch used the current one), or
    its pages are not stored, or the current selectors do not fit them.
    """
    fingerprint = extractor_fingerprint(document.sources)
    latest = latest_version(db, doc_id, at_or_before=moment)
    if latest is None or latest["extractor"] == fingerprint or _confirmed(db, latest):
        return None
    pages = stored_pages(db, latest, [str(source.url) for source in document.sources])
    if pages is None:
        return None
    try:
        text = extract_document(document.sources, pages)
    except FetchError:
        return None  # the new selectors do not fit the old pages: the crawl will say so
    fetch = Fetch(doc_id, moment, pages=pages, text=text, extractor=fingerprint)
    fetch.technical = True
    return fetch


def _confirmed(db: sqlite_utils.Database, version: dict) -> bool:
    """Has a later fetch found the same text again?"""
    return bool(
        db["fetches"].count_where(
            "document_id = ? and outcome = 'unchanged' and attempted_at >= ?",
            [version["document_id"], version["recorded_at"]],
        )
    )
