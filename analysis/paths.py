"""Where the analysis reads its inputs and keeps its model: one place, anchored at the project.

Paths are resolved from the project root, not from the current directory, so that
``termwatch train``, ``analyze`` and ``eval`` agree on the model wherever they are run from.
Installed from a wheel, the files the project carries are inside the ``termwatch`` package,
laid out the same way (``PROJECT`` is then that package's folder), and the model is kept in
``./data/model``, beside the default database, since an installed package is no place to
write.
What training needs travels with the project (``data/unfair-tos``, ``data/annotations``), so
a fresh clone can build the model. The recorded corpus does not: it sits beside the project
(``../shared/corpus``, or ``$TERMWATCH_CORPUS``), and the annotations, which point into it by
offsets, are only usable where it is.
"""

import os
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
CHECKOUT = (PROJECT / "pyproject.toml").is_file()
DATA = PROJECT / "data"
# The training documents of the UNFAIR-ToS benchmark (CC BY 4.0, see its README).
UNFAIR_TOS = DATA / "unfair-tos"
ANNOTATIONS = DATA / "annotations"
FACT_KEY = DATA / "facts"
MODEL_DIR = DATA / "model" if CHECKOUT else Path("data", "model")
SHARED = PROJECT.parent / "shared"
CORPUS = SHARED / "corpus"
CORPUS_ENV = "TERMWATCH_CORPUS"


def corpus() -> Path:
    """The corpus the annotations point into: ``$TERMWATCH_CORPUS`` if set, else ``CORPUS``."""
    override = os.environ.get(CORPUS_ENV)
    return Path(override) if override else CORPUS
