"""Publishing the read-only site: `make site` writes a copy of the database and its table
counts, and `termwatch serve --inspect-file` serves that copy without writing to it."""

from __future__ import annotations

import subprocess

from conftest import PROJECT
from serve_support import get, serving

from termwatch.importer import import_archive


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
    termwatch = str(PROJECT / ".venv" / "bin" / "termwatch")
    command = [
        termwatch,
        "--db",
        str(published),
        "serve",
        "--inspect-file",
        str(site / "inspect.json"),
    ]
    with serving(command, cwd=tmp_path) as base:
        assert "Compare the terms of AI coding assistants" in get(f"{base}/compare")
        assert "2025-01-01" in get(f"{base}/history/cursor/terms-of-service")
    assert (published.stat().st_mtime_ns, published.read_bytes()) == before
