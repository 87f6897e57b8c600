"""The reviewed answer key of facts (``data/facts/*.yml``): what a careful reader finds.

``termwatch eval facts`` scores the fact reader against it, so the key must be right and must
point at exactly the text it was read from. Each entry names one recorded version of the
shared corpus by its file, and gives all twelve facts of ``analysis.facts.FACTS``: the value,
whether the terms state it or it is inferred from what they do say (``basis``), and the
verbatim quote(s) a reader would cite. The quotes are not offsets: they are checked to be
exact substrings of the version text (the corpus file as ``termwatch import-archive`` stores
it, ``crawler.normalize.normalize_markdown``), so a typo or a changed file is caught here
instead of silently scoring against words the document does not contain. One YAML file per
service, a list of entries::

    - file: cursor/terms-of-service/2025-09-18T00-32-27Z.md
      split: train
      facts:
        arbitration: {value: true, basis: stated, evidence: "...binding arbitration..."}
        provider_ip_indemnity: {value: unstated}
        ...

``split`` is ``train`` (rules may be written while reading it) or ``test`` (scored on, never
read while writing rules); it is fixed per service so that two versions of one document never
sit on both sides. ``data/facts/README.md`` holds the reading guidelines.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from termwatch.analysis import paths
from termwatch.analysis.annotations import CORPUS_ENV, default_corpus, read_corpus_text
from termwatch.analysis.facts import CONFLICTING, FACTS, INFERRED, STATED, UNSTATED, FactError
from termwatch.crawler.normalize import normalize_markdown

DEFAULT_DIRECTORY = paths.FACT_KEY
SPLITS = ("train", "test")
BASES = (STATED, INFERRED)


class FactKeyError(Exception):
    """The answer key cannot be read, or an entry does not match the corpus it points into."""


@dataclass(frozen=True)
class KeyedFact:
    """One fact as the key gives it."""

    value: Any
    basis: str | None  # "stated" / "inferred"; None when unstated
    evidence: tuple[str, ...]  # verbatim quotes; empty when unstated, two or more if conflicting

    @property
    def stated(self) -> bool:
        return self.value not in (UNSTATED, [])


@dataclass(frozen=True)
class KeyedDocument:
    """A version of the corpus read end to end, and its facts."""

    file: str  # relative to the corpus root: FOLDER/DATE.md, FOLDER = SERVICE/TYPE[--TRACKER]
    split: str
    facts: dict[str, KeyedFact]
    text: str  # the version text, as termwatch stores it
    where: str  # the key file and entry, for messages

    @property
    def folder(self) -> str:
        return self.file.rsplit("/", 1)[0]

    @property
    def service(self) -> str:
        return self.file.split("/", 1)[0]

    @property
    def document_type(self) -> str:
        return self.folder.split("/", 1)[1]

    @property
    def version_date(self) -> str:
        """The version's UTC time, from the file name (``2025-09-18T00-32-27Z``)."""
        return self.file.rsplit("/", 1)[1].removesuffix(".md")


def load_fact_key(
    directory: Path = DEFAULT_DIRECTORY, corpus: Path | None = None
) -> list[KeyedDocument]:
    """Every entry of ``directory/*.yml`` (files in name order), checked against ``corpus``.

    Raises FactKeyError, naming the key file and entry, for a malformed entry, a missing or
    unknown fact, a value the fact does not allow, a document not in the corpus, a file keyed
    twice, or a quote that is not an exact substring of the version text.
    """
    directory = Path(directory)
    corpus = Path(corpus) if corpus is not None else default_corpus()
    if not directory.is_dir():
        raise FactKeyError(f"{directory}: no such folder (expected *.yml answer-key files)")
    if not corpus.is_dir():
        raise FactKeyError(
            f"{corpus}: no such folder (the shared corpus the key points into; "
            f"pass its path or set {CORPUS_ENV})"
        )
    documents: list[KeyedDocument] = []
    seen: dict[str, str] = {}
    for path in sorted(directory.glob("*.yml")):
        try:
            entries = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as error:
            raise FactKeyError(f"{path}: not valid YAML ({error})") from None
        if not isinstance(entries, list):
            raise FactKeyError(f"{path}: expected a list of entries")
        for number, entry in enumerate(entries, 1):
            document = _read_entry(entry, corpus, f"{path} entry {number}")
            if document.file in seen:
                raise FactKeyError(
                    f"{document.where}: {document.file} already keyed in {seen[document.file]}"
                )
            seen[document.file] = document.where
            documents.append(document)
    return documents


