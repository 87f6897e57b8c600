"""The fact reader against the reviewed answer key, next to the previous release's reader.

Both readers read the same keyed versions (``data/facts``, the test split by default) with the
same trained classifier (``data/model``), so the difference is the fact reading alone. The
previous release's reader is run from its own commit (default df7ca60, the release of the
previous session; any commit laid out as the ``termwatch`` package), checked out into a
temporary ``git worktree`` and imported in a child process; nothing is recorded by hand.

    .venv/bin/python benchmarks/facts.py [--split test|train|all] [--baseline df7ca60] [--key DIR]

``--key`` scores another folder of entries in the key's format: a few documents just keyed,
say, to see how the previous reader did on wording nobody had written rules for.
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
from termwatch.analysis.fact_key import (  # noqa: E402
    DEFAULT_DIRECTORY,
    FactKeyError,
    load_fact_key,
)
from termwatch.analysis.facts import FACTS  # noqa: E402

BASELINE = "df7ca60"

# Run inside the baseline's worktree: its own segmenter, classifier glue and fact reader
# (``analysis.analyze.read_facts``, what ``termwatch facts`` reads), the facts of each text
# as {name: [value, [quote, ...], basis]}, one JSON list on stdout. The
# installed ``termwatch`` is this tree's, so each of its packages is pointed at the
# baseline's folder first (the layout of pyproject.toml's package-dir).
BASELINE_READER = """
import importlib.util, json, sys
from pathlib import Path
worktree, model = Path(sys.argv[1]), Path(sys.argv[2])
packages = {"termwatch": "termwatch", "termwatch.analysis": "analysis",
            "termwatch.store": "store", "termwatch.crawler": "crawler"}
for name, folder in packages.items():
    where = worktree / folder
    spec = importlib.util.spec_from_file_location(
        name, where / "__init__.py", submodule_search_locations=[str(where)])
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, module)
from termwatch.analysis import analyze
assert analyze.__file__.startswith(str(worktree)), analyze.__file__
classifier = analyze.load_classifier(model)
readings = [
    {name: [answer.value, [quote.text for quote in answer.quotes], answer.basis]
     for name, answer in analyze.read_facts(text, classifier).items()}
    for text in json.load(sys.stdin)
]
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
        {
            name: ReadFact(value, tuple(quotes), basis)
            for name, (value, quotes, basis) in reading.items()
        }
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
    parser.add_argument("--key", type=Path, default=DEFAULT_DIRECTORY, help="answer-key folder")
    arguments = parser.parse_args()
    try:
        key = load_fact_key(arguments.key)
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
