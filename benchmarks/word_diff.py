"""Word diffs of modified clauses: difflib (what the site uses) against diff libraries.

For every clause the change log records as modified (``changes`` rows of kind ``clause``),
the old and new wording are split into words and spaces as the history page splits them,
and each differ's edit script is measured: how many tokens it marks as changed (fewer is a
tighter diff: every script here is a correct diff, a looser one marks words that did not
change) and how long it takes (median of several runs). Libraries not installed are skipped:

    .venv/bin/pip install rapidfuzz diff-match-patch      # only to run this comparison
    .venv/bin/python benchmarks/word_diff.py [--db data/termwatch.db] [--runs 3]
"""

from __future__ import annotations

import argparse
import difflib
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from termwatch.analysis.segment import plain_text  # noqa: E402
from termwatch.site.history import _TOKEN  # noqa: E402

Opcodes = list[tuple[str, int, int, int, int]]


def with_difflib(a: list[str], b: list[str]) -> Opcodes:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()


def differs() -> dict[str, Callable[[list[str], list[str]], Opcodes]]:
    found = {"difflib": with_difflib}
    try:
        from rapidfuzz.distance import Indel

        found["rapidfuzz (Indel)"] = lambda a, b: [
            tuple(op) for op in Indel.opcodes(a, b).as_list()
        ]
    except ImportError:
        pass
    try:
        from diff_match_patch import diff_match_patch

        engine = diff_match_patch()

        def with_dmp(a: list[str], b: list[str]) -> Opcodes:
            # diff-match-patch diffs characters: map each distinct token to one character.
            alphabet: dict[str, str] = {}
            encode = lambda tokens: "".join(  # noqa: E731
                alphabet.setdefault(token, chr(0xE000 + len(alphabet))) for token in tokens
            )
            ops, i, j = [], 0, 0
            for sign, run in engine.diff_main(encode(a), encode(b), False):
                if sign == 0:
                    ops.append(("equal", i, i + len(run), j, j + len(run)))
                    i, j = i + len(run), j + len(run)
                elif sign < 0:
                    ops.append(("delete", i, i + len(run), j, j))
                    i += len(run)
                else:
                    ops.append(("insert", i, i, j, j + len(run)))
                    j += len(run)
            return ops

        found["diff-match-patch"] = with_dmp
    except ImportError:
        pass
    return found


def changed_tokens(ops: Opcodes) -> int:
    return sum((i2 - i1) + (j2 - j1) for tag, i1, i2, j1, j2 in ops if tag != "equal")


def change_runs(ops: Opcodes) -> int:
    """Runs of changed tokens a reader sees, once a lone space between two changes joins
    them (as the history page does): fewer runs read as fewer, longer edits."""
    runs, previous_changed = 0, False
    for index, (tag, i1, i2, _, _) in enumerate(ops):
        joined = tag == "equal" and 0 < index < len(ops) - 1 and i2 - i1 == 1
        changed = tag != "equal" or (joined and previous_changed)
        if changed and not previous_changed:
            runs += 1
        previous_changed = changed
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=str(PROJECT / "data" / "termwatch.db"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    conn = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    pairs = [
        (_TOKEN.findall(plain_text(old)), _TOKEN.findall(plain_text(new)))
        for old, new in conn.execute(
            "select old_value, new_value from changes where kind = 'clause' "
            "and change = 'modified' and in_feed = 1"
        )
    ]
    print(f"{len(pairs)} modified clauses, {sum(len(a) + len(b) for a, b in pairs)} tokens")
    print(f"{'differ':<20} {'changed tokens':>15} {'change runs':>12} {'median time':>12}")
    baseline = None
    for name, differ in differs().items():
        timings = []
        for _ in range(args.runs):
            start = time.perf_counter()
            scripts = [differ(a, b) for a, b in pairs]
            timings.append(time.perf_counter() - start)
        changed = sum(map(changed_tokens, scripts))
        runs = sum(map(change_runs, scripts))
        median = statistics.median(timings)
        baseline = baseline or (changed, runs, median)
        print(
            f"{name:<20} {changed:>15} {runs:>12} {median:>10.2f} s   "
            f"({changed / baseline[0]:.3f}× the tokens, {runs / baseline[1]:.2f}× the runs, "
            f"{median / baseline[2]:.3f}× the time)"
        )


if __name__ == "__main__":
    main()
