"""Helper for writing ``data/annotations/*.jsonl``: list a corpus file's sentences, record labels.

    .venv/bin/python scripts/annotate.py show cursor/terms-of-service/2025-09-18T00-32-27Z.md
    .venv/bin/python scripts/annotate.py show FILE --grep 'train|indemn'   # only matching ones
    .venv/bin/python scripts/annotate.py add FILE test '12:training 14: 20:ltd,warranty'

``show`` numbers the sentences of a file, cut by ``analysis.segment`` exactly as
``termwatch analyze`` cuts them. ``--grep`` only finds candidates: the labels are
decided by reading each sentence. ``add`` appends the chosen sentences to
``data/annotations/SERVICE.jsonl`` (``N:`` with no label records a negative), fingerprinted
with the corpus text; a span already recorded is refused, so re-running is safe.
"""

from __future__ import annotations

import json
import re
import sys

import click

from termwatch.analysis.annotations import (
    DEFAULT_DIRECTORY,
    AnnotationError,
    default_corpus,
    read_corpus_text,
    span_sha1,
)
from termwatch.analysis.segment import segment
from termwatch.analysis.taxonomy import CODES


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the clauses of a Markdown text, as ``termwatch analyze`` cuts them.

    Using the analysis's own segmenter keeps annotated spans and analysed clauses aligned.
    """
    return [(clause.start, clause.end) for clause in segment(text)]


@click.group()
def cli():
    """Write the AI-assistant annotations (see data/annotations/README.md)."""


@cli.command()
@click.argument("file")
@click.option("--grep", "pattern", help="Only sentences matching this regex (case-insensitive).")
@click.option("--width", default=0, help="Cut each sentence to this many characters (0: whole).")
def show(file: str, pattern: str | None, width: int):
    """Number the sentences of FILE (relative to the corpus root); * marks those recorded."""
    text = read_corpus_text(default_corpus() / file)
    recorded = _recorded_spans(file)
    regex = re.compile(pattern, re.IGNORECASE) if pattern else None
    for number, (start, end) in enumerate(sentences(text)):
        sentence = text[start:end]
        if regex and not regex.search(sentence):
            continue
        mark = "*" if (start, end) in recorded else " "
        shown = sentence[:width] + "…" if width and len(sentence) > width else sentence
        click.echo(f"{mark}{number:4d} {shown}")


@cli.command()
@click.argument("file")
@click.argument("split", type=click.Choice(["train", "test"]))
@click.argument("choices")
def add(file: str, split: str, choices: str):
    """Record sentences of FILE: CHOICES is 'N:label,label N: ...' (numbers from show)."""
    text = read_corpus_text(default_corpus() / file)
    spans = sentences(text)
    recorded = _recorded_spans(file)
    output = DEFAULT_DIRECTORY / f"{file.split('/', 1)[0]}.jsonl"
    records = []
    for choice in choices.split():
        number, _, labels = choice.partition(":")
        codes = [code for code in labels.split(",") if code]
        unknown = [code for code in codes if code not in CODES]
        if unknown:
            raise click.ClickException(f"{choice}: unknown label(s) {', '.join(unknown)}")
        start, end = spans[int(number)]
        if (start, end) in recorded:
            click.echo(f"skipped {number}: already recorded", err=True)
            continue
        recorded.add((start, end))
        sha1 = span_sha1(text[start:end])
        records.append(
            {
                "file": file,
                "start": start,
                "end": end,
                "labels": codes,
                "split": split,
                "sha1": sha1,
            }
        )
    with output.open("a", encoding="utf-8") as stream:
        for record in records:
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    click.echo(f"{len(records)} record(s) added to {output}", err=True)


def _recorded_spans(file: str) -> set[tuple[int, int]]:
    path = DEFAULT_DIRECTORY / f"{file.split('/', 1)[0]}.jsonl"
    if not path.exists():
        return set()
    spans = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["file"] == file:
            spans.add((record["start"], record["end"]))
    return spans


if __name__ == "__main__":
    try:
        cli()
    except AnnotationError as error:
        sys.exit(f"Error: {error}")
