"""How many UNFAIR-ToS clauses of a kind the fact readers read: their coverage on wordings
nobody wrote a fact rule from.

The fact key (``data/facts``) scores whole documents of AI assistants; these 40 consumer
terms (the UNFAIR-ToS training part in ``data/unfair-tos``, never its held-out documents) are
a second, independent source of wordings. Each sentence tagged with a category is a clause
a fact reader should often read: an ``a`` (arbitration) sentence is usually about whether
disputes go to arbitration, a ``law`` one names a governing law, a ``ch`` one says how
changes are announced, an ``ltd`` one limits liability. UNFAIR-ToS tags neither warranty
disclaimers nor indemnities, so for those facts the sentences probed are the ones that name
the topic in its own words (``WORDS_OF_FACT``: "warranty", "as is", "indemnify", "hold ...
harmless"), which a reader of the fact should look at. Not every tagged sentence states
the fact (an ``ltd`` sentence about third-party links states no cap), so coverage compares
two readers; it is not an accuracy. ``--missed FACT`` prints the tagged sentences a reader
leaves unread, to read them, and ``--extra FACT`` the untagged ones it reads, to check that
they really state it.

    .venv/bin/python benchmarks/fact_coverage.py [--missed FACT | --extra FACT]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from termwatch.analysis import paths  # noqa: E402
from termwatch.analysis.facts import FACTS  # noqa: E402
from termwatch.analysis.facts.engine import Clause, Document, states_nothing  # noqa: E402
from termwatch.analysis.unfair_tos import training_documents  # noqa: E402

# The UNFAIR-ToS category whose sentences state each fact, for the facts that have one.
CATEGORY_OF_FACT = {
    "arbitration": "a",
    "class_action_waiver": "a",
    "governing_law": "law",
    "change_notice_days": "ch",
    "liability_cap_kind": "ltd",
    "consequential_damages_excluded": "ltd",
}


# For the facts UNFAIR-ToS has no category of, the words that name the topic: a sentence that
# says "warranty" or "as is" is one a warranty reader should look at (many state nothing:
# "you represent and warrant", "warranty disclaimers survive termination").
WORDS_OF_FACT = {
    "warranties_disclaimed": re.compile(
        r"\bwarrant(?:y|ies)\b|\bas[\s-]+is\b|\bas[\s-]+available\b|\bwith\s+all\s+faults\b",
        re.IGNORECASE,
    ),
    "user_indemnifies_provider": re.compile(
        r"\bindemnif\w*|\bhold\s+(?:\w+\s+){1,3}?harmless\b", re.IGNORECASE
    ),
}
PROBED = sorted([*CATEGORY_OF_FACT, *WORDS_OF_FACT])


def readings(fact_name: str) -> list[tuple[bool, object, str]]:
    """(tagged, value read or None, sentence) for every sentence of every training document;
    for a fact with no category, "tagged" means "names the topic" (``WORDS_OF_FACT``)."""
    fact = FACTS[fact_name]
    category = CATEGORY_OF_FACT.get(fact_name)
    words = WORDS_OF_FACT.get(fact_name)
    found = []
    for benchmark_document in training_documents(paths.UNFAIR_TOS):
        clauses = [Clause(s.text, labels=s.labels) for s in benchmark_document.sentences]
        document = Document(clauses)
        for sentence, clause in zip(benchmark_document.sentences, clauses, strict=True):
            reading = None if states_nothing(clause.plain) else fact.read(clause, document)
            value = None if reading is None else reading.value
            tagged = category in sentence.labels if category else bool(words.search(clause.plain))
            found.append((tagged, value, sentence.text))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    show = parser.add_mutually_exclusive_group()
    show.add_argument("--missed", choices=PROBED, metavar="FACT")
    show.add_argument("--extra", choices=PROBED, metavar="FACT")
    arguments = parser.parse_args()
    if arguments.missed or arguments.extra:
        wanted_tagged = bool(arguments.missed)
        for tagged, value, text in readings(arguments.missed or arguments.extra):
            if tagged == wanted_tagged and (value is None) == wanted_tagged:
                print(f"{'' if value is None else f'[{value}] '}{text}")
        return
    print(f"{'fact':<32}{'category':>9}{'tagged':>8}{'read':>8}{'share':>8}{'untagged read':>15}")
    for name in [*CATEGORY_OF_FACT, *WORDS_OF_FACT]:
        category = CATEGORY_OF_FACT.get(name, "words")
        found = readings(name)
        tagged = [value for is_tagged, value, _ in found if is_tagged]
        read = [value for value in tagged if value is not None]
        extra = sum(1 for is_tagged, value, _ in found if not is_tagged and value is not None)
        values = Counter(str(value) for value in read).most_common(3)
        print(
            f"{name:<32}{category:>9}{len(tagged):>8}{len(read):>8}"
            f"{len(read) / max(len(tagged), 1) * 100:>7.1f}%{extra:>15}   "
            + ", ".join(f"{value} {count}" for value, count in values)
        )
    print(
        "Sentences of the UNFAIR-ToS training documents (data/unfair-tos), each read alone; "
        "'read' counts the tagged ones given a value ('words': the sentences naming the topic)."
    )


if __name__ == "__main__":
    main()
