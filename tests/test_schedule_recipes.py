"""The recipes in deploy/ (cron, systemd timer, GitHub Actions) are valid and their command works.

Each recipe refreshes an installation in /opt/termwatch. The tests read each file as its
tool would, then run the very command it holds in a stand-in installation: a folder with
the project's virtualenv, a registry of a local site and a database already holding that
site's terms, so the scheduled refresh finds them unchanged.
"""

from __future__ import annotations

import configparser
import re
import shlex
import shutil
import sqlite3
import subprocess

import pytest
import yaml
from conftest import PROJECT
from refresh_support import TermsSite, run_refresh, terms_page, write_registry

DEPLOY = PROJECT / "deploy"
INSTALLED = "/opt/termwatch"
CRON_FIELD = re.compile(r"^(\*|\d+(-\d+)?)(/\d+)?(,(\d+(-\d+)?)(/\d+)?)*$")


@pytest.fixture(scope="module")
def installation(tmp_path_factory):
    """A stand-in for /opt/termwatch whose database already holds the site's terms."""
    root = tmp_path_factory.mktemp("opt-termwatch")
    site = TermsSite()
    site.pages["/terms"] = terms_page("<p>" + "You may use the Service as agreed. " * 20 + "</p>")
    (root / "data").mkdir()
    (root / ".venv").symlink_to(PROJECT / ".venv")
    registry = write_registry(root / "data" / "sources.yml", site, {"acme": "/terms"})
    run_refresh(root / "data" / "termwatch.db", registry)
    yield root
    site.close()


def refresh_runs(root) -> int:
    db = sqlite3.connect(root / "data" / "termwatch.db")
    try:
        return db.execute("select count(*) from runs where status = 'completed'").fetchone()[0]
    finally:
        db.close()


def run_installed(command: str, root, **options) -> subprocess.CompletedProcess:
    """Run a recipe's command with /opt/termwatch standing for the stand-in installation."""
    return subprocess.run(
        command.replace(INSTALLED, str(root)),
        shell=True,
        capture_output=True,
        text=True,
        timeout=300,
        **options,
    )


def test_the_cron_line_is_valid_and_refreshes(installation):
    [line] = [
        line
        for line in (DEPLOY / "termwatch-refresh.cron").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    *fields, command = line.split(None, 5)
    assert len(fields) == 5 and all(CRON_FIELD.match(field) for field in fields), line
    before = refresh_runs(installation)

    done = run_installed(command, installation)

    assert done.returncode == 0, (done.stdout, done.stderr)
    assert refresh_runs(installation) == before + 1
    assert "No term changed." in (installation / "data" / "refresh.log").read_text()


def read_unit(name: str) -> configparser.ConfigParser:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # systemd keys are case-sensitive
    unit.read_string((DEPLOY / "systemd" / name).read_text())
    return unit


def test_the_systemd_timer_starts_the_service_twice_a_day():
    timer = read_unit("termwatch-refresh.timer")
    assert timer["Timer"]["Unit"] == "termwatch-refresh.service"
    assert timer["Timer"]["Persistent"] == "true"
    assert timer["Install"]["WantedBy"] == "timers.target"
    if shutil.which("systemd-analyze"):
        calendar = subprocess.run(
            ["systemd-analyze", "calendar", "--iterations=2", timer["Timer"]["OnCalendar"]],
            capture_output=True,
            text=True,
        )
        assert calendar.returncode == 0, calendar.stderr
        elapses = re.findall(r"\d{4}-\d\d-\d\d (\d\d):17:00", calendar.stdout)
        assert sorted(elapses) == ["06", "18"]


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
def test_systemd_accepts_both_units(installation, tmp_path):
    for unit in (DEPLOY / "systemd").iterdir():
        (tmp_path / unit.name).write_text(unit.read_text().replace(INSTALLED, str(installation)))

    verified = subprocess.run(
        ["systemd-analyze", "verify", *sorted(str(p) for p in tmp_path.iterdir())],
        capture_output=True,
        text=True,
    )

    assert verified.returncode == 0, verified.stderr


def test_the_systemd_service_refreshes(installation):
    service = read_unit("termwatch-refresh.service")["Service"]
    assert service["Type"] == "oneshot"
    assert service["WorkingDirectory"] == INSTALLED
    before = refresh_runs(installation)

    done = run_installed(
        service["ExecStart"],
        installation,
        cwd=service["WorkingDirectory"].replace(INSTALLED, str(installation)),
    )

    assert done.returncode == 0, done.stderr
    assert refresh_runs(installation) == before + 1


def test_the_github_actions_workflow_is_scheduled_and_refreshes(installation):
    workflow = yaml.safe_load((DEPLOY / "github-actions-refresh.yml").read_text())
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    [schedule] = triggers["schedule"]
    fields = schedule["cron"].split()
    assert len(fields) == 5 and all(CRON_FIELD.match(field) for field in fields)
    assert workflow["concurrency"]["cancel-in-progress"] is False
    [job] = workflow["jobs"].values()
    [step] = [step for step in job["steps"] if "termwatch refresh" in step.get("run", "")]
    before = refresh_runs(installation)

    # The job runs from the checkout, with termwatch installed on the PATH.
    done = run_installed(
        f"PATH={shlex.quote(str(installation / '.venv' / 'bin'))}:$PATH; {step['run']}",
        installation,
        cwd=installation,
    )

    assert done.returncode == 0, done.stderr
    assert refresh_runs(installation) == before + 1
