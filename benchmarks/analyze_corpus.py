"""How long ``termwatch analyze`` takes over every version of the shared corpus.

    .venv/bin/python benchmarks/analyze_corpus.py [--archive ../shared/corpus] [--runs 1]
        [--model DIR | --without-model]

The corpus is imported once into a temporary database; then, each timing the median of
``--runs`` runs:

- a first analysis, on a fresh copy of that database: every version is segmented, every
  distinct sentence classified once, every version's clauses and facts written. The time
  spent inside the classifier is shown apart;
- ``analyze --all`` on the analysed database with the same model: everything is redone
  except classification (every sentence is already labelled by this model), which is the
  cost of segmentation, fact extraction and storage;
- a run with nothing to analyse (what ``termwatch refresh`` pays when nothing changed).

``--model`` loads the pipeline from another directory than ``data/model`` (built there if
missing); ``--without-model`` replaces it by a classifier that labels nothing, to measure
the analysis machinery alone.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from termwatch.analysis.analyze import Classifier, analyze, load_classifier  # noqa: E402
from termwatch.crawler.catalog import sync_registry  # noqa: E402
from termwatch.crawler.registry import load_registry  # noqa: E402
from termwatch.importer import import_archive  # noqa: E402
from termwatch.store import open_database  # noqa: E402


class TimedClassifier:
    """Wraps a classifier and adds up the seconds spent inside it."""

    def __init__(self, classifier: Classifier):
        self.inner = classifier
        self.seconds = 0.0

    def classifier(self) -> Classifier:
        def classify(texts):
            started = time.perf_counter()
            results = list(self.inner.classify(texts))
            self.seconds += time.perf_counter() - started
            return results

        return Classifier(self.inner.model_version, classify)


def median_of(runs: int, measure) -> float:
    return statistics.median(measure() for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, default=PROJECT.parent / "shared" / "corpus")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--model", type=Path, help="model directory (default data/model)")
    parser.add_argument("--without-model", action="store_true")
    options = parser.parse_args()

    if options.without_model:
        model = Classifier("no-labels", lambda texts: ({} for _ in texts))
    else:
        started = time.perf_counter()
        model = load_classifier(options.model)
        print(f"model {model.model_version} loaded in {time.perf_counter() - started:.1f} s")

    with tempfile.TemporaryDirectory() as folder:
        imported = Path(folder) / "imported.db"
        db = open_database(imported)
        sync_registry(db, load_registry())
        started = time.perf_counter()
        import_archive(db, options.archive)
        db.close()
        print(f"import of {options.archive}: {time.perf_counter() - started:.1f} s")

        analysed = Path(folder) / "analysed.db"
        first_runs = []
        for _ in range(options.runs):
            shutil.copy(imported, analysed)
            db = open_database(analysed)
            timed = TimedClassifier(model)
            started = time.perf_counter()
            summary = analyze(db, classifier=timed.classifier())
            first_runs.append((time.perf_counter() - started, timed.seconds))
        total, classifying = sorted(first_runs)[len(first_runs) // 2]  # the median run
        print(
            f"first analysis: {summary.versions} versions, {summary.clauses} clauses, "
            f"{summary.sentences_classified} distinct sentences classified\n"
            f"  {total:.1f} s in all ({summary.versions / total:.0f} versions/s), "
            f"of which {classifying:.1f} s in the classifier "
            f"({summary.sentences_classified / max(classifying, 1e-9):.0f} sentences/s)"
        )

        redo = median_of(options.runs, lambda: _seconds(analyze, db, True, model))
        print(f"analyze --all, same model (nothing to classify): {redo:.1f} s")
        nothing = median_of(3, lambda: _seconds(analyze, db, False, model))
        print(f"analyze with nothing new: {nothing * 1000:.1f} ms")


def _seconds(function, db, redo_all: bool, model: Classifier) -> float:
    started = time.perf_counter()
    function(db, redo_all=redo_all, classifier=model)
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
