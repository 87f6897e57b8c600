"""Item pipelines: read the terms out of the fetched pages, then record the fetch.

``ExtractPipeline`` turns a document's pages into its normalized Markdown (or a failure:
no match for the selectors, too little text), unless the pages are exactly those of the
latest version. ``RecordPipeline`` writes every fetch,
failed or not, through ``store.recorder.record_fetch`` inside one run of the ``runs``
table: the snapshots always, a version only when the text changed. A failed fetch never
creates a version and never touches an old one.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter
from dataclasses import replace

from scrapy import signals
from scrapy.crawler import Crawler

from termwatch.crawler.catalog import sync_registry
from termwatch.crawler.errors import FetchError
from termwatch.crawler.extract import extract_document, extractor_fingerprint
from termwatch.crawler.items import DocumentItem
from termwatch.crawler.replay import end_of_day
from termwatch.store import open_database
from termwatch.store.recorder import (
    FAILED,
    NEW_VERSION,
    UNCHANGED,
    Fetch,
    finish_run,
    latest_version,
    record_fetch,
    start_run,
)

logger = logging.getLogger(__name__)

# How a Scrapy close reason ends a run.
RUN_STATUS = {"finished": "completed", "shutdown": "interrupted"}


class ExtractPipeline:
    """Set each item's text, or its failure when the pages hold no usable terms.

    Extraction is most of the work of a crawl that finds nothing new, so it is skipped when
    it cannot give anything new: when the pages are byte for byte those the document's
    latest version was extracted from, with the same extractor, that version's text is
    the answer.
    """

    def __init__(self, crawler: Crawler):
        self.db_path = crawler.settings["TERMWATCH_DB"]
        self.db = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self.db = open_database(self.db_path)

    def close_spider(self) -> None:
        self.db.close()

    def process_item(self, item: DocumentItem) -> DocumentItem:
        item.extractor = extractor_fingerprint(item.sources)
        if item.error is None:
            try:
                item.text = self._known_text(item) or extract_document(item.sources, item.pages)
            except FetchError as error:
                item.error = error
        return item

    def _known_text(self, item: DocumentItem) -> str | None:
        version = latest_version(self.db, item.document_id)
        if not version or version["extractor"] != item.extractor:
            return None
        snapshots = [self.db["snapshots"].get(i) for i in json.loads(version["snapshot_ids"])]
        same_pages = [s["body_hash"] for s in snapshots] == [
            hashlib.sha256(page.body or b"").hexdigest() for page in item.pages
        ]
        return version["text"] if same_pages else None


class RecordPipeline:
    """Record each document fetch in the database named by TERMWATCH_DB, in one run.

    The crawl opens and closes a run of its own, unless TERMWATCH_RUN_ID names an open run
    (a refresh's, which goes on with analysis after the crawl and closes it itself); then
    the crawl only marks that run interrupted if it was stopped, so its caller stops too.
    When replaying as of a date (TERMWATCH_AS_OF), fetches are dated at that date rather
    than now, so that a replayed history reads as it happened.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.db_path = crawler.settings["TERMWATCH_DB"]
        self.replay = crawler.settings.get("TERMWATCH_REPLAY")
        self.as_of = crawler.settings.get("TERMWATCH_AS_OF")
        self.outcomes: Counter = Counter()
        self.failures: Counter = Counter()
        self.db = None
        self.run_id: int | None = None
        self.owns_run = True
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RecordPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self.db = open_database(self.db_path)
        sync_registry(self.db, self.crawler.spider.registry)
        self.run_id = self.crawler.settings.getint("TERMWATCH_RUN_ID") or None
        self.owns_run = self.run_id is None
        if self.owns_run:
            self.run_id = start_run(
                self.db, "crawl", replay=str(self.replay) if self.replay else None, as_of=self.as_of
            )
        self.crawler.stats.set_value("termwatch/run_id", self.run_id)

    def process_item(self, item: DocumentItem) -> DocumentItem:
        outcome = record_fetch(self.db, self._fetch(item), run_id=self.run_id).outcome
        self.outcomes[outcome] += 1
        self.crawler.stats.inc_value(f"termwatch/{outcome}")
        if item.error:
            self.failures[item.error.code] += 1
            logger.warning("%s: %s: %s", item.document_id, item.error.code, item.error)
        return item

    def spider_closed(self, reason: str) -> None:
        if self.db is None or self.run_id is None:
            return
        status = RUN_STATUS.get(reason, "failed")
        if self.owns_run:
            finish_run(self.db, self.run_id, status=status, summary=self._summary())
        elif status != "completed":
            finish_run(self.db, self.run_id, status=status)
        self.db.close()

    def _fetch(self, item: DocumentItem) -> Fetch:
        pages, attempted_at = item.pages, item.attempted_at
        if self.as_of:
            attempted_at = end_of_day(self.as_of)
            pages = [replace(page, fetched_at=attempted_at) for page in pages]
        return Fetch(
            document_id=item.document_id,
            attempted_at=attempted_at,
            pages=pages,
            text=None if item.error else item.text,
            error_class=item.error.code if item.error else None,
            error=str(item.error) if item.error else None,
            failed_url=item.error.url if item.error else None,
            extractor=item.extractor,
        )

    def _summary(self) -> str:
        """``97 documents: 3 new versions, 40 unchanged, 54 failed (dns 50, http_404 4)``."""
        failures = ", ".join(f"{code} {count}" for code, count in self.failures.most_common())
        return (
            f"{_count(sum(self.outcomes.values()), 'document')}: "
            f"{_count(self.outcomes[NEW_VERSION], 'new version')}, "
            f"{self.outcomes[UNCHANGED]} unchanged, {self.outcomes[FAILED]} failed"
            + (f" ({failures})" if failures else "")
        )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
