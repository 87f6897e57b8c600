"""`termwatch import-archive` of an Open Terms Archive git repository: one commit, one version."""

from __future__ import annotations

import json
import os
import subprocess

import pytest
from click.testing import CliRunner

from termwatch.cli import cli

REGISTRY = """\
services:
  - slug: acme-code
    name: Acme Code
    provider: Acme Inc.
    category: coding-assistant
    url: https://acme.example/code
    ota_service_id: Acme Code Assistant
    documents:
      - type: terms-of-service
        title: Acme Code Terms of Service
        sources:
          - url: https://acme.example/terms
            select: main
"""


def git(repository, *arguments, date=None):
    env = {**os.environ, "GIT_AUTHOR_NAME": "OTA", "GIT_AUTHOR_EMAIL": "bot@example.org"}
    env |= {"GIT_COMMITTER_NAME": "OTA", "GIT_COMMITTER_EMAIL": "bot@example.org"}
    if date:
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(
        ["git", "-C", str(repository), *arguments], check=True, env=env, capture_output=True
    )


def commit_file(repository, path, text, message, date):
    file = repository / path
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(text, encoding="utf-8")
    git(repository, "add", path)
    git(repository, "commit", "--quiet", "-m", message, date=date)


@pytest.fixture
def versions_repository(tmp_path):
    """A versions repository as Open Terms Archive's engine writes it: one file per document,
    one commit per version, dated by the fetch; the third commit is a technical upgrade."""
    repository = tmp_path / "acme-versions"
    repository.mkdir()
    git(repository, "init", "--quiet")
    commit_file(repository, "README.md", "# Versions\n", "Initial commit", "2023-12-01T00:00:00Z")
    terms = "Acme Code Assistant/Terms of Service.md"
    for text, message, date in [
        (
            "# Terms\n\nVersion one.\n",
            "First record of Acme Code Assistant Terms of Service",
            "2024-01-02T03:04:05+01:00",
        ),
        (
            "# Terms\n\nVersion two.\n",
            "Record new changes of Acme Code Assistant Terms of Service",
            "2024-06-01T12:30:00Z",
        ),
        (
            "# Terms\n\nVersion two, cleaner.\n",
            "Apply technical or declaration upgrade on Acme Code Assistant Terms of Service",
            "2024-07-01T00:00:00Z",
        ),
    ]:
        commit_file(repository, terms, text, message, date)
    commit_file(
        repository,
        "Cursor/Privacy Policy.md",
        "# Privacy\n\nWe collect.\n",
        "First record of Cursor Privacy Policy",
        "2024-08-01T00:00:00Z",
    )
    return repository


def import_(tmp_path, source):
    registry = tmp_path / "sources.yml"
    registry.write_text(REGISTRY, encoding="utf-8")
    arguments = ["--db", str(tmp_path / "t.db"), "--sources", str(registry)]
    return CliRunner().invoke(cli, [*arguments, "import-archive", source])


def versions(tmp_path):
    from termwatch.store import open_database

    db = open_database(tmp_path / "t.db")
    return [
        (row["document_id"], row["recorded_at"], row["text"], row["technical"])
        for row in db["versions"].rows_where(order_by="document_id, recorded_at")
    ]


@pytest.mark.parametrize("as_url", [True, False], ids=["file-url", "path"])
def test_each_commit_becomes_a_version_dated_by_the_commit(tmp_path, versions_repository, as_url):
    source = versions_repository.as_uri() if as_url else str(versions_repository)
    result = import_(tmp_path, source)
    assert result.exit_code == 0, result.output
    assert "4 new versions" in result.output
    assert versions(tmp_path) == [
        # mapped by the registry's ota_service_id; the commit date, in UTC
        ("acme-code/terms-of-service", "2024-01-02T02:04:05Z", "# Terms\n\nVersion one.\n", 0),
        ("acme-code/terms-of-service", "2024-06-01T12:30:00Z", "# Terms\n\nVersion two.\n", 0),
        (
            "acme-code/terms-of-service",
            "2024-07-01T00:00:00Z",
            "# Terms\n\nVersion two, cleaner.\n",
            1,
        ),
        # not in the registry: the service id and terms type slugified
        ("cursor/privacy-policy", "2024-08-01T00:00:00Z", "# Privacy\n\nWe collect.\n", 0),
    ]


def test_importing_a_repository_twice_adds_nothing(tmp_path, versions_repository):
    assert import_(tmp_path, versions_repository.as_uri()).exit_code == 0
    before = versions(tmp_path)
    again = import_(tmp_path, str(versions_repository))  # by path this time: the same history
    assert again.exit_code == 0, again.output
    assert "0 new versions" in again.output and "4 already there" in again.output
    assert versions(tmp_path) == before


def test_a_snapshots_repository_gives_each_version_its_raw_page(tmp_path, versions_repository):
    snapshots = tmp_path / "acme-snapshots"
    snapshots.mkdir()
    git(snapshots, "init", "--quiet")
    commit_file(
        snapshots,
        "Acme Code Assistant/Terms of Service.html",
        "<main><h1>Terms</h1><p>Version two.</p></main>",
        "Record new changes of Acme Code Assistant Terms of Service",
        "2024-06-01T12:30:00Z",
    )
    sha = subprocess.run(
        ["git", "-C", str(snapshots), "rev-parse", "HEAD"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    commit_file(
        versions_repository,
        "Acme Code Assistant/Terms of Service.md",
        "# Terms\n\nVersion three.\n",
        "Record new changes of Acme Code Assistant Terms of Service\n\n"
        f"This version was recorded after extracting from snapshot "
        f"https://example.org/acme-snapshots/commit/{sha[:12]}",
        "2024-09-01T00:00:00Z",
    )
    registry = tmp_path / "sources.yml"
    registry.write_text(REGISTRY, encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        [
            "--db",
            str(tmp_path / "t.db"),
            "--sources",
            str(registry),
            "import-archive",
            str(versions_repository),
            str(snapshots),
        ],
    )
    assert result.exit_code == 0, result.output
    from termwatch.store import open_database

    db = open_database(tmp_path / "t.db")
    latest = next(db["versions"].rows_where("text like '%three%'"))
    pages = [db["snapshots"].get(i) for i in json.loads(latest["snapshot_ids"])]
    html = [page for page in pages if page["content_type"] == "text/html"]
    assert [page["url"] for page in html] == ["https://acme.example/terms"]
    assert [page["fetched_at"] for page in html] == ["2024-06-01T12:30:00Z"]


def test_a_repository_without_versions_is_a_clear_error(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    git(empty, "init", "--quiet")
    commit_file(empty, "README.md", "nothing\n", "Initial commit", "2024-01-01T00:00:00Z")
    result = import_(tmp_path, empty.as_uri())
    assert result.exit_code == 1
    assert "no SERVICE/TERMS TYPE.md file in any commit" in result.output
