"""`termwatch import-archive`: an archive's history becomes dated versions, idempotently."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from termwatch.cli import cli
from termwatch.crawler.archive import ArchiveError, read_archive
from termwatch.importer import import_archive


def test_each_archived_text_becomes_a_dated_version(db, make_archive):
    root = make_archive(
        {
            "acme/terms-of-service": {
                "2024-01-01T00-00-00Z.md": "# Terms\n\nVersion one.\n",
                "2024-01-01T00-00-00Z.html": "<main><h1>Terms</h1><p>Version one.</p></main>",
                "2024-06-01T12-30-00Z.md": "# Terms\n\nVersion two.\n",
            },
        }
    )
    counts = import_archive(db, root)
    assert counts["new_version"] == 2
    versions = list(db["versions"].rows_where(order_by="recorded_at"))
    assert [v["recorded_at"] for v in versions] == ["2024-01-01T00:00:00Z", "2024-06-01T12:30:00Z"]
    assert versions[1]["text"] == "# Terms\n\nVersion two.\n"
    assert versions[0]["archive_file"] == "acme/terms-of-service/2024-01-01T00-00-00Z.md"
    # the raw page is kept as a snapshot of the first version, compressed
    first_snapshots = json.loads(versions[0]["snapshot_ids"])
    types = {db["snapshots"].get(i)["content_type"] for i in first_snapshots}
    assert types == {"text/markdown", "text/html"}
    document = db["documents"].get("acme/terms-of-service")
    assert document["kind"] == "terms-of-service" and document["in_registry"] == 0


def test_importing_twice_adds_nothing(db, make_archive):
    root = make_archive({"acme/terms-of-service": {"2024-01-01T00-00-00Z.md": "A\n"}})
    import_archive(db, root)
    before = {t: db[t].count for t in ("versions", "snapshots", "snapshot_bodies")}
    counts = import_archive(db, root)
    assert counts["skipped"] == 1 and counts["new_version"] == 0
    assert {t: db[t].count for t in before} == before


def test_noise_only_differences_are_not_new_versions(db, make_archive):
    root = make_archive(
        {
            "acme/terms-of-service": {
                "2024-01-01T00-00-00Z.md": "See [pricing](https://acme.example/pricing).\n",
                "2024-02-01T00-00-00Z.md": (
                    "See  [pricing](https://acme.example/pricing?utm_source=tos).   \n\n\n"
                ),
            },
        }
    )
    counts = import_archive(db, root)
    assert counts == {"new_version": 1, "unchanged": 1}
    assert db["snapshots"].count == 2  # both fetches kept, one version


def test_a_flip_back_to_an_earlier_text_is_a_new_version(db, make_archive):
    root = make_archive(
        {
            "acme/terms-of-service": {
                "2024-01-01T00-00-00Z.md": "A\n",
                "2024-02-01T00-00-00Z.md": "B\n",
                "2024-03-01T00-00-00Z.md": "A\n",
            },
        }
    )
    assert import_archive(db, root)["new_version"] == 3


def test_a_recorded_error_page_is_a_failed_fetch_not_a_version(db, make_archive):
    """Trackers record error pages too: the terms do not flip to "This page isn't available"
    and back, and the recording is still kept, as a failed fetch with its snapshot."""
    terms = "# Acceptable Use Policy\n\n" + "You agree not to use the models to harm anyone. " * 20
    error_page = "This page isn't available\n\nAn unexpected error has occurred.\n"
    root = make_archive(
        {
            "acme/acceptable-use-policy": {
                "2025-01-01T00-00-00Z.md": terms,
                "2025-02-01T00-00-00Z.md": error_page,
                "2025-03-01T00-00-00Z.md": terms,
            },
        }
    )
    assert import_archive(db, root) == {"new_version": 1, "failed": 1, "unchanged": 1}
    failure = next(db["fetches"].rows_where("error_class is not null"))
    assert failure["error_class"] == "too_short"
    assert (
        "2025-02-01T00-00-00Z.md" in failure["error"] and "error or placeholder" in failure["error"]
    )
    assert db["snapshots"].count == 3  # every recording kept


def test_a_document_that_is_always_short_is_imported_as_it_is(db, make_archive):
    root = make_archive(
        {"acme/notice": {"2025-01-01T00-00-00Z.md": "Notice A\n", "2025-02-01T00-00-00Z.md": "B\n"}}
    )
    assert import_archive(db, root)["new_version"] == 2


def test_a_folder_that_is_not_an_archive_is_a_clear_error(db, tmp_path):
    with pytest.raises(ArchiveError, match="no such folder"):
        import_archive(db, tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ArchiveError, match="no document found"):
        import_archive(db, tmp_path / "empty")


def test_the_cli_imports_and_reports(tmp_path, make_archive):
    root = make_archive({"acme/terms-of-service": {"2024-01-01T00-00-00Z.md": "A\n"}})
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "t.db"), "import-archive", str(root)])
    assert result.exit_code == 0, result.output
    assert "1 new versions" in result.output
    missing = CliRunner().invoke(cli, ["--db", str(tmp_path / "t.db"), "import-archive", "nope"])
    assert missing.exit_code == 1 and "Error: nope: no such folder" in missing.output


def import_cli(tmp_path, root):
    return CliRunner().invoke(cli, ["--db", str(tmp_path / "t.db"), "import-archive", str(root)])


def test_files_without_a_real_date_are_left_out_with_a_warning_each(tmp_path, make_archive):
    root = make_archive(
        {
            "acme/terms-of-service": {
                "2024-01-01T00-00-00Z.md": "A\n",
                "2025-13-45T99-99-99Z.md": "Impossible\n",
                "notes.md": "Undated\n",
            }
        }
    )
    result = import_cli(tmp_path, root)
    assert result.exit_code == 0, result.output
    assert "1 new versions" in result.output
    folder = root / "acme/terms-of-service"
    assert result.stderr.splitlines()[:2] == [
        f"Warning: {folder / name}: left out: its name is not a real date (files are named "
        "YYYY-MM-DDTHH-MM-SSZ.md)"
        for name in ("2025-13-45T99-99-99Z.md", "notes.md")
    ]


def test_a_manifest_version_without_a_real_date_is_left_out(tmp_path, make_archive, caplog):
    root = make_archive({"acme/terms-of-service": {"a.md": "A\n", "b.md": "B\n"}})
    versions = [
        {"date": "2024-01-01T00:00:00Z", "file": "acme/terms-of-service/a.md"},
        {"date": "2025-13-45T99:99:99Z", "file": "acme/terms-of-service/b.md"},
    ]
    (root / "manifest.json").write_text(
        json.dumps([{"folder": "acme/terms-of-service", "versions": versions}])
    )
    [document] = read_archive(root)
    assert [version.date for version in document.versions] == ["2024-01-01T00:00:00Z"]
    assert "b.md: left out: its date '2025-13-45T99:99:99Z' is not a real date" in caplog.text


def test_a_binary_markdown_file_is_a_one_line_error(tmp_path, make_archive):
    root = make_archive({"acme/terms-of-service": {"2024-01-01T00-00-00Z.md": "A\n"}})
    binary = root / "acme/terms-of-service/2024-02-01T00-00-00Z.md"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe" * 10)
    result = import_cli(tmp_path, root)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1:] == [  # after the progress bar
        f"Error: {binary}: not UTF-8 text (byte 0): a binary file in the archive? Replace or "
        "remove it; what was imported before it is kept"
    ]


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ({"folder": "acme", "versions": []}, "folder 'acme' is not SERVICE/DOCUMENT_TYPE"),
        ({"versions": []}, "no 'folder'"),
        ("acme/terms-of-service", "string indices must be integers, not 'str'"),
    ],
)
def test_a_malformed_manifest_entry_is_a_one_line_error(tmp_path, make_archive, entry, problem):
    root = make_archive({"acme/terms-of-service": {"a.md": "A\n"}})
    (root / "manifest.json").write_text(json.dumps([entry]))
    result = import_cli(tmp_path, root)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: {root / 'manifest.json'}: entry 0 is not a document of the archive ({problem}); "
        "expected a folder SERVICE/DOCUMENT_TYPE and its versions"
    ]
