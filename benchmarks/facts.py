"""The fact reader against the reviewed answer key, next to the previous release's reader.

Both readers read the same keyed versions (``data/facts``, the test split by default) with the
same trained classifier (``data/model``), so the difference is the fact reading alone. The
previous release's reader is run from its own commit (default f94212e, the release before
the answer key existed), checked out into a temporary ``git worktree`` and imported in a child
process; nothing is recorded by hand.

    .venv/bin/python benchmarks/facts.py [--split test|train|all] [--baseline f94212e]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from termwatch.analysis import paths  # noqa: E402
from termwatch.analysis.fact_evaluation import (  # noqa: E402
    SPLITS,
    FactEvaluation,
    ReadFact,
    pipeline_reader,
    score_facts,
)
from termwatch.analysis.fact_key import FactKeyError, load_fact_key  # noqa: E402
from termwatch.analysis.facts import FACTS  # noqa: E402

BASELINE = "f94212e"

# Run inside the baseline's worktree: its own segmenter, classifier glue and fact reader,
# the facts of each text as {name: [value, [quote, ...]]}, one JSON list on stdout.
BASELINE_READER = """
import json, sys
from pathlib import Path
worktree, model = sys.argv[1], Path(sys.argv[2])
sys.path.insert(0, worktree)
import analysis.facts
assert analysis.facts.__file__.startswith(worktree), analysis.facts.__file__
from analysis.facts import Clause, extract_facts
from analysis.pipeline import classify, load_pipeline
from analysis.segment import plain_text, segment
nlp = load_pipeline(model)
readings = []
for text in json.load(sys.stdin):
    pieces = segment(text)
    words = [plain_text(piece.text) for piece in pieces]
    labels = list(classify(nlp, words))
    clauses = [Clause(piece.text, piece.section_path, frozenset(found), position, plain)
               for position, (piece, plain, found) in enumerate(zip(pieces, words, labels))]
    readings.append({name: [answer.value, [answer.evidence.text] if answer.evidence else []]
                     for name, answer in extract_facts(clauses).items()})
json.dump(readings, sys.stdout)
"""


def baseline_readings(commit: str, texts: list[str], model: Path) -> list[dict]:
    """The facts the reader of ``commit`` gives each text, read in a child process."""
    with tempfile.TemporaryDirectory(prefix="termwatch-baseline-") as scratch:
        worktree = Path(scratch) / "tree"
        subprocess.run(
            ["git", "-C", str(PROJECT), "worktree", "add", "--detach", str(worktree), commit],
            check=True,
            capture_output=True,
        )
        try:
            done = subprocess.run(
                [sys.executable, "-c", BASELINE_READER, str(worktree), str(model)],
                input=json.dumps(texts),
                capture_output=True,
                text=True,
                cwd=worktree,
            )
        finally:
            subprocess.run(
                ["git", "-C", str(PROJECT), "worktree", "remove", "--force", str(worktree)],
                check=False,
                capture_output=True,
            )
    if done.returncode:
        sys.exit(f"the reader of {commit} failed: {done.stderr.strip().splitlines()[-1]}")
    return [
        {name: ReadFact(value, tuple(quotes)) for name, (value, quotes) in reading.items()}
        for reading in json.loads(done.stdout)
    ]


def table(current: FactEvaluation, baseline: FactEvaluation, commit: str) -> str:
    lines = [
        f"{'':<32}{'this tree':>20}{commit + ' reader':>21}",
        f"{'':<32}{'right':>11}{'evidence':>9}{'right':>12}{'evidence':>9}",
    ]
    rows = [(name, current.facts[name], baseline.facts[name]) for name in FACTS]
    rows.append(("overall", current.total, baseline.total))
    for name, now, before in rows:
        lines.append(
            f"{name:<32}{now.accuracy * 100:>10.1f}%{now.evidence_overlap * 100:>8.1f}%"
            f"{before.accuracy * 100:>11.1f}%{before.evidence_overlap * 100:>8.1f}%"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=SPLITS, default="test")
    parser.add_argument("--baseline", default=BASELINE, help="commit of the previous release")
    parser.add_argument("--model", type=Path, default=paths.MODEL_DIR)
    arguments = parser.parse_args()
    try:
        key = load_fact_key()
    except FactKeyError as error:
        sys.exit(f"Error: {error}")
    documents = [d for d in key if arguments.split == "all" or d.split == arguments.split]
    texts = [document.text for document in documents]
    read = pipeline_reader(arguments.model)
    current = score_facts(documents, [read(text) for text in texts], arguments.split)
    before = score_facts(
        documents, baseline_readings(arguments.baseline, texts, arguments.model), arguments.split
    )
    print(table(current, before, arguments.baseline))
    print(
        f"{len(documents)} documents of the {arguments.split} split, {current.total.documents} "
        f"facts; right: {current.total.right} now, {before.total.right} with {arguments.baseline}"
        f"'s reader (same classifier, {arguments.model})."
    )


if __name__ == "__main__":
    main()