def _read_entry(entry: Any, corpus: Path, where: str) -> KeyedDocument:
    if not isinstance(entry, dict) or not {"file", "split", "facts"} <= entry.keys():
        raise FactKeyError(f"{where}: an entry needs file, split and facts")
    file, split, facts = entry["file"], entry["split"], entry["facts"]
    where = f"{where} ({file})"
    if split not in SPLITS:
        raise FactKeyError(f"{where}: split {split!r} is not one of {SPLITS}")
    path = corpus / str(file)
    if not str(file).endswith(".md") or not path.is_file():
        raise FactKeyError(f"{where}: unknown document: {file} is not a version file of {corpus}")
    if not isinstance(facts, dict):
        raise FactKeyError(f"{where}: facts must map each fact name to its value")
    unknown = sorted(set(facts) - set(FACTS))
    if unknown:
        raise FactKeyError(f"{where}: unknown fact(s) {', '.join(unknown)}")
    missing = [name for name in FACTS if name not in facts]
    if missing:
        raise FactKeyError(f"{where}: missing fact(s) {', '.join(missing)} (key all twelve)")
    text = normalize_markdown(read_corpus_text(path))
    keyed = {name: _read_fact(name, facts[name], text, f"{where} {name}") for name in FACTS}
    return KeyedDocument(file=file, split=split, facts=keyed, text=text, where=where)


def _read_fact(name: str, raw: Any, text: str, where: str) -> KeyedFact:
    if not isinstance(raw, dict) or "value" not in raw:
        raise FactKeyError(f"{where}: expected {{value: ..., basis: ..., evidence: ...}}")
    value, basis, evidence = raw["value"], raw.get("basis"), raw.get("evidence")
    unstated = FACTS[name].unstated
    if value in (UNSTATED, unstated):
        if evidence or basis:
            raise FactKeyError(f"{where}: an unstated fact has no evidence and no basis")
        return KeyedFact(unstated, None, ())
    _check_value(name, value, where)
    if basis not in BASES:
        raise FactKeyError(f"{where}: basis {basis!r} is not one of {BASES}")
    quotes = evidence if isinstance(evidence, list) else [evidence]
    if not quotes or not all(isinstance(quote, str) and quote.strip() for quote in quotes):
        raise FactKeyError(f"{where}: a stated fact needs its verbatim quote as evidence")
    if value == CONFLICTING and len(quotes) < 2:
        raise FactKeyError(f"{where}: a conflicting fact quotes both clauses (a list of two)")
    for quote in quotes:
        if quote not in text:
            raise FactKeyError(
                f"{where}: quote not in the version text (a typo, or another version?): "
                f"{quote[:80]!r}"
            )
    return KeyedFact(value, basis, tuple(quotes))


def _check_value(name: str, value: Any, where: str) -> None:
    """A value the fact declares (``analysis.facts``: its choices, or its open wording)."""
    if value == CONFLICTING:
        return
    amounts = name == "liability_cap_amounts"
    if amounts and not (isinstance(value, list) and all(isinstance(a, str) for a in value)):
        raise FactKeyError(f"{where}: unknown value {value!r} (amounts are a list of strings)")
    try:
        FACTS[name].value(value)
    except FactError as error:
        raise FactKeyError(f"{where}: unknown value {value!r} ({error})") from None
