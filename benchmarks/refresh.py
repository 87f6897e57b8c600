"""How much a refresh costs on top of fetching the pages, when nothing changed and when all did.

    .venv/bin/python benchmarks/refresh.py [--archive ../shared/corpus] [--runs 3] [--history]

All timings replay the archive (its latest pages, through ``crawler.replay``) for the whole
registry, each run a fresh process as ``termwatch schedule`` runs them (process start
included), medians of ``--runs`` runs:

- *no change*: ``termwatch refresh --replay ARCHIVE`` on a database that already holds
  every page: crawl, nothing new, no analysis, no comparison;
- *bare fetch*: the same URLs downloaded by a minimal Scrapy spider and nothing else
  (``benchmarks/crawl.py --bare-fetch``): the floor. Target: no change / bare < 1.5;
- *every document changed*: the same refresh on a copy of that database in which each
  document's latest version was made an older edition (every seventh clause dropped, then
  analysed, untimed), so the crawl records a new version of every document, which is then
  analysed (only its new sentences need the model) and compared.

``--history`` also replays the archive month by month, from its oldest page to its newest,
into a new database, and prints the changes found each month and the time it took.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
TERMWATCH = [sys.executable, "-m", "termwatch"]


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=PROJECT, capture_output=True, check=False)
    return time.perf_counter() - started


def refresh_command(db: Path, archive: Path, as_of: str | None = None) -> list[str]:
    dated = ["--as-of", as_of] if as_of else []
    return [*TERMWATCH, "--db", str(db), "refresh", "--replay", str(archive), *dated]


def last_run_status(db_path: Path) -> str | None:
    connection = sqlite3.connect(db_path)
    try:
        row = connection.execute("select status from runs order by id desc limit 1").fetchone()
    finally:
        connection.close()
    return row[0] if row else None


def bare_fetch_time(archive: Path) -> float:
    crawl_benchmark = PROJECT / "benchmarks" / "crawl.py"
    return timed([sys.executable, str(crawl_benchmark), "--bare-fetch", "--archive", str(archive)])


def make_older_editions(db_path: Path) -> int:
    """Drop every seventh clause from each document's latest version, and analyse it again.

    The next refresh then finds every document changed (the dropped clauses are back),
    as it would after a real revision of the terms. Returns the number of documents.
    """
    db = sqlite3.connect(db_path)
    latest = db.execute(
        "select id, text from versions v where id = (select id from versions w "
        "where w.document_id = v.document_id order by recorded_at desc, id desc limit 1)"
    ).fetchall()
    with db:
        for version_id, text in latest:
            spans = db.execute(
                'select start, "end" from clauses where version_id = ? order by position',
                [version_id],
            ).fetchall()
            for start, end in reversed(spans[::7]):
                text = text[:start] + text[end:]
            # Read from other pages than the ones the next refresh fetches: a real edition.
            db.execute(
                "update versions set text = ?, text_hash = ?, snapshot_ids = '[]' where id = ?",
                [text, hashlib.sha256(text.encode("utf-8")).hexdigest(), version_id],
            )
            for table in ("facts", "clauses", "analyses"):
                db.execute(f"delete from {table} where version_id = ?", [version_id])
            db.execute("delete from changes where new_version_id = ?", [version_id])
    db.close()
    subprocess.run([*TERMWATCH, "--db", str(db_path), "analyze"], capture_output=True, check=True)
    return len(latest)


def history(archive: Path, folder: Path) -> None:
    """Replay the archive month by month; print the changes found each month."""
    manifest = json.loads((archive / "manifest.json").read_text(encoding="utf-8"))
    dates = [s["date"][:10] for e in manifest for v in e["versions"] for s in v["snapshots"]]
    year, month = map(int, min(dates)[:7].split("-"))
    db = folder / "history.db"
    started = time.perf_counter()
    print("Monthly replay of", archive)
    while f"{year:04d}-{month:02d}" <= max(dates)[:7]:
        day = date(year, month, 1).isoformat()
        done = subprocess.run(
            refresh_command(db, archive, day), cwd=PROJECT, capture_output=True, text=True
        )
        print(f"  {day}: {done.stdout.splitlines()[0] if done.stdout else done.stderr[-200:]}")
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)
    connection = sqlite3.connect(db)
    changes = connection.execute(
        "select count(*), count(distinct document_id) from changes "
        "where kind = 'text' and in_feed = 1"
    ).fetchone()
    print(
        f"{changes[0]} term changes in {changes[1]} documents, "
        f"{time.perf_counter() - started:.0f} s in all"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--archive", type=Path, default=PROJECT.parent / "shared" / "corpus")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--history", action="store_true", help="also replay month by month")
    args = parser.parse_args()
    archive = args.archive.resolve()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        base = folder / "base.db"
        print("Preparing: a first refresh records and analyses every page...", file=sys.stderr)
        first = subprocess.run(
            refresh_command(base, archive), cwd=PROJECT, capture_output=True, text=True
        )
        if last_run_status(base) != "completed":
            sys.exit(f"the first refresh did not complete:\n{first.stdout}{first.stderr}")
        changed_base = folder / "older.db"
        shutil.copy(base, changed_base)
        documents = make_older_editions(changed_base)

        unchanged, bare, changed = [], [], []
        for run in range(1, args.runs + 1):
            unchanged.append(timed(refresh_command(base, archive)))
            bare.append(bare_fetch_time(archive))
            copy = folder / f"changed-{run}.db"
            shutil.copy(changed_base, copy)
            changed.append(timed(refresh_command(copy, archive)))
            print(
                f"run {run}: no change {unchanged[-1]:.2f} s, bare fetch {bare[-1]:.2f} s, "
                f"every document changed {changed[-1]:.2f} s",
                file=sys.stderr,
            )
        still, floor, moved = (statistics.median(t) for t in (unchanged, bare, changed))
        print(f"Refresh of the registry replayed from {archive} (median of {args.runs} runs)")
        rows = [
            ("bare Scrapy fetch, same URLs", floor),
            ("refresh, no change", still),
            (f"refresh, {documents} documents changed", moved),
        ]
        for label, seconds in rows:
            print(f"  {label:<36} {seconds:6.2f} s   {seconds / floor:4.2f} x bare")
        if args.history:
            history(archive, folder)


if __name__ == "__main__":
    main()
