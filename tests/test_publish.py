"""Publishing the read-only site: `make site` writes a copy of the database and its table
counts, and `termwatch serve --inspect-file` serves that copy without writing to it."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request

import pytest
from conftest import PROJECT

from termwatch.importer import import_archive


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def test_make_site_publishes_a_copy_that_is_served_immutable(db, make_archive, tmp_path):
    archive = make_archive(
        {"cursor/terms-of-service": {"2025-01-01T00-00-00Z.md": "# Terms\n\nYou own it.\n"}}
    )
    import_archive(db, archive)
    site = tmp_path / "site"
    made = subprocess.run(
        ["make", "--no-print-directory", "site", f"DB={tmp_path / 'termwatch.db'}", f"SITE={site}"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert made.returncode == 0, made.stdout + made.stderr
    published = site / "termwatch.db"
    assert oct(published.stat().st_mode & 0o222) == "0o0"
    assert (site / "inspect.json").exists()
    before = published.stat().st_mtime_ns, published.read_bytes()
    port = free_port()
    server = subprocess.Popen(
        [
            str(PROJECT / ".venv" / "bin" / "termwatch"),
            "--db",
            str(published),
            "serve",
            "--inspect-file",
            str(site / "inspect.json"),
            "--port",
            str(port),
        ],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _attempt in range(100):
            try:
                compare = get(f"{base}/compare")
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"termwatch serve exited: {server.stderr.read()}")
                time.sleep(0.2)
        else:
            pytest.fail("termwatch serve did not answer")
        assert "Compare the terms of AI coding assistants" in compare
        assert "2025-01-01" in get(f"{base}/history/cursor/terms-of-service")
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert (published.stat().st_mtime_ns, published.read_bytes()) == before
