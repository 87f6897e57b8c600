"""Time of `termwatch train` from scratch (the word vectors, then the model, into fresh folders)
and with the vectors already cached.

What a fresh clone pays on its first `make run` (later runs reuse the cached model). The
decisions are read from analysis/decisions.json, as `termwatch train` does; re-deriving them
(`termwatch train --tune`) costs several trainings more and is not part of a build.

    .venv/bin/python benchmarks/training_time.py [--runs 1]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from termwatch.analysis import training, vectors  # noqa: E402


def build_once() -> tuple[float, float, float, int]:
    """Seconds to learn the vectors, to find them cached (both 0 when the configured model reads
    none), to build the model; and the number of training sentences."""
    uses_vectors = training.configured("components.textcat_multilabel.model.static_vectors")
    with tempfile.TemporaryDirectory(prefix="termwatch-bench-") as scratch:
        started = time.perf_counter()
        if uses_vectors:
            vectors.build_vectors(cache=Path(scratch) / "vectors")
        learned = time.perf_counter()
        found = vectors.build_vectors(cache=Path(scratch) / "vectors") if uses_vectors else None
        cached = time.perf_counter()
        examples = training.load_examples()
        decided = training.load_decisions(examples)
        training.build_model(examples, Path(scratch) / "model", decisions=decided, vectors=found)
        built = time.perf_counter()
        return learned - started, cached - learned, built - cached, len(examples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    arguments = parser.parse_args()
    runs = [build_once() for _ in range(arguments.runs)]
    learn, find, model = (statistics.median(run[part] for run in runs) for part in range(3))
    medians = f"median of {arguments.runs} run{'s' if arguments.runs > 1 else ''}"
    print(f"training sentences: {runs[0][3]:,}")
    if training.configured("components.textcat_multilabel.model.static_vectors"):
        print(f"word vectors (floret, from the corpus): {learn:.1f} s to learn, {find:.1f} s found")
    else:
        print("word vectors: none (the configured model reads none, static_vectors = false)")
    print(f"model (spaCy training, decisions as stored): {model:.1f} s")
    print(f"termwatch train from scratch: {learn + model:.1f} s ({medians})")
    print(f"termwatch train with the vectors cached: {find + model:.1f} s ({medians})")


if __name__ == "__main__":
    main()
