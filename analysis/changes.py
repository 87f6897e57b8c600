"""What changed between two consecutive versions of a document, said the way a reader needs it.

A new version is recorded whenever the text changed, but "the text changed" is not news:
a reader wants to know that the liability cap moved, that a training clause appeared, that
section 9 was rewritten. So each pair of consecutive versions yields three kinds of change
(rows of the ``changes`` table):

* ``text``: the unified diff of the two texts, with a one-line headline ("2 clauses added,
  1 modified; facts changed: liability cap");
* ``clause``: each clause added, removed or modified. Clauses are matched across versions
  first by identical sentence (the ``sentences`` hash), then by identical wording once
  section numbers are ignored, then by similarity, so a renumbered or moved section is not
  reported as a removal plus an addition;
* ``fact``: each fact (``analysis.facts``) whose value moved, with both evidence quotes and
  a summary in words ("GitHub Copilot now caps liability at the fees you paid (was: USD 100)").

Changes are computed from the analysis (clauses, labels, facts), so a pair is ready once
both versions are analysed. A pair's rows are written in one transaction: an interrupted
computation leaves a pair either complete or untouched, and the next run picks up every
pair still missing (``pending_pairs``), which is also how years of imported history get
their change log in one go.

Not every new text is news, so each new version gets a ``significance``, and only the last
two below are in the feed and the counts (``in_feed``):

* ``technical`` (Open Terms Archive's "technical upgrades"): the same words as before
  (``analysis.substance``: only the Markdown moved, e.g. a crawl after an import), or a
  text extracted from byte-identical pages (only the selectors or code changed). The
  version is flagged (``versions.technical``). (``termwatch refresh`` first re-reads the
  previous pages with a new extractor when it can, so the next real change is compared
  like with like.)
* ``return``: the words of a text the document already had (A/B tests, regional variants,
  CDN caches serving old pages). Consecutive returns form one *episode*, said once in the
  change log: "alternates between 3 known texts since 2025-02-01".
* ``minor``: new words, but only typo-level edits (a few characters per clause, no number,
  no category, no fact changed) or none in any clause (a heading renamed).
* ``clause`` and ``fact``: a clause added, removed or reworded, and a fact whose value moved.
"""

from __future__ import annotations

import difflib
import json
import re
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import sqlite_utils

from termwatch.analysis.facts import UNSTATED, comparable
from termwatch.analysis.segment import plain_text
from termwatch.analysis.substance import substance, substance_hash
from termwatch.analysis.summaries import (
    counted,
    describe_clause_change,
    describe_fact_change,
    document_label,
    headline,
)
from termwatch.store.changes import record_changes, record_substance_hashes, retitle_change
from termwatch.store.recorder import transaction
from termwatch.store.snapshots import html_snapshots

TEXT, CLAUSE, FACT = "text", "clause", "fact"
ADDED, REMOVED, MODIFIED = "added", "removed", "modified"
# The significance of a new version, from the least to the most news.
TECHNICAL, RETURN, MINOR = "technical", "return", "minor"
IN_FEED = (CLAUSE, FACT)
# The fact change a feed entry is titled with, when a version changed several: most
# important first (what a user of an assistant would want to hear about first).
FACT_IMPORTANCE = (
    "trains_on_user_content",
    "output_owner",
    "liability_cap_kind",
    "liability_cap_amounts",
    "provider_ip_indemnity",
    "user_indemnifies_provider",
    "arbitration",
    "class_action_waiver",
    "governing_law",
    "change_notice_days",
    "warranties_disclaimed",
    "consequential_damages_excluded",
)
# A clause reworded by at most this many characters (inserted, deleted or replaced), none of
# them a digit or a currency sign, is a typo fixed rather than a term changed.
MINOR_CHARACTERS = 3
_MEANINGFUL_CHARACTER = re.compile(r"[0-9$€£¥%]")

# Two clauses sharing at least this share of their words (Dice coefficient) are one clause
# reworded rather than one removed and another added.
SIMILAR_ENOUGH = 0.5


class ChangesError(Exception):
    """Changes cannot be computed; the message says for which versions and why."""


# --- clauses ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Clause:
    """A clause of a version, as the change computation needs it."""

    id: int
    position: int
    section_path: str
    text: str  # exactly the version text between the clause's offsets
    sentence_hash: str
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClauseChange:
    change: str  # added / removed / modified
    old: Clause | None
    new: Clause | None

    @property
    def clause(self) -> Clause:
        """The clause the change is about: the new one, or the old one if it was removed."""
        return self.new or self.old


