"""The whole termwatch database schema, in one place.

Every table, index, full-text index and view is created here and nowhere else, so a
newcomer can read what the database holds top to bottom. ``ensure_schema`` is idempotent:
every command calls it on start, which is how a fresh database gets created and an old
one gains what a newer termwatch added.

The layout follows Open Terms Archive's split between *snapshots* (what was fetched,
raw, every time) and *versions* (the normalized text, recorded only when it changed),
the way simonw/git-history separates items from item versions.

Tables, by the stage that writes them:

- registry:  ``services``, ``documents``
- crawl:     ``runs``, ``fetches``, ``snapshots``, ``snapshot_bodies``, ``versions``
- analysis:  ``sentences``, ``clauses``, ``labels``, ``facts``, ``analyses``
- changes:   ``changes``
"""

from __future__ import annotations

import sqlite_utils


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create every table, index and view that does not exist yet."""
    db.execute("PRAGMA foreign_keys = ON")
    if db.journal_mode != "wal":
        db.enable_wal()
    _registry_tables(db)
    _crawl_tables(db)
    _analysis_tables(db)
    _change_tables(db)
    _views(db)


def _registry_tables(db: sqlite_utils.Database) -> None:
    # One row per service (an assistant or the model vendor it runs on).
    db["services"].create(
        {
            "slug": str,
            "name": str,
            "provider": str,
            "category": str,  # coding-assistant / llm-vendor / ai-developer-platform
            "url": str,  # product page
            "in_registry": int,  # 1 when data/sources.yml declares it (0: archive only)
        },
        pk="slug",
        if_not_exists=True,
    )
    # One row per tracked document. ``document_type`` is the slug used as folder name in
    # archives (``terms-of-service``, ``commercial-terms--genai-eu``); ``kind`` is the
    # standard document kind it belongs to, ``variant`` the tracker suffix if any.
    db["documents"].create(
        {
            "id": str,  # "<service>/<document_type>"
            "service": str,
            "document_type": str,
            "kind": str,
            "variant": str,
            "title": str,
            "audience": str,  # consumer / business / developer / everyone
            "region": str,  # global / eu / ...
            "urls": str,  # JSON list of the page URLs, in reading order
            "in_registry": int,
        },
        pk="id",
        foreign_keys=[("service", "services", "slug")],
        if_not_exists=True,
    )
    db["documents"].create_index(["service", "document_type"], unique=True, if_not_exists=True)


def _crawl_tables(db: sqlite_utils.Database) -> None:
    # A run is one crawl, import or refresh; every fetch belongs to one.
    db["runs"].create(
        {
            "id": int,
            "command": str,  # crawl / refresh / import-archive
            "started_at": str,
            "ended_at": str,
            "status": str,  # running / completed / interrupted / failed
            "replay": str,  # archive folder when replaying, else null
            "as_of": str,  # replay date, else null
            "documents": int,
            "fetched": int,
            "unchanged": int,
            "changed": int,  # new versions of the terms
            "technical": int,  # new versions that only reflect a change of extraction
            "failed": int,
            "summary": str,
        },
        pk="id",
        if_not_exists=True,
    )
    # Raw bodies, compressed and stored once per distinct content (content addressing),
    # so re-fetching an unchanged page keeps the fetch without keeping the bytes twice.
    db["snapshot_bodies"].create(
        {"hash": str, "size": int, "body": bytes},
        pk="hash",
        if_not_exists=True,
    )
    # Every page fetched (or imported), whatever came of it.
    db["snapshots"].create(
        {
            "id": int,
            "document_id": str,
            "url": str,
            "fetched_at": str,
            "status": int,
            "content_type": str,
            "body_hash": str,
            "source": str,  # crawl / archive
            "run_id": int,
            # The page's validators, sent back as If-None-Match / If-Modified-Since by the
            # next crawl (crawler.cache); status 304 when the server answered "not modified".
            "etag": str,
            "last_modified": str,
        },
        pk="id",
        foreign_keys=[
            ("document_id", "documents", "id"),
            ("body_hash", "snapshot_bodies", "hash"),
            ("run_id", "runs", "id"),
        ],
        if_not_exists=True,
    )
    for column in ("etag", "last_modified"):  # databases made before conditional requests
        if column not in db["snapshots"].columns_dict:
            db["snapshots"].add_column(column, str)
    db["snapshots"].create_index(
        ["document_id", "url", "fetched_at", "source"], unique=True, if_not_exists=True
    )
    db["snapshots"].create_index(["url", "fetched_at"], if_not_exists=True)
    # The normalized Markdown of a document, recorded only when it differs from the
    # document's previous version.
    db["versions"].create(
        {
            "id": int,
            "document_id": str,
            "recorded_at": str,
            "text": str,
            "text_hash": str,
            "source": str,  # crawl / archive
            "technical": int,  # 1: the text changed because extraction changed, not the terms
            "snapshot_ids": str,  # JSON list of the snapshots it was extracted from
            "extractor": str,  # fingerprint of the selectors and extraction code used
            "archive_file": str,  # for imported versions: the file it came from
            "run_id": int,
            # sha256 of its words without Markdown (analysis.substance), set when compared
            "substance_hash": str,
        },
        pk="id",
        foreign_keys=[("document_id", "documents", "id"), ("run_id", "runs", "id")],
        if_not_exists=True,
    )
    if "substance_hash" not in db["versions"].columns_dict:  # databases made before it
        db["versions"].add_column("substance_hash", str)
    db["versions"].create_index(["document_id", "recorded_at"], if_not_exists=True)
    # One row per attempt to fetch a document, with its outcome.
    db["fetches"].create(
        {
            "id": int,
            "run_id": int,
            "document_id": str,
            "attempted_at": str,
            "outcome": str,  # new_version / unchanged / failed
            "error_class": str,  # see crawler.errors.ERROR_CLASSES; null unless failed
            "error": str,  # readable message: what happened and the likely cause
            "url": str,  # the page the outcome is about (the failing one, if any)
            "version_id": int,
        },
        pk="id",
        foreign_keys=[
            ("run_id", "runs", "id"),
            ("document_id", "documents", "id"),
            ("version_id", "versions", "id"),
        ],
        if_not_exists=True,
    )
    db["fetches"].create_index(["document_id", "attempted_at"], if_not_exists=True)


def _analysis_tables(db: sqlite_utils.Database) -> None:
    """Tables written by ``termwatch analyze``.

    Most sentences of a version also stand in its predecessor, so a sentence's text and its
    labels are stored once, keyed by the hash of its normalized text (``sentences``,
    ``labels``); a version's ``clauses`` point at them with their position, section path and
    character offsets into the version text. Analysis then grows with what changed, not
    with the number of versions. ``sentences.model_version`` says which model labelled a
    sentence (null: not yet), so a sentence without any label is not classified again, and
    a new model reclassifies what the old one labelled.
    """
    db["sentences"].create(
        {
            "hash": str,  # sha256 of ``text``
            "text": str,  # plain text of the clause (analysis.segment.plain_text)
            "model_version": str,
        },
        pk="hash",
        if_not_exists=True,
    )
    if "model_version" not in db["sentences"].columns_dict:  # databases made before it
        db["sentences"].add_column("model_version", str)
    # Category labels of a sentence (see analysis.taxonomy for the codes).
    db["labels"].create(
        {
            "sentence_hash": str,
            "category": str,
            "score": float,
            "source": str,  # rule / model
            # certain: labels as strong were right 9 times in 10 on unseen documents; likely
            "confidence": str,
            "model_version": str,
        },
        pk=("sentence_hash", "category"),
        foreign_keys=[("sentence_hash", "sentences", "hash")],
        if_not_exists=True,
    )
    if "confidence" not in db["labels"].columns_dict:  # databases made before it
        db["labels"].add_column("confidence", str)
    db["clauses"].create(
        {
            "id": int,
            "version_id": int,
            "position": int,  # order in the version
            "section_path": str,  # e.g. "Terms > 9. Limitation of Liability > 9.2"
            "start": int,  # character offsets into versions.text
            "end": int,
            "sentence_hash": str,
        },
        pk="id",
        foreign_keys=[
            ("version_id", "versions", "id"),
            ("sentence_hash", "sentences", "hash"),
        ],
        if_not_exists=True,
    )
    db["clauses"].create_index(["version_id", "position"], unique=True, if_not_exists=True)
    db["clauses"].create_index(["sentence_hash"], if_not_exists=True)
    # Structured answers per version (names in analysis.facts), each with its evidence and
    # why it holds: ``stated`` by the clause quoted, or ``inferred`` (with the rule's reason)
    # from what the terms do say, e.g. no arbitration from a clause sending disputes to courts.
    db["facts"].create(
        {
            "version_id": int,
            "name": str,
            "value": str,  # JSON; "conflicting" when clauses disagree (see conflicts)
            "evidence": str,  # exact quote (the first of a conflict), null when "unstated"
            "clause_id": int,
            "basis": str,  # stated / inferred; null when unstated
            "reason": str,  # the inference's one-line reason (basis inferred)
            "conflicts": str,  # JSON [{value, evidence, clause_id}] for a conflicting fact
            "model_version": str,
        },
        pk=("version_id", "name"),
        foreign_keys=[("version_id", "versions", "id"), ("clause_id", "clauses", "id")],
        # An older database gains the columns added since (a no-op when up to date).
        transform=True,
    )
    # Deleting a version's clauses (re-analysis) checks that no fact still quotes them.
    db["facts"].create_index(["clause_id"], if_not_exists=True)
    # Which versions were analysed, when, by which model and which reader (the version of
    # the segmenter and fact readers: ``analysis.analyze.READER_VERSION``).
    db["analyses"].create(
        {
            "version_id": int,
            "model_version": str,
            "reader": str,
            "analyzed_at": str,
            "clauses": int,
        },
        pk="version_id",
        foreign_keys=[("version_id", "versions", "id")],
        if_not_exists=True,
    )
    if "reader" not in db["analyses"].columns_dict:  # databases made before it: read again
        db["analyses"].add_column("reader", str)


def _change_tables(db: sqlite_utils.Database) -> None:
    """Changes between consecutive versions of a document (``analysis.changes``).

    One row per change: the text diff of a new version with a headline (kind ``text``; one
    per pair of versions, which also marks the pair as done), each clause added, removed or
    modified (kind ``clause``), each fact whose value moved (kind ``fact``). Every row of a
    pair carries the pair's ``significance`` (technical / return / minor / clause / fact, see
    ``analysis.changes``) and ``in_feed``: 1 only for clause and fact changes, what the feed
    and the counts report; technical versions (caused by extraction, not by the publisher),
    returns to a known text and minor wording stay out. Written by ``termwatch refresh``
    and ``termwatch changes``.
    """
    db["changes"].create(
        {
            "id": int,
            "document_id": str,
            "service": str,
            "document_type": str,
            "detected_at": str,  # the new version's date
            "kind": str,  # text / clause / fact
            "change": str,  # added / removed / modified
            "technical": int,
            "summary": str,  # in words: "liability cap changed from ... to ..."
            "name": str,  # fact name (kind fact) or section path (kind clause)
            "categories": str,  # JSON list of the clause's category codes (kind clause)
            "old_value": str,  # clause text, or fact value as JSON
            "new_value": str,
            "old_evidence": str,  # exact quotes behind the fact values (kind fact)
            "new_evidence": str,
            # The clauses quoted (kinds clause and fact). No foreign key: re-analysing
            # (``analyze --all``) replaces clauses; ``changes --all`` then recomputes these.
            "old_clause_id": int,
            "new_clause_id": int,
            "diff": str,  # unified diff (kind text)
            "old_version_id": int,
            "new_version_id": int,
            "significance": str,  # technical / return / minor / clause / fact
            "in_feed": int,  # 1: reported by the feed and the counts
            "title": str,  # kind text: the feed entry's title (its most important fact change)
            # kind text of a return: the earlier version whose words came back
            "returns_to_version_id": int,
            # the first return of the flip-flop episode the version belongs to, if any
            "episode_id": int,
        },
        pk="id",
        foreign_keys=[
            ("document_id", "documents", "id"),
            ("old_version_id", "versions", "id"),
            ("new_version_id", "versions", "id"),
        ],
        # An older database gains the columns added since (a no-op when up to date).
        transform=True,
    )
    db["changes"].create_index(["document_id", "detected_at"], if_not_exists=True)
    db["changes"].create_index(["detected_at"], if_not_exists=True)
    db["changes"].create_index(["new_version_id"], if_not_exists=True)
    db["changes"].create_index(["old_version_id"], if_not_exists=True)  # re-analysis forgets
    db["changes"].create_index(["in_feed", "detected_at"], if_not_exists=True)
    db["changes"].create_index(["episode_id"], if_not_exists=True)


def _views(db: sqlite_utils.Database) -> None:
    """What the Datasette site reads: views, full-text indexes and two tables for the site.

    The views answer the questions people ask of the raw tables (what is current, what
    does each document say, how did it change) so that the site and the JSON API stay plain
    ``select``s. ``comparison_cells`` holds the comparison matrix (one row per service
    edition and fact) and ``comparison_rows`` the same with one row per service edition, its
    facts as one JSON object (what the ``comparison`` JSON serves); ranking every fact of
    every document on each request would be slow, so ``termwatch.site.refresh_site_tables``
    rewrites both after analysis, with ``categories`` (the taxonomy, for readable labels).
    Views are recreated only when their SQL changed, and the full-text indexes keep
    themselves up to date with triggers.
    """
    db["comparison_cells"].create(
        {
            "service": str,
            "service_name": str,
            "category": str,  # the service's: coding-assistant / llm-vendor / ...
            "edition": str,  # consumer / business / developer / everyone, "-eu" if regional
            "edition_label": str,  # "Business (EU)"
            "row": int,  # order of the matrix rows
            "dimension": str,  # the matrix column (liability_cap reads two facts)
            "dimension_label": str,
            "column": int,  # order of the matrix columns
            "fact": str,  # fact name, as in analysis.facts
            "value": str,  # JSON, null when no version or no analysis yet
            "answer": str,  # the short answer shown in the cell
            "rating": str,  # favourable / mixed / unfavourable / neutral / unknown
            "status": str,  # stated / conflicting / unstated / not_analysed / not_fetched
            "basis": str,  # stated / inferred (the fact's, see facts)
            "reason": str,  # why an inferred answer holds
            "evidence": str,
            "conflicts": str,  # JSON [{value, answer, evidence, clause_id}] when conflicting
            "clause_id": int,
            "document_id": str,
            "document_type": str,
            "document_title": str,
            "version_id": int,
            "version_date": str,
            "evidence_url": str,  # the version page, scrolled to the clause
            "refreshed_at": str,
        },
        pk=("service", "edition", "fact"),
        transform=True,
    )
    db["comparison_rows"].create(
        {
            "service": str,
            "edition": str,
            "row": int,
            "service_name": str,
            "category": str,
            "edition_label": str,
            "facts": str,  # JSON: {fact name: {value, answer, rating, evidence, ...}}
            "refreshed_at": str,
        },
        pk=("service", "edition"),
        if_not_exists=True,
    )
    db["categories"].create(
        {"code": str, "name": str, "definition": str, "origin": str},
        pk="code",
        if_not_exists=True,
    )
    for table in ("versions", "sentences"):
        db[table].enable_fts(["text"], tokenize="porter", create_triggers=True, replace=True)
    # A version row carries its whole text: listing versions without reading the texts
    # needs an index that holds every column the timeline views read.
    db["versions"].create_index(
        ["document_id", "recorded_at", "id", "technical", "source"],
        index_name="versions_timeline",
        if_not_exists=True,
    )

    history_url = "'/history/' || d.service || '/' || d.document_type"
    views = {
        # The version of every document in force now (null for documents never fetched).
        "current_versions": f"""
