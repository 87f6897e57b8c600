"""``termwatch schedule``: durations, the loop, and refreshes run on a schedule for real."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest
from refresh_support import TermsSite, run_refresh, terms_page, write_registry

from termwatch import schedule
from termwatch.schedule import ScheduleError, parse_duration, run_every
from termwatch.store import open_database


@pytest.mark.parametrize(
    "text, duration",
    [
        ("30m", timedelta(minutes=30)),
        ("12h", timedelta(hours=12)),
        ("1d", timedelta(days=1)),
        ("1h30m", timedelta(minutes=90)),
        ("45s", timedelta(seconds=45)),
        (" 2H ", timedelta(hours=2)),
    ],
)
def test_durations_read_as_people_write_them(text, duration):
    assert parse_duration(text) == duration


@pytest.mark.parametrize("text", ["12", "12x", "h", "", "1.5h", "0m", "-1h"])
def test_a_duration_without_a_unit_or_of_zero_is_refused(text):
    with pytest.raises(ScheduleError, match="duration"):
        parse_duration(text)


class FakeTime:
    """A clock that only moves when the loop sleeps or a fake refresh takes time."""

    def __init__(self, run_seconds: list[float], statuses: list[int]):
        self.now = 0.0
        self.slept: list[float] = []
        self.started: list[float] = []
        self.run_seconds = run_seconds
        self.statuses = statuses

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    def run(self, command, check):
        self.started.append(self.now)
        self.now += self.run_seconds.pop(0)
        return subprocess.CompletedProcess(command, self.statuses.pop(0))


@pytest.fixture
def fake_time(monkeypatch):
    def make(run_seconds, statuses):
        fake = FakeTime(run_seconds, statuses)
        monkeypatch.setattr(schedule.subprocess, "run", fake.run)
        return fake

    return make


def test_refreshes_start_at_a_fixed_rate_whatever_they_last(fake_time):
    fake = fake_time(run_seconds=[600, 60, 30], statuses=[0, 1, 0])

    statuses = run_every(
        timedelta(hours=1), ["termwatch", "refresh"], 3, fake.sleep, lambda: fake.now
    )

    assert statuses == [0, 1, 0]
    assert fake.started == [0, 3600, 7200]


def test_a_refresh_longer_than_the_interval_is_never_overlapped(fake_time, caplog):
    fake = fake_time(run_seconds=[9000, 60], statuses=[0, 0])

    run_every(timedelta(hours=1), ["termwatch", "refresh"], 2, fake.sleep, lambda: fake.now)

    # It ran 2.5 h: the ticks at 1 h and 2 h are skipped, the next starts at 3 h.
    assert fake.started == [0, 3 * 3600]
    assert "2 run(s) skipped" in caplog.text


def test_schedule_runs_refresh_processes_and_logs_each_run(tmp_path):
    site = TermsSite()
    try:
        site.pages["/terms"] = terms_page("<p>" + "You may use the Service. " * 20 + "</p>")
        registry = write_registry(tmp_path / "sources.yml", site, {"acme": "/terms"})
        db_path = tmp_path / "termwatch.db"
        run_refresh(db_path, registry)  # recorded and analysed: the scheduled runs find no change

        done = subprocess.run(
            [sys.executable, "-m", "termwatch", "--db", str(db_path), "--sources", str(registry)]
            + ["schedule", "--every", "1s", "--count", "2"],
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        site.close()

    assert done.returncode == 0, done.stderr
    assert "refresh #1 starting" in done.stderr
    assert "refresh #2 ended" in done.stderr and "exit status 0" in done.stderr
    assert done.stdout.count("No term changed.") == 2
    runs = list(open_database(db_path)["runs"].rows_where("command = 'refresh'", order_by="id"))
    assert [(run["status"], run["unchanged"]) for run in runs] == [("completed", 0)] + [
        ("completed", 1)
    ] * 2