# A section number in front of a clause ("9.2", "(a)", "A.", "iv)") and cross-references to
# sections ("Section 4.2", "§ 12"): what renumbering changes while the terms stay the same.
_LEADING_NUMBER = re.compile(r"^\s*(?:\(?(?:\d+(?:\.\d+)*|[a-z]|[ivxlc]+)[.)]\s*)+", re.IGNORECASE)
_SECTION_REFERENCE = re.compile(
    r"\b(section|sections|clause|paragraph|§)\s*\d+(?:\.\d+)*(?:\s*\([a-z0-9]+\))*", re.IGNORECASE
)
# Words, and the symbols that change what a clause says ("$100" is not "€100").
_WORD = re.compile(r"\w+|[$€£¥%]")


def comparable_wording(text: str) -> str:
    """A clause's words without markup, section numbers or case: equal when only numbering moved."""
    words = _SECTION_REFERENCE.sub(r"\1", _LEADING_NUMBER.sub("", plain_text(text)))
    return " ".join(_WORD.findall(words.lower()))


def similarity(old: Counter, new: Counter) -> float:
    """Dice coefficient of two bags of words: 1.0 for the same words, 0.0 for none in common."""
    total = sum(old.values()) + sum(new.values())
    return 2 * sum((old & new).values()) / total if total else 1.0


def match_clauses(old: list[Clause], new: list[Clause]) -> list[ClauseChange]:
    """The clauses added, removed and modified from ``old`` to ``new`` (both in document order).

    Matching goes from the surest to the loosest evidence, each pass working only on what
    the previous ones left unmatched: the same sentence anywhere in the document (moved or
    not, it is unchanged); the same wording once section numbers are ignored (renumbered,
    unchanged); then the most similar pairs above ``SIMILAR_ENOUGH`` (modified), preferring
    clauses at close positions when scores tie. What is left was removed or added.
    """
    old_left, new_left = _pair_equal(old, new, key=lambda clause: clause.sentence_hash)
    old_left, new_left = _pair_equal(
        old_left, new_left, key=lambda clause: comparable_wording(clause.text)
    )
    modified = _pair_similar(old_left, new_left)
    paired_old = {pair.old.id for pair in modified}
    paired_new = {pair.new.id for pair in modified}
    changes = modified
    changes += [ClauseChange(REMOVED, c, None) for c in old_left if c.id not in paired_old]
    changes += [ClauseChange(ADDED, None, c) for c in new_left if c.id not in paired_new]
    return sorted(changes, key=_reading_order)


def _reading_order(change: ClauseChange) -> tuple[int, int]:
    """Changes in the order of the new version; removals where they stood in the old one."""
    return change.clause.position, 0 if change.new else 1


def _pair_equal(
    old: list[Clause], new: list[Clause], key: Callable[[Clause], str]
) -> tuple[list[Clause], list[Clause]]:
    """Pair clauses with equal keys (in order, for repeated ones); return those left unpaired."""
    waiting: dict[str, list[Clause]] = {}
    for clause in new:
        waiting.setdefault(key(clause), []).append(clause)
    paired: set[int] = set()
    old_left = []
    for clause in old:
        candidates = waiting.get(key(clause))
        if candidates:
            paired.add(candidates.pop(0).id)
        else:
            old_left.append(clause)
    return old_left, [clause for clause in new if clause.id not in paired]


