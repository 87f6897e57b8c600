"""A document's history: its versions on a timeline, and what changed between two of them.

The side-by-side diff works on paragraphs (the blocks of the Markdown), the unit a reader
scans, and highlights the words that changed inside a modified paragraph. Runs of unchanged
paragraphs fold away. Alongside it, the facts of both versions are set side by side, and
the clauses added, removed or modified are listed, matched as the change log matches them
(``analysis.changes``), a modified one with its words diffed: "what changed" in the terms a
user cares about, not only in characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from difflib import SequenceMatcher
from itertools import zip_longest
from typing import Any

from bs4 import BeautifulSoup, NavigableString
from markupsafe import Markup, escape

from termwatch.analysis.changes import IN_FEED, match_clauses, version_clauses
from termwatch.analysis.facts import FACTS
from termwatch.analysis.segment import plain_text
from termwatch.analysis.summaries import readable
from termwatch.analysis.taxonomy import CATEGORIES
from termwatch.site.comparison import Connection, fetch_dicts, parse_json
from termwatch.site.markup import render_markdown


class NotFound(LookupError):
    """The page asked for a document or version termwatch does not have."""


# --- documents and versions ---------------------------------------------------------------------


def find_document(conn: Connection, service: str, document_type: str) -> dict[str, Any]:
    rows = fetch_dicts(
        conn,
        "select d.*, s.name as service_name from documents d "
        "join services s on s.slug = d.service "
        "where d.service = :service and d.document_type = :document_type",
        {"service": service, "document_type": document_type},
    )
    if not rows:
        raise NotFound(f"termwatch tracks no document {service}/{document_type}")
    return rows[0]


@dataclass
class Version:
    id: int
    recorded_at: str
    technical: bool
    source: str
    # technical / return / minor / clause / fact (analysis.changes); None: the first version,
    # or not compared yet
    significance: str | None = None
    headline: str | None = None  # the change log's sentence for this version, if any
    fact_changes: list[str] = field(default_factory=list)
    position: float = 0.0  # place on the timeline, 0 (first) to 100 (last)

    @property
    def date(self) -> str:
        return self.recorded_at[:10]

    @property
    def in_feed(self) -> bool:
        return self.significance in IN_FEED


def versions(conn: Connection, document_id: str) -> list[Version]:
    """The versions of a document, oldest first, with what the change log says of each."""
    found = [
        Version(row["id"], row["recorded_at"], bool(row["technical"]), row["source"])
        for row in fetch_dicts(
            conn,
            "select id, recorded_at, technical, source from versions "
            "where document_id = ? order by recorded_at, id",
            [document_id],
        )
    ]
    by_id = {version.id: version for version in found}
    for change in fetch_dicts(
        conn,
        "select new_version_id, kind, summary, significance, in_feed from changes "
        "where document_id = ? and kind in ('text', 'fact') order by id",
        [document_id],
    ):
        version = by_id.get(change["new_version_id"])
        if version is None:
            continue
        if change["kind"] == "text":
            version.headline = change["summary"]
            version.significance = change["significance"]
        elif change["in_feed"]:
            version.fact_changes.append(change["summary"])
    _place_on_timeline(found)
    return found


def _place_on_timeline(found: list[Version]) -> None:
    if len(found) < 2:
        return
    times = [_timestamp(version.recorded_at) for version in found]
    if None in times:  # an impossible date (a misnamed archive file): placed by order alone
        times = [float(index) for index in range(len(found))]
    first, span = times[0], (times[-1] - times[0]) or 1.0
    for version, time in zip(found, times, strict=True):
        version.position = round(100 * (time - first) / span, 2)


def _timestamp(recorded_at: str) -> float | None:
    try:
        return datetime.fromisoformat(recorded_at.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def load_version(conn: Connection, version_id: int, document_id: str) -> dict[str, Any]:
    rows = fetch_dicts(
        conn,
        "select id, document_id, recorded_at, text, technical, source from versions "
        "where id = ? and document_id = ?",
        [version_id, document_id],
    )
    if not rows:
        raise NotFound(f"{document_id} has no version {version_id}")
    return rows[0]


# --- side-by-side diff -------------------------------------------------------------------------

EQUAL, CHANGED, ADDED, REMOVED = "equal", "changed", "added", "removed"
CONTEXT = 1  # unchanged paragraphs kept visible around each change
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")
MAX_WORD_DIFF = 4_000_000  # tokens × tokens: beyond this, mark the whole paragraph instead


@dataclass
class DiffRow:
    kind: str  # equal / changed / added / removed
    old: Markup
    new: Markup


@dataclass
class Fold:
    """A run of unchanged paragraphs, collapsed."""

    rows: list[DiffRow]


def paragraphs(text: str) -> list[str]:
    return [block.strip() for block in _PARAGRAPH_BREAK.split(text) if block.strip()]


def side_by_side(old_text: str, new_text: str, context: int = CONTEXT) -> list[DiffRow | Fold]:
    """The two texts paragraph by paragraph, changed words marked, unchanged runs folded."""
    old, new = paragraphs(old_text), paragraphs(new_text)
    rows: list[DiffRow] = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows.extend(DiffRow(EQUAL, escape(a), escape(a)) for a in old[i1:i2])
            continue
        for a, b in zip_longest(old[i1:i2], new[j1:j2]):
            if a is None:
                rows.append(DiffRow(ADDED, Markup(""), Markup(f"<ins>{escape(b)}</ins>")))
            elif b is None:
                rows.append(DiffRow(REMOVED, Markup(f"<del>{escape(a)}</del>"), Markup("")))
            else:
                rows.append(DiffRow(CHANGED, *word_diff(a, b)))
    return _fold(rows, context)


def word_diff(old: str, new: str) -> tuple[Markup, Markup]:
    """Both paragraphs, with the words only one of them has wrapped in <del> / <ins>."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    if len(a) * len(b) > MAX_WORD_DIFF:
        return Markup(f"<del>{escape(old)}</del>"), Markup(f"<ins>{escape(new)}</ins>")
    left, right = [], []
    for same, removed, added in _word_runs(a, b):
        if same:
            left.append(escape(removed))
            right.append(escape(added))
            continue
        if removed:
            left.append(Markup(f"<del>{escape(removed)}</del>"))
        if added:
            right.append(Markup(f"<ins>{escape(added)}</ins>"))
    return Markup("").join(left), Markup("").join(right)


