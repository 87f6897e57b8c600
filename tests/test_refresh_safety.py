"""Refreshes never overlap, and a killed refresh loses nothing and half-writes nothing."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from refresh_support import TermsSite, run_refresh, start_refresh, terms_page, write_registry

from termwatch.schedule import refresh_lock

SERVICES = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"]


def page(service: str, version: str = "A") -> str:
    """The service's terms; any version after A adds a clause (a change in the feed, not a
    typo fixed)."""
    added = "" if version == "A" else "<p>Fees are due within 30 days of the invoice.</p>"
    return terms_page(
        f"<h2>1. Use</h2><p>{service.title()} terms, version {version}. You must follow them.</p>"
        "<h2>2. Liability</h2><p>Our total liability to you is limited to USD 100.</p>"
        "<h2>3. Termination</h2><p>We may terminate your account at any time for any reason.</p>"
        f"{added}"
    )


@pytest.fixture
def site():
    site = TermsSite()
    for service in SERVICES:
        site.pages[f"/{service}/terms"] = page(service)
    yield site
    site.close()


@pytest.fixture
def paths(site, tmp_path):
    registry = write_registry(tmp_path / "sources.yml", site, {s: f"/{s}/terms" for s in SERVICES})
    return tmp_path / "termwatch.db", registry


def count(db_path, sql: str) -> int:
    """A count read the way another process would, without disturbing the writer."""
    if not db_path.exists():
        return 0
    connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10)
    try:
        return connection.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:  # the schema is not created yet
        return 0
    finally:
        connection.close()


def wait_for(condition, child: subprocess.Popen, deadline: float = 120) -> None:
    """Wait until ``condition()`` holds, failing if the child ended first."""
    stop = time.monotonic() + deadline
    while not condition():
        if child.poll() is not None:
            raise AssertionError(f"the refresh ended first: {child.communicate()[1]}")
        if time.monotonic() > stop:
            raise AssertionError("the refresh never got there")
        time.sleep(0.05)


def cli_refresh(db_path, registry) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "termwatch", "--db", str(db_path), "--sources", str(registry)]
        + ["refresh"],
        capture_output=True,
        text=True,
    )


def assert_consistent(db_path) -> None:
    """What a crash must never leave behind."""
    db = sqlite3.connect(db_path)
    assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert db.execute("pragma foreign_key_check").fetchall() == []
    # Every version came with its fetch, in the same transaction.
    assert not db.execute(
        "select id from versions where id not in (select version_id from fetches "
        "where version_id is not null)"
    ).fetchall()
    # A version is either fully analysed (clauses, facts, analyses row) or not at all.
    assert not db.execute(
        "select distinct version_id from clauses where version_id not in "
        "(select version_id from analyses)"
    ).fetchall()
    assert not db.execute(
        "select version_id from analyses where clauses > 0 and version_id not in "
        "(select version_id from clauses)"
    ).fetchall()
    # The changes of a pair of versions are all there (with their headline) or absent.
    assert not db.execute(
        "select new_version_id from changes group by new_version_id having sum(kind = 'text') != 1"
    ).fetchall()
    db.close()


def test_a_refresh_refuses_to_start_while_another_holds_the_lock(paths):
    db_path, registry = paths
    with refresh_lock(db_path):
        refused = cli_refresh(db_path, registry)

    assert refused.returncode == 1
    assert f"Error: another refresh of {db_path} is running" in refused.stderr
    assert not db_path.exists()  # it stopped before touching the database


def test_of_two_concurrent_refreshes_the_second_exits_at_once(site, paths):
    db_path, registry = paths
    site.delay = 0.5
    first = start_refresh(db_path, registry)
    wait_for(lambda: count(db_path, "select count(*) from runs") == 1, first)

    second = cli_refresh(db_path, registry)
    first_out, first_err = first.communicate(timeout=120)

    assert second.returncode == 1
    assert "another refresh" in second.stderr and "is running" in second.stderr
    assert first.returncode == 0, first_err
    assert count(db_path, "select count(*) from runs") == 1
    assert count(db_path, "select count(*) from versions") == len(SERVICES)


def test_a_refresh_killed_mid_crawl_loses_nothing_and_the_next_one_finishes(site, paths):
    db_path, registry = paths
    site.delay = 0.5
    child = start_refresh(db_path, registry)
    wait_for(lambda: count(db_path, "select count(*) from fetches") >= 2, child)

    child.send_signal(signal.SIGKILL)
    child.wait()

    recorded = count(db_path, "select count(*) from versions")
    assert 2 <= recorded < len(SERVICES)  # killed midway
    assert_consistent(db_path)

    site.delay = 0
    report = run_refresh(db_path, registry)

    assert report["run"]["status"] == "completed"
    assert_consistent(db_path)
    assert count(db_path, "select count(distinct document_id) from versions") == len(SERVICES)
    assert count(db_path, "select count(*) from versions") == len(SERVICES)  # none twice
    assert (
        count(
            db_path,
            "select count(*) from versions where id not in (select version_id from analyses)",
        )
        == 0
    )
    assert count(db_path, "select count(*) from runs where status = 'interrupted'") == 1


def test_a_refresh_killed_during_analysis_is_completed_by_the_next_one(site, paths):
    db_path, registry = paths
    run_refresh(db_path, registry)
    for service in SERVICES:
        site.pages[f"/{service}/terms"] = page(service, version="B")
    child = start_refresh(db_path, registry, classify_delay=1.0)
    # Crawled, so analysing (slowly): kill it there.
    wait_for(lambda: count(db_path, "select count(*) from fetches") == 2 * len(SERVICES), child)
    time.sleep(0.5)

    child.send_signal(signal.SIGKILL)
    child.wait()

    assert_consistent(db_path)
    assert count(db_path, "select count(*) from versions") == 2 * len(SERVICES)

    report = run_refresh(db_path, registry)

    assert_consistent(db_path)
    assert report["analysed"] >= 1
    assert report["pairs"] == len(SERVICES)
    assert len(report["changed"]) == len(SERVICES)
