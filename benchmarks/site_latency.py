"""Latency of the site's JSON API, next to plain Datasette serving the same rows.

Starts ``termwatch serve`` and, in the same run, a bare ``datasette serve`` of a database
holding the very rows the canned queries return, as simple tables (the floor: what
Datasette costs for those rows with no query work at all). Then, over loopback, requests
each URL with one client and with 8 concurrent clients (threads, one keep-alive connection
each) and prints the median and p95 latency of each, and the ratio to the floor.

    .venv/bin/python benchmarks/site_latency.py                 # imports ../shared/corpus first
    .venv/bin/python benchmarks/site_latency.py --db /tmp/site.db --runs 3 --requests 400

Targets: serial median under 10 ms; with 8 clients, within 1.5x of the floor.
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import sqlite_utils

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from termwatch.serve import (  # noqa: E402
    DATABASE_NAME,
    load_metadata,
    prepare_database,
    serving,
)

CANNED = ("comparison", "liability_caps")
Target = tuple[str, int, str, str | None]  # label, port, path, label of its floor
Results = dict[tuple[str, int], list[tuple[float, float]]]  # (median, p95) of each run
SERIAL_TARGET_MS = 10.0
LOAD_TARGET_RATIO = 1.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="termwatch database (default: import the corpus)")
    parser.add_argument("--corpus", type=Path, default=PROJECT.parent / "shared" / "corpus")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--requests", type=int, default=400, help="requests per measurement")
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db_path = args.db or _import_corpus(Path(tmp) / "termwatch.db", args.corpus)
        prepare_database(db_path)
        plain_path = Path(tmp) / "plain.db"
        _copy_canned_rows(db_path, plain_path)
        ours_command = [sys.executable, "-m", "termwatch", "--db", str(db_path), "serve"]
        plain_command = [sys.executable, "-m", "datasette", "serve", str(plain_path)]
        with (
            serving(ours_command, cwd=PROJECT) as ours,
            serving(plain_command, cwd=PROJECT) as plain,
        ):
            targets = _targets(_port(ours), _port(plain))
            _report(targets, _measure(targets, args), args.clients)


def _port(base_url: str) -> int:
    return urlsplit(base_url).port


def _import_corpus(path: Path, corpus: Path) -> Path:
    print(f"Importing {corpus} into {path} (about 30 s)...", file=sys.stderr)
    subprocess.run(
        [sys.executable, "-m", "termwatch", "--db", str(path), "import-archive", str(corpus)],
        cwd=PROJECT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return path


def _copy_canned_rows(db_path: Path, plain_path: Path) -> None:
    """Each canned query's rows, as a plain table of the same name in another database."""
    queries = load_metadata()["databases"][DATABASE_NAME]["queries"]
    source, plain = sqlite_utils.Database(db_path), sqlite_utils.Database(plain_path)
    for name in CANNED:
        rows = list(source.query(queries[name]["sql"]))
        plain[name].insert_all(rows)
        print(f"{name}: {len(rows)} rows", file=sys.stderr)


def _latencies(port: int, path: str, clients: int, requests: int) -> list[float]:
    """Milliseconds per request, ``clients`` keep-alive connections sharing ``requests``."""
    per_client = max(1, requests // clients)
    found: list[float] = []
    lock = threading.Lock()
    start = threading.Barrier(clients)

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port)
        mine = []
        start.wait()
        for _ in range(per_client):
            began = time.perf_counter()
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            mine.append((time.perf_counter() - began) * 1000)
            if response.status != 200:
                raise RuntimeError(f"{path}: HTTP {response.status}")
        connection.close()
        with lock:
            found.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return found


def _targets(ours: int, plain: int) -> list[Target]:
    targets = []
    for name in CANNED:
        floor = f"{name}: plain table, same rows"
        targets.append((floor, plain, f"/plain/{name}.json?_shape=array&_size=max", None))
        canned = f"/termwatch/{name}.json?_shape=array"
        targets.append((f"{name}: canned query", ours, canned, floor))
    targets.append(("/compare.json: matrix computed per request", ours, "/compare.json", None))
    return targets


def _measure(targets: list[Target], args) -> Results:
    """For each target and client count, (median, p95) of every run."""
    for _label, port, path, _floor in targets:  # warm up caches and connections
        _latencies(port, path, 1, 20)
    results: dict[tuple[str, int], list[tuple[float, float]]] = {}
    for run in range(args.runs):
        print(f"run {run + 1}/{args.runs}", file=sys.stderr)
        for label, port, path, _floor in targets:
            for clients in (1, args.clients):
                latencies = _latencies(port, path, clients, args.requests)
                p95 = statistics.quantiles(latencies, n=20)[-1]
                results.setdefault((label, clients), []).append((statistics.median(latencies), p95))
    return results


def _report(targets: list[Target], results: Results, load_clients: int) -> None:
    print(f"\n{'':52} {'clients':>7} {'median ms':>10} {'p95 ms':>8} {'x floor':>8}")
    verdicts = []
    for label, _port, _path, floor in targets:
        for clients in (1, load_clients):
            median = statistics.median(m for m, _ in results[(label, clients)])
            p95 = statistics.median(p for _, p in results[(label, clients)])
            ratio = ""
            if floor:
                floor_median = statistics.median(m for m, _ in results[(floor, clients)])
                ratio = f"{median / floor_median:.2f}"
                if clients == 1:
                    verdicts.append(
                        f"{label}, serial median {median:.1f} ms "
                        f"(target < {SERIAL_TARGET_MS:g} ms): "
                        + ("OK" if median < SERIAL_TARGET_MS else "MISSED")
                    )
                else:
                    verdicts.append(
                        f"{label}, {clients} clients: {ratio}x the floor "
                        f"(target <= {LOAD_TARGET_RATIO}x): "
                        + ("OK" if median <= LOAD_TARGET_RATIO * floor_median else "MISSED")
                    )
            print(f"{label:52} {clients:>7} {median:>10.1f} {p95:>8.1f} {ratio:>8}")
    print()
    for verdict in verdicts:
        print(verdict)


if __name__ == "__main__":
    main()
