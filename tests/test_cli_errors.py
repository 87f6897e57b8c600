"""Bad input to the command line is one line on stderr and a non-zero exit, never a traceback.

A read-only database (crawl, refresh), a database damaged mid-file (status), a Scrapy
setting of the wrong type. (Registries and archives: test_registry.py, test_import_archive.py.)
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from termwatch.cli import cli
from termwatch.store import open_database
from termwatch.store.recorder import finish_run, start_run

REGISTRY = Path(__file__).resolve().parent.parent / "data" / "sources.yml"


def termwatch(db: Path, *args: str):
    result = CliRunner().invoke(cli, ["--db", str(db), "--sources", str(REGISTRY), *args])
    assert "Traceback" not in result.output
    return result


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Make ``path`` read-only, even for root (who ignores file modes): immutable, then."""
    if os.geteuid() == 0:
        if not shutil.which("chattr"):
            pytest.skip("running as root without chattr: cannot make a file read-only")
        subprocess.run(["chattr", "+i", str(path)], check=True)
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        path.chmod(0o444)
        try:
            yield
        finally:
            path.chmod(0o644)


@pytest.fixture
def database(tmp_path) -> Path:
    """A database with a few runs recorded."""
    path = tmp_path / "termwatch.db"
    db = open_database(path)
    for _ in range(50):
        finish_run(db, start_run(db, "crawl"), status="completed", summary="x" * 300)
    db.close()
    return path


@pytest.mark.parametrize("command", [["crawl", "--source", "cursor"], ["refresh"]])
def test_a_read_only_database_is_said_before_anything_is_fetched(database, command):
    with read_only(database):
        result = termwatch(database, *command)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: the database {database} is read-only (file permissions, a read-only mount, or "
        "a published copy?): this command records into it; use a writable copy with --db"
    ]


def test_a_database_damaged_mid_file_is_one_line(database):
    db = open_database(database)
    [root] = db.execute("select rootpage from sqlite_master where name = 'runs'").fetchone()
    [page_size] = db.execute("pragma page_size").fetchone()
    db.close()
    with database.open("r+b") as file:  # the runs table's first page: the schema is intact
        file.seek((root - 1) * page_size)
        file.write(b"\xff" * page_size)
    result = termwatch(database, "status")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: the database {database} is damaged (database disk image is malformed): "
        f"restore a copy, or try `sqlite3 {database} .recover` to save what can be read"
    ]


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("DOWNLOAD_TIMEOUT=abc", "DOWNLOAD_TIMEOUT takes a number (its default is 30)"),
        ("ROBOTSTXT_OBEY=maybe", "ROBOTSTXT_OBEY takes true or false (its default is True)"),
    ],
)
def test_a_setting_of_the_wrong_type_is_one_line(tmp_path, setting, expected):
    result = termwatch(tmp_path / "t.db", "crawl", "--source", "cursor", "-s", setting)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"Error: -s {setting}: {expected}"]
    assert not (tmp_path / "t.db").exists()  # checked before anything starts