def _word_runs(a: list[str], b: list[str]) -> list[tuple[bool, str, str]]:
    """(same?, old text, new text) runs; a lone space between two changes joins them, so
    "one hundred dollars" reads as one change rather than three."""
    runs: list[tuple[bool, str, str]] = []
    opcodes = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        removed, added = "".join(a[i1:i2]), "".join(b[j1:j2])
        between_changes = 0 < index < len(opcodes) - 1 and removed.isspace()
        same = tag == "equal" and not between_changes
        if runs and not same and not runs[-1][0]:
            _, old_text, new_text = runs.pop()
            removed, added = old_text + removed, new_text + added
        runs.append((same, removed, added))
    return runs


def _fold(rows: list[DiffRow], context: int) -> list[DiffRow | Fold]:
    changed = [i for i, row in enumerate(rows) if row.kind != EQUAL]
    visible = {
        j for i in changed for j in range(max(0, i - context), min(len(rows), i + context + 1))
    }
    folded: list[DiffRow | Fold] = []
    for i, row in enumerate(rows):
        if i in visible:
            folded.append(row)
        elif folded and isinstance(folded[-1], Fold):
            folded[-1].rows.append(row)
        else:
            folded.append(Fold([row]))
    return folded


# --- what changed, in facts and clauses ----------------------------------------------------------


@dataclass
class FactDiff:
    name: str
    definition: str
    old: str
    new: str
    old_evidence: str | None
    new_evidence: str | None

    @property
    def changed(self) -> bool:
        return self.old != self.new


def fact_diff(conn: Connection, old_id: int, new_id: int) -> list[FactDiff]:
    """Every fact of either version, side by side (empty when neither is analysed)."""
    facts: dict[int, dict[str, dict]] = {old_id: {}, new_id: {}}
    for row in fetch_dicts(
        conn,
        "select version_id, name, value, evidence from facts where version_id in (?, ?)",
        [old_id, new_id],
    ):
        facts[row["version_id"]][row["name"]] = row
    names = list(FACTS) + sorted((set(facts[old_id]) | set(facts[new_id])) - set(FACTS))
    diffs = []
    for name in names:
        old, new = facts[old_id].get(name), facts[new_id].get(name)
        if old is None and new is None:
            continue
        diffs.append(
            FactDiff(
                name,
                FACTS[name].definition if name in FACTS else "",
                _readable(old),
                _readable(new),
                old and old["evidence"],
                new and new["evidence"],
            )
        )
    return diffs


def _readable(fact: dict | None) -> str:
    return readable(parse_json(fact["value"])) if fact else "not analysed"


@dataclass
class ClauseDiff:
    """A clause added, removed or modified, as the history page shows it."""

    change: str  # added / removed / modified
    section_path: str
    categories: list[str]
    old: Markup  # the old wording (escaped), changed words in <del>; empty when added
    new: Markup  # the new wording (escaped), changed words in <ins>; empty when removed