def _pair_similar(old: list[Clause], new: list[Clause]) -> list[ClauseChange]:
    """Greedily pair the most similar clauses, best first.

    Sharing enough words (``SIMILAR_ENOUGH``) makes two clauses candidates; among
    candidates, those whose words also come in the same order rank first, since long
    legal sentences share many words ("the", "any", "of this agreement") by chance.
    """
    old_words = {c.id: comparable_wording(c.text).split() for c in old}
    new_words = {c.id: comparable_wording(c.text).split() for c in new}
    old_bags = {id_: Counter(words) for id_, words in old_words.items()}
    new_bags = {id_: Counter(words) for id_, words in new_words.items()}
    candidates = []
    for o in old:
        o_size = len(old_words[o.id])
        for n in new:
            n_size = len(new_words[n.id])
            # Dice can't exceed 2*min/(a+b): skip pairs whose lengths alone rule them out.
            if o_size + n_size and 2 * min(o_size, n_size) / (o_size + n_size) < SIMILAR_ENOUGH:
                continue
            if similarity(old_bags[o.id], new_bags[n.id]) < SIMILAR_ENOUGH:
                continue
            in_order = difflib.SequenceMatcher(
                None, old_words[o.id], new_words[n.id], autojunk=False
            ).ratio()
            candidates.append(
                (-in_order, abs(o.position - n.position), o.position, n.position, o, n)
            )
    candidates.sort(key=lambda candidate: candidate[:4])
    used_old: set[int] = set()
    used_new: set[int] = set()
    pairs = []
    for *_rank, o, n in candidates:
        if o.id not in used_old and n.id not in used_new:
            used_old.add(o.id)
            used_new.add(n.id)
            pairs.append(ClauseChange(MODIFIED, o, n))
    return pairs


# --- facts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    name: str
    value: object  # decoded JSON: a string, a boolean, a number or a list of strings
    evidence: str | None
    clause_id: int | None


@dataclass(frozen=True)
class FactChange:
    name: str
    old: Fact
    new: Fact


def fact_changes(old: dict[str, Fact], new: dict[str, Fact]) -> list[FactChange]:
    """The facts whose value moved; a fact missing on one side counts as "unstated".

    Values are compared by meaning (``analysis.facts.comparable``): "State of California"
    reworded "California law" or "US $100" reworded "USD 100" is not a change of fact.
    """
    changes = []
    for name in sorted(old.keys() | new.keys()):
        before = old.get(name) or Fact(name, UNSTATED, None, None)
        after = new.get(name) or Fact(name, UNSTATED, None, None)
        if comparable(name, before.value) != comparable(name, after.value):
            changes.append(FactChange(name, before, after))
    return changes


def text_diff(old_text: str, new_text: str, old_label: str, new_label: str) -> str:
    """The unified diff of two versions, line by line, as ``diff -u`` would show it."""
    return "".join(
        difflib.unified_diff(
            old_text.splitlines(keepends=True),
            new_text.splitlines(keepends=True),
            fromfile=old_label,
            tofile=new_label,
            n=2,
        )
    )


# --- storage ---------------------------------------------------------------------------------


@dataclass
class ChangeCounts:
    """What a computation added: pairs of versions compared, by significance; feed rows by kind."""

    pairs: int = 0
    by_significance: Counter = field(default_factory=Counter)  # technical / return / minor / ...
    by_kind: Counter = field(default_factory=Counter)  # change rows in the feed, per kind

    @property
    def technical_pairs(self) -> int:
        return self.by_significance[TECHNICAL]

    @property
    def changed_versions(self) -> int:
        """New versions the feed reports: a clause or a fact changed."""
        return sum(self.by_significance[significance] for significance in IN_FEED)

    def describe(self) -> str:
        """ "2 changed versions (3 clause changes, 1 fact change); kept out of the feed: ..."."""
        kept_out = ", ".join(
            counted(self.by_significance[significance], noun)
            for significance, noun in (
                (TECHNICAL, "technical version"),
                (RETURN, "return"),
                (MINOR, "minor wording change"),
            )
        )
        return (
            f"{counted(self.changed_versions, 'changed version')} "
            f"({counted(self.by_kind[CLAUSE], 'clause change')}, "
            f"{counted(self.by_kind[FACT], 'fact change')}); kept out of the feed: {kept_out}"
        )

    def add(self, other: ChangeCounts) -> None:
        self.pairs += other.pairs
        self.by_significance.update(other.by_significance)
        self.by_kind.update(other.by_kind)


Progress = Callable[[int, int], None]  # (old version id, new version id) of the pair done


