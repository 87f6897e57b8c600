"""Shared fixtures. Tests build their own small archives and registries in tmp_path."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from termwatch.store import open_database

PROJECT = Path(__file__).resolve().parent.parent
SHARED = PROJECT.parent / "shared"
CORPUS = SHARED / "corpus"


@pytest.fixture(autouse=True, scope="session")
def private_hosts_allowed():
    """Tests crawl local servers the registry names: allow it (crawler.addresses).

    Set in the environment for the whole session (module fixtures crawl too), so the crawls
    tests run in child processes inherit it; a test of the address policy removes it.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TERMWATCH_ALLOW_PRIVATE_HOSTS", "1")
        yield


@pytest.fixture
def db(tmp_path):
    return open_database(tmp_path / "termwatch.db")


@pytest.fixture
def write_registry(tmp_path):
    """Write a registry YAML (dedented) and return its path."""

    def write(text: str, name: str = "sources.yml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


@pytest.fixture
def make_archive(tmp_path):
    """Lay out a small archive: {"svc/type": {"2024-01-01T00-00-00Z": "markdown", ...}}."""

    def make(documents: dict[str, dict[str, str]], name: str = "archive") -> Path:
        root = tmp_path / name
        for folder, versions in documents.items():
            for stamp, text in versions.items():
                path = root / folder / stamp
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
        return root

    return make
