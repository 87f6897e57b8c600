"""A `termwatch serve` run as a process, for tests of what a user runs (wheel, published copy)."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


@contextmanager
def serving(command: list[str], **popen) -> Iterator[str]:
    """Run ``command --port PORT`` (a ``termwatch ... serve``) until it answers; yield its
    base URL; stop it on exit."""
    port = free_port()
    server = subprocess.Popen(
        [*command, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        **popen,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(100):
            try:
                get(f"{base}/-/versions.json")
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"termwatch serve exited: {server.stderr.read()}")
                time.sleep(0.2)
        else:
            pytest.fail("termwatch serve did not answer")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