def pending_pairs(
    db: sqlite_utils.Database, document_ids: Iterable[str] | None = None
) -> list[tuple[int, int]]:
    """Consecutive (older, newer) version ids whose changes are not recorded yet.

    A pair is ready once both versions are analysed. A pair recorded earlier against
    another predecessor (a version was inserted between them since), or by a termwatch that
    did not weigh significance yet, is pending again. Pairs come in the order of their
    document's history: whether a version returns to a known text depends on those before.
    """
    where, params = "", []
    if document_ids is not None:
        ids = list(document_ids)
        where = f"where document_id in ({', '.join('?' * len(ids))})"
        params = ids
    return [
        (row[0], row[1])
        for row in db.execute(
            f"""
            with ordered as (
                select id, document_id, recorded_at, lag(id) over (
                    partition by document_id order by recorded_at, id
                ) as previous_id
                from versions {where}
            )
            select ordered.previous_id, ordered.id
            from ordered
            join analyses new_analysis on new_analysis.version_id = ordered.id
            join analyses old_analysis on old_analysis.version_id = ordered.previous_id
            where not exists (
                select 1 from changes
                where changes.new_version_id = ordered.id
                  and changes.old_version_id = ordered.previous_id
                  and changes.kind = 'text'
                  and changes.significance is not null
            )
            order by ordered.document_id, ordered.recorded_at, ordered.id
            """,
            params,
        ).fetchall()
    ]


def compute_changes(
    db: sqlite_utils.Database,
    document_ids: Iterable[str] | None = None,
    progress: Progress | None = None,
) -> ChangeCounts:
    """Record the changes of every pending pair of consecutive analysed versions.

    Each pair is written in its own transaction.
    """
    counts = ChangeCounts()
    for old_id, new_id in pending_pairs(db, document_ids):
        counts.add(record_pair_changes(db, old_id, new_id))
        if progress:
            progress(old_id, new_id)
    return counts


def record_pair_changes(db: sqlite_utils.Database, old_id: int, new_id: int) -> ChangeCounts:
    """Compare two versions of a document and write their changes, all or nothing."""
    old, new = _version(db, old_id), _version(db, new_id)
    if old["document_id"] != new["document_id"]:
        raise ChangesError(
            f"versions {old_id} and {new_id} belong to different documents "
            f"({old['document_id']}, {new['document_id']}): nothing to compare"
        )
    hashes = substance_hashes(db, new["document_id"])
    clauses = match_clauses(version_clauses(db, old), version_clauses(db, new))
    facts = fact_changes(*_facts_of_both(db, old_id, new_id))
    known = known_text(db, old, new, hashes)
    significance = classify(
        technical=bool(new["technical"])
        or hashes[old_id] == hashes[new_id]
        or same_pages(db, old, new),
        returns_to=known,
        clauses=clauses,
        facts=facts,
    )
    technical = significance == TECHNICAL
    episode = _episode(db, old_id, new_id, significance)
    subject = _subject(db, new["document_id"])
    base = {
        "document_id": new["document_id"],
        "service": subject["service"],
        "document_type": subject["document_type"],
        "detected_at": new["recorded_at"],
        "technical": int(technical),
        "significance": significance,
        "in_feed": int(significance in IN_FEED),
        "episode_id": episode,
        "old_version_id": old_id,
        "new_version_id": new_id,
    }
    fact_rows = [
        {
            **base,
            "kind": FACT,
            "change": MODIFIED,
            "summary": describe_fact_change(
                subject["service_name"], change.name, change.old.value, change.new.value
            )
            + f" ({subject['document']})",
            "name": change.name,
            "old_value": json.dumps(change.old.value),
            "new_value": json.dumps(change.new.value),
            "old_evidence": change.old.evidence,
            "new_evidence": change.new.evidence,
            "old_clause_id": change.old.clause_id,
            "new_clause_id": change.new.clause_id,
        }
        for change in facts
    ]
    if significance == RETURN:
        summary = f"{subject['label']}: back to the text of {known['recorded_at'][:10]}"
    else:
        summary = f"{subject['label']}: " + headline(
            Counter(c.change for c in clauses),
            [f.name for f in facts],
            technical,
            minor=significance == MINOR,
        )
    rows = [
        {
            **base,
            "kind": TEXT,
            "change": MODIFIED,
            "summary": summary,
            "title": _entry_title(summary, fact_rows),
            "returns_to_version_id": known["id"] if known else None,
            "diff": text_diff(old["text"], new["text"], old["recorded_at"], new["recorded_at"]),
        }
    ]
    rows += [
        {
            **base,
            "kind": CLAUSE,
            "change": change.change,
            "summary": describe_clause_change(
                change.change,
                change.clause.text,
                change.clause.section_path,
                change.clause.categories,
            ),
            "name": change.clause.section_path,
            "categories": json.dumps(list(change.clause.categories)),
            "old_value": change.old.text if change.old else None,
            "new_value": change.new.text if change.new else None,
            "old_clause_id": change.old.id if change.old else None,
            "new_clause_id": change.new.id if change.new else None,
        }
        for change in clauses
    ]
    rows += fact_rows
    with transaction(db):  # the changes and the episode's summary, all or nothing
        record_changes(db, new_id, rows, technical=technical and not new["technical"])
        if episode is not None and significance == RETURN:
            _say_episode(db, episode, subject["label"], hashes)
    counts = ChangeCounts(pairs=1, by_significance=Counter([significance]))
    if significance in IN_FEED:
        counts.by_kind.update(row["kind"] for row in rows)
    return counts


