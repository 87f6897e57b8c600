"""Speed of the clause classifier: sentences per second of the full pipeline (nlp.pipe, batched)
and of spaCy's blank English tokenizer alone on the same sentences, and their ratio.

The sentences are the distinct segments of the latest version of each document of the shared
corpus (what `termwatch analyze` classifies). Medians of several runs.

    .venv/bin/python benchmarks/analysis_speed.py [--runs 3] [--limit 5000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

import spacy  # noqa: E402

from termwatch.analysis.annotations import default_corpus  # noqa: E402
from termwatch.analysis.components import forget_cached  # noqa: E402
from termwatch.analysis.pipeline import classify, load_pipeline  # noqa: E402
from termwatch.analysis.segment import plain_text, segment  # noqa: E402


def corpus_sentences(limit: int) -> list[str]:
    latest: dict[Path, Path] = {}
    for path in sorted(default_corpus().glob("*/*/*.md")):
        latest[path.parent] = path
    seen: dict[str, None] = {}
    for path in latest.values():
        for piece in segment(path.read_text(encoding="utf-8")):
            seen.setdefault(plain_text(piece.text))
    return list(seen)[:limit]


def median_rate(run, sentences: list[str], runs: int, before=lambda: None) -> float:
    timings = []
    for _ in range(runs):
        before()
        started = time.perf_counter()
        run(sentences)
        timings.append(time.perf_counter() - started)
    return len(sentences) / statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--limit", type=int, default=5000)
    arguments = parser.parse_args()
    sentences = corpus_sentences(arguments.limit)
    nlp = load_pipeline()
    blank = spacy.blank("en")
    started = time.perf_counter()
    segmented = sum(
        len(segment(p.read_text())) for p in sorted(default_corpus().glob("*/*/*.md"))[:200]
    )
    segment_time = time.perf_counter() - started

    # Each run starts cold: the rules and the features remember the sentences they have seen.
    def forget() -> None:
        forget_cached(nlp)

    pipeline_rate = median_rate(
        lambda s: list(classify(nlp, s)), sentences, arguments.runs, before=forget
    )
    tokenizer_rate = median_rate(
        lambda s: list(blank.pipe(s, batch_size=256)), sentences, arguments.runs
    )
    print(f"{len(sentences)} distinct corpus sentences, median of {arguments.runs} runs")
    print(f"full pipeline (rules + textcat, classify): {pipeline_rate:,.0f} sentences/s")
    print(f"blank tokenizer alone:                     {tokenizer_rate:,.0f} sentences/s")
    print(f"ratio tokenizer/pipeline:                  {tokenizer_rate / pipeline_rate:.1f}x")
    print(f"segmentation: {segmented / segment_time:,.0f} segments/s (200 corpus files)")
    print(f"31,000 distinct sentences would take ~{31000 / pipeline_rate:.0f} s to classify")


if __name__ == "__main__":
    main()
