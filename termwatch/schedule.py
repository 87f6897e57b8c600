"""Refreshing on a schedule, and never two refreshes at once.

``termwatch schedule --every 12h`` is the simplest way to keep a database current: it
runs ``termwatch refresh`` now and then every 12 hours, in the foreground, logging each
run. Each refresh runs in its own process, because Scrapy's Twisted reactor cannot be
started twice in one process, and because a crashed or killed refresh then takes nothing
else down with it. Cron, systemd timers and CI schedules (``deploy/``) call
``termwatch refresh`` directly instead.

Whoever starts it, a refresh first takes a lock: a file next to the database
(``termwatch.db.lock``), locked with the operating system's file locks through
``filelock``. A second refresh of the same database finds it taken and stops at once with
a message, instead of crawling the same pages twice and racing on the same versions. The
operating system releases the lock when its process dies, even by ``kill -9``, so a killed
refresh never blocks the next one.
"""

from __future__ import annotations

import logging
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from filelock import FileLock, Timeout

log = logging.getLogger(__name__)

_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
_DURATION = re.compile(r"(\d+)([smhd])")


class ScheduleError(Exception):
    """Refreshes cannot be scheduled as asked (a bad duration); the message says why."""


class RefreshError(Exception):
    """A refresh cannot run as asked; the message says why and what to do."""


class RefreshRunning(RefreshError):
    """Another refresh of the same database holds the lock."""


def parse_duration(text: str) -> timedelta:
    """``30m``, ``12h``, ``1d``, ``1h30m`` -> a timedelta (units: s, m, h, d)."""
    compact = text.strip().lower().replace(" ", "")
    if not compact or _DURATION.sub("", compact):
        raise ScheduleError(
            f"invalid duration {text!r}: expected a number and a unit (s, m, h or d), "
            "e.g. 30m, 12h, 1d or 1h30m"
        )
    duration = sum(
        (timedelta(**{_UNITS[unit]: int(n)}) for n, unit in _DURATION.findall(compact)),
        timedelta(),
    )
    if not duration:
        raise ScheduleError(f"invalid duration {text!r}: it must be longer than zero")
    return duration


def lock_path(db_path: Path) -> Path:
    """The lock file of a database: beside it, so every process that opens it finds it."""
    return db_path.with_name(db_path.name + ".lock")


@contextmanager
def refresh_lock(db_path: Path) -> Iterator[None]:
    """Hold the refresh lock of ``db_path`` for the block; fail at once if it is taken."""
    path = lock_path(Path(db_path))
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(path, blocking=False)
    try:
        lock.acquire()
    except Timeout:
        raise RefreshRunning(
            f"another refresh of {db_path} is running (it holds the lock {path}); "
            "this one stops without doing anything, try again when it is done"
        ) from None
    try:
        yield
    finally:
        lock.release()


def refresh_command(db_path: Path, sources_path: Path, options: Sequence[str] = ()) -> list[str]:
    """The ``termwatch refresh`` command line, run with this very Python."""
    return [
        sys.executable,
        "-m",
        "termwatch",
        "--db",
        str(db_path),
        "--sources",
        str(sources_path),
        "refresh",
        *options,
    ]


def run_every(
    interval: timedelta,
    command: Sequence[str],
    count: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> list[int]:
    """Run ``command`` now and every ``interval`` (start to start); return the exit statuses.

    ``count`` stops after that many runs (default: forever). A run that outlasts the
    interval is not overlapped: the next starts at the first tick after it ends, and the
    ticks it covered are logged as skipped.
    """
    seconds = interval.total_seconds()
    statuses: list[int] = []
    next_start = clock()
    while count is None or len(statuses) < count:
        number = len(statuses) + 1
        log.info("refresh #%d starting: %s", number, " ".join(command))
        started = clock()
        status = subprocess.run(command, check=False).returncode
        statuses.append(status)
        log.info(
            "refresh #%d ended after %.1f s with exit status %d%s",
            number,
            clock() - started,
            status,
            "" if status == 0 else " (see its messages above)",
        )
        if count is not None and len(statuses) >= count:
            break
        next_start += seconds
        now = clock()
        if next_start < now:
            skipped = int((now - next_start) // seconds) + 1
            next_start += skipped * seconds
            log.warning("refresh #%d outlasted the interval: %d run(s) skipped", number, skipped)
        log.info("next refresh in %s", timedelta(seconds=round(next_start - now)))
        sleep(next_start - now)
    return statuses
