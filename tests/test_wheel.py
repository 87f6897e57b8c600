"""The built wheel is the whole site: installed into a fresh virtualenv and run from a folder
outside the checkout, it imports history and serves every page.

Slow (a wheel build, a virtualenv): the fresh environment reuses the packages of the one
running the tests (a ``.pth`` file), so only termwatch itself is installed.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest
from serve_support import get, serving

PROJECT = Path(__file__).resolve().parent.parent
NOT_SOURCES = (".git", ".venv", "build", "*.egg-info", "__pycache__", "*_cache", "*.db", "*.db-*")
NOT_SOURCES += ("model", "cache")


def run(*command, **options):
    return subprocess.run(command, check=True, capture_output=True, text=True, **options)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh virtualenv with the built wheel installed; the current packages visible."""
    scratch = tmp_path_factory.mktemp("wheel")
    # Built from a copy: setuptools writes build/ beside the sources, and a stale build/ of
    # the checkout would end up in later wheels.
    source = scratch / "source"
    shutil.copytree(PROJECT, source, symlinks=True, ignore=shutil.ignore_patterns(*NOT_SOURCES))
    run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--quiet",
        "-w",
        str(scratch),
        str(source),
    )
    (wheel,) = scratch.glob("termwatch-*.whl")
    venv = scratch / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", str(venv))
    python = venv / "bin" / "python"
    purelib = run(str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))")
    # The test environment's packages (spaCy, Datasette...) without its editable termwatch:
    # a path in a .pth file is added to sys.path, the .pth files inside it are not read.
    Path(purelib.stdout.strip(), "reuse.pth").write_text("\n".join(site.getsitepackages()))
    run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        str(python),
        "install",
        "--no-deps",
        "--quiet",
        str(wheel),
    )
    return venv, wheel


def test_the_wheel_installs_one_package_with_the_site_files(installed):
    _venv, wheel = installed
    import zipfile

    names = zipfile.ZipFile(wheel).namelist()
    top_level = {name.split("/")[0] for name in names if not name.startswith("termwatch-")}
    assert top_level == {"termwatch"}
    for shipped in (
        "termwatch/metadata.yml",
        "termwatch/templates/compare.html",
        "termwatch/static/termwatch.css",
        "termwatch/plugins/termwatch_pages.py",
        "termwatch/data/sources.yml",
        "termwatch/data/unfair-tos/LICENSE",
        "termwatch/data/unfair-tos/sentences/Dropbox.txt",
        "termwatch/crawler/spiders/terms.py",
        "termwatch/analysis/config.cfg",
        "termwatch/analysis/decisions.json",
    ):
        assert shipped in names
    # every module of the project's folders, at its place in the one package
    folders = {"termwatch": "termwatch", "crawler": "termwatch/crawler"}
    folders |= {"analysis": "termwatch/analysis", "store": "termwatch/store"}
    folders |= {"plugins": "termwatch/plugins"}
    for folder, installed_as in folders.items():
        for module in (PROJECT / folder).rglob("*.py"):
            relative = module.relative_to(PROJECT / folder).as_posix()
            assert f"{installed_as}/{relative}" in names, f"{folder}/{relative} not in the wheel"
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "[datasette]" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_run_from_another_folder_it_serves_compare_and_history(installed, tmp_path):
    venv, _wheel = installed
    termwatch = str(venv / "bin" / "termwatch")
    archive = tmp_path / "archive" / "cursor" / "terms-of-service"
    archive.mkdir(parents=True)
    (archive / "2025-01-01T00-00-00Z.md").write_text("# Terms\n\nYou own your code.\n")
    (archive / "2025-03-01T00-00-00Z.md").write_text("# Terms\n\nWe own your code.\n")
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    imported = run(termwatch, "import-archive", str(tmp_path / "archive"), cwd=work, env=env)
    assert "2 new versions" in imported.stdout
    # the code imported is the wheel's, not the checkout's
    where = run(
        str(venv / "bin" / "python"),
        "-c",
        "import termwatch.crawler, importlib.util as u; print(termwatch.crawler.__file__);"
        "print(u.find_spec('crawler'))",
        cwd=work,
        env=env,
    ).stdout.split()
    assert where[0].startswith(str(venv)) and where[1] == "None"
    with serving([termwatch, "serve"], cwd=work, env=env) as base:
        assert "Cursor" in get(f"{base}/compare")
        history = get(f"{base}/history/cursor/terms-of-service")
        assert "2025-03-01" in history and "2025-01-01" in history
        assert "termwatch" in get(f"{base}/-/plugins.json")
        assert get(f"{base}/static/termwatch.css")