select
  d.id as document_id, d.service, s.name as service_name, d.document_type, d.title,
  d.kind, d.audience, d.region, d.in_registry,
  v.id as version_id, v.recorded_at as version_date, v.technical,
  (select count(*) from versions n where n.document_id = d.id) as versions,
  exists (select 1 from analyses a where a.version_id = v.id) as analysed,
  {history_url} as history_url
from documents d
join services s on s.slug = d.service
left join versions v on v.id = (
  select w.id from versions w where w.document_id = d.id
  order by w.recorded_at desc, w.id desc limit 1
)""",
        # Every version of every document, with when it stopped being the current one.
        "document_versions": f"""
select
  v.id as version_id, v.document_id, d.service, d.document_type, d.title,
  row_number() over history as number,
  v.recorded_at as valid_from,
  lead(v.recorded_at) over history as valid_until,
  v.technical, v.source,
  (select significance from changes c
   where c.new_version_id = v.id and c.kind = 'text') as significance,
  (select count(*) from changes c
   where c.new_version_id = v.id and c.in_feed = 1 and c.kind = 'fact') as fact_changes,
  (select count(*) from changes c
   where c.new_version_id = v.id and c.in_feed = 1 and c.kind = 'clause') as clause_changes,
  {history_url} || '/' || v.id as version_url
