"""What the spider hands the pipelines: one fetch of one document."""

from __future__ import annotations

from dataclasses import dataclass, field

from termwatch.crawler.errors import FetchError
from termwatch.crawler.registry import Source
from termwatch.store.recorder import Page


@dataclass
class DocumentItem:
    """A document's pages as fetched, in registry order, and what came of them.

    The spider fills ``pages`` (or stops at the first page that failed, setting ``error``);
    ``ExtractPipeline`` sets ``text`` or, when the pages hold no usable terms, ``error``;
    ``RecordPipeline`` writes it all down.
    """

    document_id: str
    sources: list[Source]
    attempted_at: str
    pages: list[Page] = field(default_factory=list, repr=False)  # bodies: too long to log
    error: FetchError | None = None
    text: str | None = field(default=None, repr=False)
    extractor: str | None = None

    @property
    def next_source(self) -> Source:
        """The source whose page comes next (the one being fetched)."""
        return self.sources[len(self.pages)]
