"""`termwatch export`: the versions as an archive folder, facts and changes as CSV; round trip."""

from __future__ import annotations

import csv
import json

from click.testing import CliRunner

from termwatch.cli import cli
from termwatch.export import export
from termwatch.importer import import_archive
from termwatch.store import open_database
from termwatch.store.recorder import Fetch, Page, record_fetch


def versions(db):
    return [
        (row["document_id"], row["recorded_at"], row["text"], row["technical"])
        for row in db["versions"].rows_where(order_by="document_id, recorded_at")
    ]


def knowledge_base(db, make_archive):
    """Imported history of two documents, then a crawled technical version of one."""
    root = make_archive(
        {
            "acme/terms-of-service": {
                "2024-01-01T00-00-00Z.md": "# Terms\n\nVersion one.\n",
                "2024-06-01T12-30-00Z.md": "# Terms\n\nVersion two: we may *train* on it.\n",
            },
            "acme/privacy-policy--genai-eu": {"2025-02-03T04-05-06Z.md": "# Privacy\n\nNone.\n"},
        }
    )
    import_archive(db, root)
    page = Page("https://acme.example/terms", "2025-01-01T00:00:00Z", 200, "text/html", b"<p/>")
    record_fetch(
        db,
        Fetch(
            "acme/terms-of-service",
            "2025-01-01T00:00:00Z",
            pages=[page],
            text="# Terms\n\nVersion two: we may _train_ on it.\n",
            technical=True,
        ),
    )
    return db


def test_export_then_import_gives_the_same_versions(db, make_archive, tmp_path):
    knowledge_base(db, make_archive)
    exported = export(db, tmp_path / "dataset")
    assert (exported.documents, exported.versions) == (2, 4)
    assert (tmp_path / "dataset/acme/terms-of-service/2024-06-01T12-30-00Z.md").read_text() == (
        "# Terms\n\nVersion two: we may *train* on it.\n"
    )
    fresh = open_database(tmp_path / "fresh.db")
    counts = import_archive(fresh, tmp_path / "dataset")
    assert counts["new_version"] == 4
    assert versions(fresh) == versions(db)  # texts, dates and the technical flag
    assert fresh["documents"].get("acme/privacy-policy--genai-eu")["region"] == "eu"


def test_facts_and_changes_are_written_as_csv_with_a_readme(db, make_archive, tmp_path):
    knowledge_base(db, make_archive)
    second = next(db["versions"].rows_where("recorded_at = '2024-06-01T12:30:00Z'"))
    quote = "we may *train* on it."
    db["facts"].insert(
        {"version_id": second["id"], "name": "trains_on_user_content", "value": '"yes"'}
        | {"evidence": quote, "basis": "stated", "model_version": "test"}
    )
    db["changes"].insert(
        {"document_id": "acme/terms-of-service", "service": "acme"}
        | {"document_type": "terms-of-service", "detected_at": second["recorded_at"]}
        | {"kind": "fact", "change": "modified", "technical": 0, "name": "trains_on_user_content"}
        | {"summary": "Acme now trains on your content", "old_value": '"no"', "new_value": '"yes"'}
        | {"diff": "--- not exported", "new_version_id": second["id"]}
        | {"significance": "fact", "in_feed": 1}
    )
    arguments = ["--db", str(tmp_path / "termwatch.db"), "export", str(tmp_path / "out")]
    result = CliRunner().invoke(cli, arguments)  # the database of the db fixture
    assert result.exit_code == 0, result.output
    assert "4 versions of 2 documents, 1 facts and 1 changes" in result.output
    with (tmp_path / "out/facts.csv").open(newline="") as file:
        facts = list(csv.DictReader(file))
    assert facts == [
        {"service": "acme", "document_type": "terms-of-service"}
        | {"version_date": "2024-06-01T12:30:00Z", "fact": "trains_on_user_content"}
        | {"value": '"yes"', "evidence": quote, "basis": "stated", "reason": "", "conflicts": ""}
    ]
    with (tmp_path / "out/changes.csv").open(newline="") as file:
        changes = list(csv.DictReader(file))
    assert [change["summary"] for change in changes] == ["Acme now trains on your content"]
    assert (changes[0]["significance"], changes[0]["in_feed"]) == ("fact", "1")
    assert "diff" not in changes[0]
    readme = (tmp_path / "out/README.md").read_text()
    assert "ODC-BY 1.0" in readme and "CC BY 4.0" in readme
    assert "3 imported" in readme and "1 from termwatch's own crawls" in readme
    manifest = json.loads((tmp_path / "out/manifest.json").read_text())
    assert [entry["folder"] for entry in manifest] == [
        "acme/privacy-policy--genai-eu",
        "acme/terms-of-service",
    ]


def test_export_refuses_a_folder_that_is_not_empty(db, tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out/notes.txt").write_text("mine")
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "t.db"), "export", str(tmp_path / "out")]
    )
    assert result.exit_code == 1
    assert "not empty" in result.output
    assert (tmp_path / "out/notes.txt").read_text() == "mine"
