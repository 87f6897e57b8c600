"""``termwatch crawl``: fetch the registry's documents now, or replay an archive.

A thin driver around the Scrapy project in ``crawler/``: it checks the options before
anything starts (so a typo is one line, not a traceback in the middle of Scrapy's log),
builds the settings, runs the ``terms`` spider in this process and reads back what the run
recorded. Twisted's reactor cannot be restarted, so ``crawl`` runs once per process; a
program that crawls repeatedly (``termwatch schedule``, the tests) starts a process each time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from termwatch.crawler.addresses import address_problems
from termwatch.crawler.archive import read_archive
from termwatch.crawler.errors import CrawlError
from termwatch.crawler.extract import selector_problems
from termwatch.crawler.items import DocumentItem
from termwatch.crawler.registry import DEFAULT_REGISTRY, Registry, RegistryError, load_registry
from termwatch.crawler.spiders.terms import TermsSpider
from termwatch.store import check_writable, open_database

# Replaying reads a local server: no politeness delay is owed to it.
REPLAY_SETTINGS = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0}


@dataclass
class CrawlReport:
    """What a crawl recorded: its ``runs`` row, and the failed fetches (document, class, error)."""

    run: dict
    failures: list[dict]


def crawl(
    db_path: str | Path,
    sources_path: str | Path = DEFAULT_REGISTRY,
    only: Iterable[str] = (),
    replay: str | Path | None = None,
    as_of: str | None = None,
    settings: Mapping[str, Any] | None = None,
    progress: Callable[[DocumentItem], None] | None = None,
) -> CrawlReport:
    """Crawl the registry (or the documents ``only`` names) into the database at ``db_path``.

    With ``replay``, pages come from that archive's recorded snapshots (the latest, or
    those in force on ``as_of``, YYYY-MM-DD) through a local HTTP server. ``settings``
    override Scrapy settings; ``progress`` is called with each document once recorded.
    """
    only = list(only)
    as_of = check_options(db_path, sources_path, only, replay, as_of, settings)

    crawl_settings = Settings()
    crawl_settings.setmodule("termwatch.crawler.settings", priority="project")
    crawl_settings.update(
        {
            "TERMWATCH_DB": str(db_path),
            "TERMWATCH_SOURCES": str(sources_path),
            "TERMWATCH_REPLAY": str(replay) if replay else None,
            "TERMWATCH_AS_OF": as_of,
            **(REPLAY_SETTINGS if replay else {}),
            **(settings or {}),
        },
        priority="cmdline",
    )
    process = CrawlerProcess(crawl_settings)
    # A robots.txt that cannot be downloaded is logged with a traceback; the page behind
    # it fails the same way and is reported as that document's failure.
    logging.getLogger("scrapy.downloadermiddlewares.robotstxt").setLevel(logging.CRITICAL)
    crawler = process.create_crawler(TermsSpider)
    if progress:
        crawler.signals.connect(
            lambda item: progress(item), signal=signals.item_scraped, weak=False
        )
    process.crawl(crawler, only=only)
    process.start()

    run_id = crawler.stats.get_value("termwatch/run_id")
    if run_id is None:
        raise CrawlError("the crawl stopped before it started recording (see the log above)")
    db = open_database(db_path)
    failures = list(
        db.query(
            "select document_id, error_class, error, url from fetches "
            "where run_id = ? and outcome = 'failed' order by document_id",
            [run_id],
        )
    )
    return CrawlReport(run=db["runs"].get(run_id), failures=failures)


def check_options(
    db_path: str | Path,
    sources_path: str | Path,
    only: Iterable[str],
    replay: str | Path | None,
    as_of: str | None,
    settings: Mapping[str, Any] | None = None,
) -> str | None:
    """Fail now, with a readable error, on what would fail the crawl; return ``as_of``.

    An unknown source name, a selector that is not CSS, an address the crawler refuses, an
    archive that is not one, a date that is not a date, a setting of the wrong type, a
    database path that is not a database or cannot be written.
    """
    check_registry(load_registry(sources_path), list(only), replay=replay is not None)
    as_of = _replay_date(replay, as_of)
    check_settings(settings or {})
    db = open_database(db_path)
    check_writable(db, db_path)
    db.close()
    return as_of


def check_registry(registry: Registry, only: Sequence[str] = (), replay: bool = False) -> None:
    """Raise RegistryError, one line per problem, if the registry would fail a crawl.

    Every selector must be CSS, every URL an address the crawler may fetch; a replay fetches
    from termwatch's own server only, so its addresses are not checked.
    """
    problems = selector_problems(registry, only)
    if not replay:
        problems += address_problems(registry, only)
    if problems:
        raise RegistryError("\n".join(problems))


def check_settings(overrides: Mapping[str, Any]) -> None:
    """Raise CrawlError if a setting given as text is not of the type its default has.

    Scrapy converts ``-s NAME=VALUE`` only when it reads the setting, deep inside the
    crawl: ``DOWNLOAD_TIMEOUT=abc`` would be a traceback from Twisted.
    """
    defaults = Settings()
    defaults.setmodule("termwatch.crawler.settings")
    for name, value in overrides.items():
        default = defaults.get(name)
        if not isinstance(value, str) or default is None:
            continue
        if isinstance(default, bool):
            kind, getter = "true or false", "getbool"
        elif isinstance(default, int | float):
            kind, getter = "a number", "getfloat"
        elif isinstance(default, dict):
            kind, getter = "a JSON object", "getdict"
        else:
            continue
        try:
            getattr(Settings({name: value}), getter)(name)
        except (TypeError, ValueError):
            raise CrawlError(
                f"-s {name}={value}: {name} takes {kind} (its default is {default!r})"
            ) from None


def _replay_date(replay: str | Path | None, as_of: str | None) -> str | None:
    """Check the replay options; return ``as_of`` written YYYY-MM-DD."""
    if replay is not None:
        read_archive(replay)  # ArchiveError if it is not an archive
    if as_of is None:
        return None
    if replay is None:
        raise CrawlError("--as-of needs --replay: only a replayed crawl can be dated")
    try:
        return datetime.strptime(as_of, "%Y-%m-%d").date().isoformat()
    except ValueError:
        raise CrawlError(f"--as-of {as_of!r} is not a date written YYYY-MM-DD") from None
