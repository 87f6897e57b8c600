"""A small run of the load test (``benchmarks/site_load.py``): every kind of page, no 5xx."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from site_sample import build_sample_site

PROJECT = Path(__file__).resolve().parent.parent


def test_a_small_load_gets_no_server_error(tmp_path):
    path = tmp_path / "sample.db"
    build_sample_site(path)
    run = subprocess.run(
        [sys.executable, "benchmarks/site_load.py", "--db", str(path)]
        + ["--requests", "60", "--clients", "4"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "60 requests, 4 clients" in run.stdout
    assert "\n5xx: 0\n" in run.stdout
    statuses = next(line for line in run.stdout.splitlines() if line.startswith("statuses:"))
    assert "200 " in statuses and "400 " in statuses  # pages answered, crafted ones refused