def classify(
    technical: bool,
    returns_to: dict | None,
    clauses: list[ClauseChange],
    facts: list[FactChange],
) -> str:
    """The significance of a new version (see the module docstring), the first that applies."""
    if technical:
        return TECHNICAL
    if returns_to is not None:
        return RETURN
    if facts:
        return FACT
    if all(is_typo_level(change) for change in clauses):
        return MINOR
    return CLAUSE


# Words whose appearance or disappearance changes what a clause obliges, however short.
_MEANINGFUL_WORDS = frozenset(
    {"not", "no", "never", "nor", "may", "must", "shall", "will", "can", "cannot"}
    | {"only", "all", "any", "without", "except", "unless"}
)


def is_typo_level(change: ClauseChange) -> bool:
    """True for a clause reworded by a few characters that carry no number and no obligation.

    "recieve" -> "receive" and "its" -> "it's" are typos fixed; "30" -> "60", "may" -> "must"
    or an added "not" change the terms, whatever their length. A clause added or removed,
    or one whose categories changed, is never a typo.
    """
    if change.change != MODIFIED or change.old.categories != change.new.categories:
        return False
    old, new = substance(change.old.text), substance(change.new.text)
    if abs(len(old) - len(new)) > MINOR_CHARACTERS:
        return False
    old_words, new_words = Counter(_WORD.findall(old.lower())), Counter(_WORD.findall(new.lower()))
    if _MEANINGFUL_WORDS & set((old_words - new_words) + (new_words - old_words)):
        return False
    edited = 0
    opcodes = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            continue
        if _MEANINGFUL_CHARACTER.search(old[i1:i2] + new[j1:j2]):
            return False
        edited += max(i2 - i1, j2 - j1)
    return edited <= MINOR_CHARACTERS


def _entry_title(summary: str, fact_rows: list[dict]) -> str:
    """A feed entry's title: its most important fact change (``FACT_IMPORTANCE``), if any."""
    if not fact_rows:
        return summary
    rank = {name: index for index, name in enumerate(FACT_IMPORTANCE)}
    first = min(fact_rows, key=lambda row: rank.get(row["name"], len(rank)))
    more = len(fact_rows) - 1
    return first["summary"] + (f" (and {more} more)" if more else "")


# --- flip-flops --------------------------------------------------------------------------------


def substance_hashes(db: sqlite_utils.Database, document_id: str) -> dict[int, str]:
    """The ``substance_hash`` of every version of a document, computed once for each."""
    rows = db.execute(
        "select id, substance_hash from versions where document_id = ?", [document_id]
    ).fetchall()
    missing = [version_id for version_id, digest in rows if digest is None]
    hashes = {version_id: digest for version_id, digest in rows if digest is not None}
    for version_id in missing:
        [text] = db.execute("select text from versions where id = ?", [version_id]).fetchone()
        hashes[version_id] = substance_hash(text)
    if missing:
        record_substance_hashes(db, {version_id: hashes[version_id] for version_id in missing})
    return hashes


def known_text(
    db: sqlite_utils.Database, old: dict, new: dict, hashes: dict[int, str]
) -> dict | None:
    """The latest version before ``old`` with the words of ``new``, if the document had them."""
    for version_id, recorded_at in db.execute(
        """
        select id, recorded_at from versions
        where document_id = ? and (recorded_at < ? or (recorded_at = ? and id < ?))
        order by recorded_at desc, id desc
        """,
        [old["document_id"], old["recorded_at"], old["recorded_at"], old["id"]],
    ):
        if hashes[version_id] == hashes[new["id"]]:
            return {"id": version_id, "recorded_at": recorded_at}
    return None


