"""Recording what the analysis read: the labels of sentences, the clauses and facts of versions.

The analysis (``analysis.analyze``) decides what each sentence is and what each version
says; these functions write it, each in one transaction, so that an interrupted analysis
leaves a version either fully analysed or as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import sqlite_utils

from termwatch.store.recorder import transaction, utc_now

# SQLite caps the number of ``?`` in one statement; stay well below it.
PARAMETERS_PER_STATEMENT = 500


@dataclass(frozen=True)
class Label:
    sentence_hash: str
    category: str
    score: float
    source: str  # "rule" or "model"
    confidence: str = "likely"  # or "certain" (analysis.training.Decision.confidence)


@dataclass(frozen=True)
class ClauseRow:
    position: int
    section_path: str
    start: int
    end: int
    sentence_hash: str


def record_labels(
    db: sqlite_utils.Database,
    sentences: dict[str, str],
    labels: Iterable[Label],
    model_version: str,
) -> None:
    """Store ``sentences`` (hash -> text) as labelled by ``model_version``: their previous
    labels are replaced by ``labels``."""
    hashes = list(sentences)
    with transaction(db):
        for start in range(0, len(hashes), PARAMETERS_PER_STATEMENT):
            chunk = hashes[start : start + PARAMETERS_PER_STATEMENT]
            marks = ", ".join("?" * len(chunk))
            db.execute(f"delete from labels where sentence_hash in ({marks})", chunk)
        db["sentences"].upsert_all(
            (
                {"hash": digest, "text": sentences[digest], "model_version": model_version}
                for digest in hashes
            ),
            pk="hash",
        )
        db["labels"].insert_all(
            {
                "sentence_hash": label.sentence_hash,
                "category": label.category,
                "score": label.score,
                "source": label.source,
                "confidence": label.confidence,
                "model_version": model_version,
            }
            for label in labels
        )


def record_version_analysis(
    db: sqlite_utils.Database,
    version_id: int,
    clauses: Sequence[ClauseRow],
    fact_rows: Callable[[Mapping[int, int]], Iterable[dict]],
    model_version: str,
    reader: str,
) -> None:
    """Replace a version's clauses and facts and mark it analysed by ``model_version`` and
    ``reader`` (the version of the segmenter and fact readers).

    Facts quote clauses by id, known only once the clauses are written: ``fact_rows`` is
    given the new ids by clause position and returns the ``facts`` rows. The changes recorded
    between this version and its neighbours quote the clauses replaced and compare the facts
    replaced, so they go too: ``analysis.changes.pending_pairs`` then finds those pairs again.
    """
    with transaction(db):
        db.execute("delete from facts where version_id = ?", [version_id])
        db.execute("delete from clauses where version_id = ?", [version_id])
        db.execute(
            "delete from changes where new_version_id = ? or old_version_id = ?",
            [version_id, version_id],
        )
        # Plain executemany: a version has hundreds of clauses and this is the hot path.
        db.conn.executemany(
            """insert into clauses (version_id, position, section_path, start, "end",
            sentence_hash) values (?, ?, ?, ?, ?, ?)""",
            [
                (version_id, c.position, c.section_path, c.start, c.end, c.sentence_hash)
                for c in clauses
            ],
        )
        ids = dict(
            db.execute("select position, id from clauses where version_id = ?", [version_id])
        )
        db["facts"].insert_all(fact_rows(ids))
        db["analyses"].upsert(
            {
                "version_id": version_id,
                "model_version": model_version,
                "reader": reader,
                "analyzed_at": utc_now(),
                "clauses": len(clauses),
            },
            pk="version_id",
        )
