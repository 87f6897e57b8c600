"""``termwatch serve``: the real server, as ``make run`` starts it."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from site_sample import build_sample_site

from termwatch.serve import SiteError, free_port, serving

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


def serve_until_ready(command: list[str], port: int) -> tuple[subprocess.Popen, bytes]:
    """Start ``command`` (a ``termwatch serve``), and return it with its /compare page."""
    server = subprocess.Popen(
        command, cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        return server, fetch(f"http://127.0.0.1:{port}/compare")
    except OSError:
        server.kill()
        raise AssertionError(f"serve did not start: {server.communicate()[1]}") from None


def stop(server: subprocess.Popen) -> str:
    server.terminate()
    return server.communicate(timeout=10)[1]


def test_serve_immutable_writes_nothing_and_reads_inspect_counts(tmp_path):
    path = tmp_path / "published.db"
    build_sample_site(path).conn.close()
    before = path.read_bytes()
    counts = tmp_path / "counts.json"
    subprocess.run(
        [sys.executable, "-m", "datasette", "inspect", str(path), "--inspect-file", str(counts)],
        check=True,
        capture_output=True,
    )
    inspected = json.loads(counts.read_text())
    inspected["published"]["tables"]["services"]["count"] = 12345  # to see where counts come from
    counts.write_text(json.dumps(inspected))
    port = free_port()
    command = [sys.executable, "-m", "termwatch", "--db", str(path), "serve", "--immutable"]
    server, page = serve_until_ready(
        [*command, "--inspect-file", str(counts), "--port", str(port)], port
    )
    try:
        assert b"Compare the terms" in page
        tables = json.loads(fetch(f"http://127.0.0.1:{port}/termwatch.json"))["tables"]
        assert {t["name"]: t["count"] for t in tables}["services"] == 12345
    finally:
        stop(server)
    assert path.read_bytes() == before  # not even the registry's services were written


def test_serve_a_read_only_file_immutable_with_a_note(tmp_path):
    """The file on a read-only mount (root can write any file it can reach otherwise)."""
    folder, mount = tmp_path / "published", tmp_path / "mount"
    folder.mkdir()
    mount.mkdir()
    build_sample_site(folder / "site.db").conn.close()
    remount = f"mount --bind {folder} {mount} && mount -o remount,ro,bind {mount}"
    probe = subprocess.run(["unshare", "--mount", "sh", "-c", remount], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"cannot make a read-only mount here: {probe.stderr.decode().strip()}")
    port = free_port()
    serve = f"{sys.executable} -m termwatch --db {mount / 'site.db'} serve --port {port}"
    server, page = serve_until_ready(
        ["unshare", "--mount", "sh", "-c", f"{remount} && exec {serve}"], port
    )
    try:
        assert b"Compare the terms" in page
        assert fetch(f"http://127.0.0.1:{port}/history/cursor/terms-of-service")
    finally:
        stderr = stop(server)
    assert "site.db is read-only: serving it immutable" in stderr
    assert "Traceback" not in stderr


@pytest.mark.parametrize(
    ("damage", "said"),
    [("middle", "is damaged ("), ("not a database", "cannot be read as a database")],
)
def test_serve_says_one_line_for_a_damaged_database(tmp_path, damage, said):
    path = tmp_path / "damaged.db"
    build_sample_site(path).conn.close()
    data = bytearray(path.read_bytes())
    if damage == "middle":
        middle = len(data) // 2
        data[middle : middle + 8192] = bytes(range(256)) * 32
    else:
        data[:100] = b"\x89PNG" + b"\x00" * 96
    path.write_bytes(bytes(data))
    server = termwatch("--db", str(path), "serve", "--port", str(free_port()))
    _, stderr = server.communicate(timeout=60)
    assert server.returncode == 1
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), stderr
    assert said in lines[0]


def test_serving_says_why_a_server_did_not_start(tmp_path):
    """`termwatch.serve.serving`, which the screenshots, benchmarks and wheel tests drive a
    server with, fails with the server's own last word rather than waiting out its timeout."""
    path = tmp_path / "not-a.db"
    path.write_bytes(b"\x89PNG" + b"\x00" * 4096)
    command = [sys.executable, "-m", "termwatch", "--db", str(path), "serve"]
    with (
        pytest.raises(SiteError, match="exited with status 1 .*cannot be read as a database"),
        serving(command, cwd=PROJECT, stderr=subprocess.PIPE, text=True),
    ):
        pass
