"""``termwatch serve``: the real server, as ``make run`` starts it."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from site_sample import build_sample_site

PROJECT = Path(__file__).resolve().parent.parent


def termwatch(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "termwatch", *args],
        cwd=PROJECT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str, timeout: float = 30.0) -> bytes:
    deadline = time.monotonic() + timeout
    while True:
        try:
            return urllib.request.urlopen(url, timeout=2).read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_serve_publishes_the_database_as_termwatch_with_the_registry_services(tmp_path):
    path = tmp_path / "any-name.db"
    build_sample_site(path)
    port = free_port()
    server = termwatch("--db", str(path), "serve", "--port", str(port))
    try:
        rows = json.loads(fetch(f"http://127.0.0.1:{port}/termwatch/comparison.json?_shape=array"))
        services = {row["service"] for row in rows}
        # The sample's own services, and every service the registry declares.
        assert {"cursor", "github-copilot", "acme-ai", "codeium", "tabnine"} <= services
        assert b"Compare the terms" in fetch(f"http://127.0.0.1:{port}/compare")
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_says_when_the_port_is_taken(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = termwatch("--db", str(tmp_path / "t.db"), "serve", "--port", str(port))
        _, stderr = server.communicate(timeout=60)
    assert server.returncode == 1
    assert f"Error: port {port} on 127.0.0.1 is already in use" in stderr
    assert "Traceback" not in stderr