def clause_changes(
    conn: Connection, old: dict[str, Any], new: dict[str, Any]
) -> list[ClauseDiff] | None:
    """The clauses changed from ``old`` to ``new`` by the change log's own matching
    (``analysis.changes.match_clauses``), so a reworded clause shows once, as modified, with
    its words diffed; None when either version is not analysed.
    """
    old_clauses, new_clauses = version_clauses(conn, old), version_clauses(conn, new)
    if not old_clauses or not new_clauses:
        return None
    diffs = []
    for change in match_clauses(old_clauses, new_clauses):
        before = plain_text(change.old.text) if change.old else ""
        after = plain_text(change.new.text) if change.new else ""
        old_words, new_words = (
            word_diff(before, after)
            if before and after
            else (
                Markup(f"<del>{escape(before)}</del>") if before else Markup(""),
                Markup(f"<ins>{escape(after)}</ins>") if after else Markup(""),
            )
        )
        diffs.append(
            ClauseDiff(
                change.change,
                change.clause.section_path,
                [CATEGORIES[code].name for code in change.clause.categories if code in CATEGORIES],
                old_words,
                new_words,
            )
        )
    return diffs


def recorded_changes(
    conn: Connection, document_id: str, old: dict[str, Any], new: dict[str, Any]
) -> list[str]:
    """What the change log says happened after ``old`` up to ``new``, in words: the changes
    in the feed, and each episode of returns to known texts once."""
    return [
        row["summary"]
        for row in fetch_dicts(
            conn,
            "select summary from changes where document_id = :document "
            "and (in_feed = 1 or (kind = 'text' and episode_id = new_version_id)) "
            "and kind in ('text', 'fact') and detected_at > :after and detected_at <= :until "
            "order by detected_at, kind = 'text' desc, id",
            {"document": document_id, "after": old["recorded_at"], "until": new["recorded_at"]},
        )
        if row["summary"]
    ]


# --- one version, its evidence highlighted -------------------------------------------------------

_START, _END = "\ue000", "\ue001"  # private-use characters: never in terms, survive Markdown


@dataclass
class Evidence:
    start: int
    end: int
    quote: str
    fact: str | None = None


def find_evidence(
    conn: Connection, version: dict[str, Any], fact: str | None, clause: int | None
) -> Evidence | None:
    """Where in the version's text the fact's quote (or the clause) stands, if anywhere."""
    text = version["text"]
    if clause is not None:
        rows = fetch_dicts(
            conn,
            'select start, "end" from clauses where id = ? and version_id = ?',
            [clause, version["id"]],
        )
        if rows:
            start, end = rows[0]["start"], rows[0]["end"]
            return Evidence(start, end, text[start:end])
    if fact:
        rows = fetch_dicts(
            conn,
            'select f.evidence, c.start, c."end" from facts f '
            "left join clauses c on c.id = f.clause_id and c.version_id = f.version_id "
            "where f.version_id = ? and f.name = ?",
            [version["id"], fact],
        )
        if rows and rows[0]["evidence"]:
            row = rows[0]
            if row["start"] is not None and text[row["start"] : row["end"]] == row["evidence"]:
                return Evidence(row["start"], row["end"], row["evidence"], fact)
            start = text.find(row["evidence"])
            if start >= 0:
                return Evidence(start, start + len(row["evidence"]), row["evidence"], fact)
            return Evidence(-1, -1, row["evidence"], fact)  # quoted, but not found verbatim
    return None


def render_version(text: str, evidence: Evidence | None = None) -> Markup:
    """The version's Markdown as inert HTML (``markup``), the evidence in <mark id=evidence>."""
    if evidence is None or evidence.start < 0:
        return render_markdown(text)
    marked = (
        text[: evidence.start]
        + _START
        + text[evidence.start : evidence.end]
        + _END
        + text[evidence.end :]
    )
    soup = BeautifulSoup(str(render_markdown(marked)), "html.parser")
    _wrap_between_markers(soup)
    # A quote starting inside markup (a link's address) leaves markers outside text nodes.
    return Markup(str(soup).replace(_START, "").replace(_END, ""))


def _wrap_between_markers(soup: BeautifulSoup) -> None:
    """Wrap every piece of text between the two markers in <mark>, whatever the tags between.

    The quote may span a link or bold text, so one <mark> cannot always hold it: each text
    node inside gets its own, and the first one carries the ``evidence`` anchor.
    """
    inside, first = False, True
    for node in list(soup.find_all(string=True)):
        text = str(node)
        if not inside and _START not in text:
            continue
        pieces: list[NavigableString | Any] = []
        for part in re.split(f"([{_START}{_END}])", text):
            if part == _START:
                inside = True
            elif part == _END:
                inside = False
            elif part and inside:
                mark = soup.new_tag("mark")
                if first:
                    mark["id"], first = "evidence", False
                mark.string = part
                pieces.append(mark)
            elif part:
                pieces.append(NavigableString(part))
        if pieces:
            node.replace_with(*pieces)
        else:
            node.extract()
        if not inside and _END in text:
            break
