"""A bounded load test of the site: many clients, every kind of page, crafted addresses too.

Starts ``termwatch serve`` over a database (or uses one already running on loopback), then
sends ``--requests`` requests from ``--clients`` concurrent clients (threads, one keep-alive
connection each) over loopback: the comparison (today and on past dates), history diffs,
version pages with their evidence, canned queries, the feed, table pages, and addresses
crafted to fail (bad ids, control characters, paths out of the site, arbitrary SQL, POST).
Prints the latency median and p95, overall and by kind of page, and the count of each
status; exits 1 when any answer is a 5xx.

    .venv/bin/python benchmarks/site_load.py                       # data/termwatch.db
    .venv/bin/python benchmarks/site_load.py --db /tmp/site.db --requests 50 --clients 4
    .venv/bin/python benchmarks/site_load.py --port 8001           # a serve already running
"""

from __future__ import annotations

import argparse
import http.client
import random
import sqlite3
import statistics
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from pathlib import Path
from urllib.parse import urlsplit

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from termwatch.serve import DATABASE_NAME, load_metadata, serving  # noqa: E402

# Kind of page -> share of the requests.
MIX = {"compare": 15, "history": 20, "version": 15, "canned": 20, "feed": 10, "table": 10}
MIX["crafted"] = 10
CRAFTED = [
    ("GET", "/history/{document}?from=%C2%B2"),
    ("GET", "/history/{document}?to=" + "1" * 23),
    ("GET", "/history/{document}?to=" + "9" * 5000),
    ("GET", "/history/{document}/" + "1" * 23),
    ("GET", "/history/{document}/{version}?fact=nothing"),
    ("GET", "/compare?date=2025-13-45"),
    ("GET", f"/{DATABASE_NAME}/changes_feed.atom?service=%00"),
    ("GET", "/history/../../etc/passwd"),
    ("GET", "/static/termwatch.css/x"),
    ("GET", "/static/../../pyproject.toml"),
    ("GET", f"/{DATABASE_NAME}.json?sql=select+zeroblob(100000000)"),
    ("GET", f"/{DATABASE_NAME}/versions.json?_sort=nothing"),
    ("GET", f"/{DATABASE_NAME}/versions?_search=%22"),
    ("POST", f"/{DATABASE_NAME}/services"),
]
Request = tuple[str, str, str]  # kind, method, path
Answer = tuple[str, str, int, float]  # kind, path, status, milliseconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=PROJECT / "data" / "termwatch.db")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--port", type=int, help="a termwatch serve already running here")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    if not args.db.exists():
        sys.exit(f"no database at {args.db}: build one with `make run`, or pass --db")

    requests = plan(args.db, args.requests, random.Random(args.seed))
    command = [sys.executable, "-m", "termwatch", "--db", str(args.db), "serve"]
    server = serving(command, cwd=PROJECT) if args.port is None else already_serving(args.port)
    with server as base_url:
        began = time.perf_counter()
        answers = run(urlsplit(base_url).port, requests, args.clients)
        elapsed = time.perf_counter() - began
    failures = report(answers, args.clients, elapsed)
    sys.exit(1 if failures else 0)


def already_serving(port: int) -> nullcontext[str]:
    return nullcontext(f"http://127.0.0.1:{port}")


def plan(db_path: Path, count: int, rng: random.Random) -> list[Request]:
    """``count`` requests drawn from every kind of page, in the shares of ``MIX``."""
    pages = pages_of(db_path)
    kinds = rng.choices(list(MIX), weights=list(MIX.values()), k=count)
    return [(kind, *rng.choice(pages[kind])) for kind in kinds]