def _episode(db: sqlite_utils.Database, old_id: int, new_id: int, significance: str) -> int | None:
    """The episode of returns a version belongs to: the id of the episode's first return.

    An episode runs from a return to a known text until the next change in the feed; the
    technical and minor versions in between belong to it too.
    """
    if significance in IN_FEED:
        return None
    row = db.execute(
        "select episode_id, in_feed from changes where new_version_id = ? and kind = 'text'",
        [old_id],
    ).fetchone()
    if row and row[0] is not None and not row[1]:
        return row[0]
    return new_id if significance == RETURN else None


def _say_episode(
    db: sqlite_utils.Database, episode_id: int, label: str, hashes: dict[int, str]
) -> None:
    """Rewrite the summary of an episode's first return: how many texts it alternates between.

    Said once, on the first return, and kept up to date as the episode goes on: the texts
    counted are those of the versions from the one before the first return to the latest.
    """
    old_id, since = db.execute(
        "select old_version_id, detected_at from changes "
        "where new_version_id = ? and kind = 'text'",
        [episode_id],
    ).fetchone()
    versions = db.execute(
        "select distinct new_version_id from changes where episode_id = ? and kind = 'text'",
        [episode_id],
    ).fetchall()
    texts = {hashes[old_id]} | {hashes[version_id] for (version_id,) in versions}
    summary = f"{label}: alternates between {len(texts)} known texts since {since[:10]}"
    retitle_change(db, episode_id, summary)


def same_pages(db: sqlite_utils.Database, old: dict, new: dict) -> bool:
    """True when the new version was extracted from exactly the pages the old one came from.

    The pages did not change, so a different text can only come from a different
    extraction (selectors or code): a technical change. Compared page by page, on the URLs
    the new version was read from.
    """
    new_pages = html_snapshots(db, new)
    if not new_pages:
        return False
    old_pages = html_snapshots(db, old)
    return all(
        url in old_pages and old_pages[url]["body_hash"] == page["body_hash"]
        for url, page in new_pages.items()
    )


def _version(db: sqlite_utils.Database, version_id: int) -> dict:
    try:
        return db["versions"].get(version_id)
    except sqlite_utils.db.NotFoundError:
        raise ChangesError(
            f"version {version_id} does not exist (was the database rebuilt meanwhile?)"
        ) from None


def version_clauses(db: sqlite_utils.Database | sqlite3.Connection, version: dict) -> list[Clause]:
    """The clauses of a version (a ``versions`` row with its ``id`` and ``text``), in order."""
    text = version["text"]
    rows = db.execute(
        """
        select clauses.id, clauses.position, clauses.section_path, clauses.start, clauses."end",
               clauses.sentence_hash, group_concat(labels.category)
        from clauses left join labels on labels.sentence_hash = clauses.sentence_hash
        where clauses.version_id = ?
        group by clauses.id
        order by clauses.position
        """,
        [version["id"]],
    ).fetchall()
    return [
        Clause(
            id=clause_id,
            position=position,
            section_path=section_path or "",
            text=text[start:end],
            sentence_hash=sentence_hash,
            categories=tuple(sorted(categories.split(","))) if categories else (),
        )
        for clause_id, position, section_path, start, end, sentence_hash, categories in rows
    ]


def _facts_of_both(
    db: sqlite_utils.Database, old_id: int, new_id: int
) -> tuple[dict[str, Fact], dict[str, Fact]]:
    """The facts of two versions; none at all for either when one of them has none.

    A version without any fact row was analysed without fact extraction: comparing it would
    report every fact as changed.
    """
    old, new = _facts(db, old_id), _facts(db, new_id)
    return (old, new) if old and new else ({}, {})


def _facts(db: sqlite_utils.Database, version_id: int) -> dict[str, Fact]:
    return {
        name: Fact(name, json.loads(value) if value is not None else UNSTATED, evidence, clause_id)
        for name, value, evidence, clause_id in db.execute(
            "select name, value, evidence, clause_id from facts where version_id = ?",
            [version_id],
        ).fetchall()
    }


def _subject(db: sqlite_utils.Database, document_id: str) -> dict[str, str]:
    """How changes name their document: "GitHub Copilot / Terms of service"."""
    service, service_name, document_type = db.execute(
        """
        select documents.service, coalesce(services.name, documents.service),
               documents.document_type
        from documents left join services on services.slug = documents.service
        where documents.id = ?
        """,
        [document_id],
    ).fetchone()
    document = document_label(document_type)
    return {
        "service": service,
        "document_type": document_type,
        "service_name": service_name,
        "document": document,
        "label": f"{service_name} / {document}",
    }
