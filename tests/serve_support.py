"""A `termwatch serve` run as a process, for tests of what a user runs (wheel, published copy)."""

from __future__ import annotations

import subprocess
import urllib.request
from contextlib import AbstractContextManager

from termwatch import serve


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def serving(command: list[str], **popen) -> AbstractContextManager[str]:
    """:func:`termwatch.serve.serving`, keeping the server's error output, so that a server
    that fails to start says why in the test's failure."""
    return serve.serving(command, stderr=subprocess.PIPE, text=True, **popen)
