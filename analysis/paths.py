"""Where the analysis reads its inputs and keeps its model: one place, anchored at the project.

Paths are resolved from the project root, not from the current directory, so that
``termwatch train``, ``analyze`` and ``eval`` agree on the model wherever they are run from.
The shared data sits beside the project (``../shared``), the documented default for offline
machines; each command takes an option to point elsewhere.
"""

from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
SHARED = PROJECT.parent / "shared"
CORPUS = SHARED / "corpus"
UNFAIR_TOS = SHARED / "benchmarks" / "unfair-tos"
ANNOTATIONS = PROJECT / "data" / "annotations"
FACT_KEY = PROJECT / "data" / "facts"
MODEL_DIR = PROJECT / "data" / "model"
