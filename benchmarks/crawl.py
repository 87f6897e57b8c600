"""How long a replayed crawl of the whole corpus takes, against a bare Scrapy fetch.

    .venv/bin/python benchmarks/crawl.py [--archive ../shared/corpus] [--runs 3]

Three timings, each the median of ``--runs`` runs, each run a fresh process (Twisted's
reactor starts once per process), all against the same replay server
(``crawler.replay.ReplayServer``) with the same Scrapy settings:

- ``termwatch crawl --replay ARCHIVE`` into an empty temporary database (every document
  that succeeds is a new version);
- the same crawl again into that database (every document unchanged);
- a bare fetch: a minimal spider that downloads the same registry URLs and does nothing
  else (no extraction, no database).

The ratio crawl / bare fetch is the cost of extraction and recording on top of Scrapy.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
TERMWATCH = str(Path(sys.executable).with_name("termwatch"))


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=PROJECT, capture_output=True, check=False)
    return time.perf_counter() - started


def crawl_times(archive: Path) -> tuple[float, float]:
    """A crawl into a new database, then a second one that finds nothing new."""
    with tempfile.TemporaryDirectory() as folder:
        command = [TERMWATCH, "--db", f"{folder}/bench.db", "crawl", "--replay", str(archive)]
        return timed(command), timed(command)


def bare_fetch_time(archive: Path) -> float:
    return timed([sys.executable, __file__, "--bare-fetch", "--archive", str(archive)])


def bare_fetch(archive: Path) -> None:
    """Download every registry URL through the replay server, and nothing more."""
    from scrapy import Request, Spider
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    from termwatch.crawl import REPLAY_SETTINGS
    from termwatch.crawler.registry import load_registry

    urls = [
        str(source.url)
        for _service, document in load_registry().documents()
        for source in document.sources
    ]

    class BareFetch(Spider):
        name = "bare-fetch"

        async def start(self):
            for url in urls:
                yield Request(url, callback=self.parse, errback=self.failed, dont_filter=True)

        def parse(self, response):
            return None

        def failed(self, failure):
            return None

    settings = Settings()
    settings.setmodule("termwatch.crawler.settings", priority="project")
    settings.update(
        {
            **REPLAY_SETTINGS,
            "TERMWATCH_REPLAY": str(archive),
            "ITEM_PIPELINES": {},
            "HTTPCACHE_ENABLED": False,  # no database: conditional requests read it
            "LOG_LEVEL": "ERROR",
        },
        priority="cmdline",
    )
    process = CrawlerProcess(settings)
    process.crawl(BareFetch)
    process.start()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--archive", type=Path, default=PROJECT.parent / "shared" / "corpus")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--bare-fetch", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_fetch:
        bare_fetch(args.archive)
        return

    crawls, recrawls, bares = [], [], []
    for run in range(1, args.runs + 1):
        first, again = crawl_times(args.archive)
        crawls.append(first)
        recrawls.append(again)
        bares.append(bare_fetch_time(args.archive))
        print(
            f"run {run}: crawl {first:.2f} s, re-crawl {again:.2f} s, bare fetch {bares[-1]:.2f} s",
            file=sys.stderr,
        )
    crawl, recrawl, bare = (statistics.median(t) for t in (crawls, recrawls, bares))
    print(f"Replayed crawl of {args.archive} (median of {args.runs} runs, process start included)")
    print(f"  termwatch crawl, new database   {crawl:6.2f} s   {crawl / bare:4.2f} x bare fetch")
    print(
        f"  termwatch crawl, nothing new    {recrawl:6.2f} s   {recrawl / bare:4.2f} x bare fetch"
    )
    print(f"  bare Scrapy fetch, same URLs    {bare:6.2f} s")


if __name__ == "__main__":
    main()