def pages_of(db_path: Path) -> dict[str, list[tuple[str, str]]]:
    """(method, path) of every kind of page, read from the database's own documents."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    versions = conn.execute(
        "select d.service, d.document_type, group_concat(v.id) from documents d "
        "join versions v on v.document_id = d.id group by d.id having count(*) >= 2"
    ).fetchall()
    services = [row[0] for row in conn.execute("select slug from services")]
    dates = [row[0][:10] for row in conn.execute("select recorded_at from versions limit 200")]
    conn.close()
    if not versions:
        sys.exit(f"{db_path} has no document with two versions: import or crawl first")
    history, version, crafted = [], [], []
    for service, document_type, ids in versions:
        document, ids = f"{service}/{document_type}", ids.split(",")
        history += [f"/history/{document}", f"/history/{document}?from={ids[0]}&to={ids[-1]}"]
        version += [
            f"/history/{document}/{ids[-1]}?fact=liability_cap_kind",
            f"/history/{document}/{ids[0]}",
        ]
        crafted += [
            (method, path.format(document=document, version=ids[-1])) for method, path in CRAFTED
        ]
    queries = load_metadata()["databases"][DATABASE_NAME]["queries"]
    values = {"days": "90", "since": "2025-01-01", "date": "2025-01-01", "q": "train"}
    canned = []
    for name, query in queries.items():
        for service in services[:10]:
            params = "&".join(
                f"{p}={service if p == 'service' else values.get(p, '')}"
                for p in query.get("params", [])
            )
            canned.append(f"/{DATABASE_NAME}/{name}?{params}")
            canned.append(f"/{DATABASE_NAME}/{name}.json?{params}")
    tables = ["versions", "current_facts", "change_log", "current_clauses?_search=liability"]
    get = [
        ("compare", ["/compare", "/compare.json", *(f"/compare?date={d}" for d in dates[:20])]),
        ("history", history),
        ("version", version),
        ("canned", canned),
        ("feed", [f"/{DATABASE_NAME}/changes_feed.atom?service={s}" for s in ["", *services]]),
        ("table", [f"/{DATABASE_NAME}/{table}" for table in tables]),
    ]
    pages = {kind: [("GET", path) for path in paths] for kind, paths in get}
    pages["crafted"] = crafted
    return pages


def run(port: int, requests: list[Request], clients: int) -> list[Answer]:
    """Send ``requests`` from ``clients`` threads sharing one queue."""
    pending = iter(requests)
    lock = threading.Lock()
    answers: list[Answer] = []

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                request = next(pending, None)
            if request is None:
                break
            kind, method, path = request
            began = time.perf_counter()
            try:
                connection.request(method, path)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                status = 599  # the connection failed: counted as a server error
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            with lock:
                answers.append((kind, path, status, (time.perf_counter() - began) * 1000))
        connection.close()

    with ThreadPoolExecutor(clients) as pool:
        for finished in [pool.submit(client) for _ in range(clients)]:
            finished.result()
    return answers


def report(answers: list[Answer], clients: int, elapsed: float) -> int:
    """Print the figures; return the number of addresses that answered a 5xx."""
    statuses = Counter(status for _, _, status, _ in answers)
    server_errors = sorted({path for _, path, status, _ in answers if status >= 500})
    print(
        f"{len(answers)} requests, {clients} clients, {elapsed:.1f} s "
        f"({len(answers) / elapsed:.0f} requests/s)"
    )
    print(f"{'kind':<10} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for kind in [*MIX, "all"]:
        found = [ms for k, _, _, ms in answers if kind in (k, "all")]
        if found:
            print(f"{kind:<10} {len(found):>8} {_p50(found):>8.1f} {_p95(found):>8.1f}")
    print("statuses: " + ", ".join(f"{s} {n}" for s, n in sorted(statuses.items())))
    print(f"5xx: {sum(n for status, n in statuses.items() if status >= 500)}")
    for path in server_errors[:10]:
        print(f"  5xx at {path[:120]}")
    return len(server_errors)


def _p50(values: list[float]) -> float:
    return statistics.median(values)


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


if __name__ == "__main__":
    main()