from versions v
join documents d on d.id = v.document_id
window history as (partition by v.document_id order by v.recorded_at, v.id)""",
        # The facts of the current version of every document, each with its evidence.
        "current_facts": """
select
  cv.service, cv.service_name, cv.document_type, cv.title, cv.audience, cv.region,
  cv.version_id, cv.version_date, f.name as fact, f.value, f.basis, f.reason, f.evidence,
  f.clause_id, f.conflicts,
  cv.history_url || '/' || cv.version_id
    || case when f.evidence is null then '' else '?fact=' || f.name || '#evidence' end
    as evidence_url
from current_versions cv
join facts f on f.version_id = cv.version_id""",
        # The clauses of the current version of every document, with their labels.
        "current_clauses": """
select
  c.id as clause_id, cv.service, cv.service_name, cv.document_type, cv.title,
  cv.version_id, cv.version_date, c.position, c.section_path, se.text,
  (select json_group_array(l.category) from labels l
   where l.sentence_hash = c.sentence_hash) as labels,
  c.sentence_hash, se.rowid as sentence_rowid,
  cv.history_url || '/' || cv.version_id || '?clause=' || c.id || '#evidence' as clause_url
from current_versions cv
join clauses c on c.version_id = cv.version_id
join sentences se on se.hash = c.sentence_hash""",
        # Changes of the terms: what the feed reports, and each flip-flop episode once
        # (technical versions, minor wording and further returns to a known text left out).
        "change_log": f"""
select
  ch.id as change_id, ch.detected_at, ch.service, s.name as service_name,
  ch.document_type, d.title, ch.kind, ch.change, ch.summary, ch.name,
  ch.old_value, ch.new_value, ch.old_evidence, ch.new_evidence,
  ch.old_version_id, ch.new_version_id,
  {history_url} || '?from=' || ch.old_version_id || '&to=' || ch.new_version_id as diff_url,
  ch.significance, ch.in_feed
from changes ch
join documents d on d.id = ch.document_id
join services s on s.slug = ch.service
where ch.in_feed = 1 or (ch.kind = 'text' and ch.episode_id = ch.new_version_id)""",
    }
    for name, sql in views.items():
        db.create_view(name, sql.strip(), replace=True)
