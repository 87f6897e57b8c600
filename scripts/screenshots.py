"""Screenshots of the site's change pages, taken by headless Chromium, into build/screenshots/.

    python scripts/screenshots.py                      # over data/termwatch.db
    python scripts/screenshots.py --db other.db --page /history/cursor/terms-of-service

Serves the database with ``termwatch serve`` on a free loopback port, has Debian's
``chromium`` take a full-width screenshot of each page, then stops the server. The default
pages are the overview of every service's changes and two document histories with their
timelines (GitHub's terms of service, and Meta's Llama API acceptable use policy, which
flip-flops between a few texts).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from termwatch.serve import SiteError, serving  # noqa: E402

OUTPUT = PROJECT / "build" / "screenshots"
PAGES = [
    "/history",
    "/history/github/terms-of-service",
    "/history/meta-llama-api/acceptable-use-policy",
]
STARTUP_SECONDS = 60


class ScreenshotError(Exception):
    """A screenshot could not be taken; the message says why."""


def screenshot(chromium: str, url: str, path: Path, width: int, height: int) -> None:
    result = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
            f"--window-size={width},{height}",
            f"--screenshot={path}",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0 or not path.exists():
        raise ScreenshotError(f"chromium could not capture {url}: {result.stderr.strip()[-300:]}")


def file_name(page: str) -> str:
    """``/history/github/terms-of-service`` -> ``site-history-github-terms-of-service.png``
    (the browser test's screenshots of its sample site are named by page alone)."""
    return "site-" + page.strip("/").replace("/", "-").replace("?", "-").replace("=", "-") + ".png"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="data/termwatch.db", help="the database to serve")
    parser.add_argument("--page", action="append", help="a site path (repeatable)")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=1600)
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("Error: chromium is not installed (apt-get install -y chromium)", file=sys.stderr)
        return 1
    if not Path(args.db).exists():
        print(f"Error: no database at {args.db} (run `make run` or pass --db)", file=sys.stderr)
        return 1
    OUTPUT.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "termwatch", "--db", args.db, "serve"]
    try:
        with serving(
            command, cwd=PROJECT, timeout=STARTUP_SECONDS, stderr=subprocess.PIPE, text=True
        ) as url:
            for page in args.page or PAGES:
                path = OUTPUT / file_name(page)
                screenshot(chromium, url + page, path, args.width, args.height)
                print(path.relative_to(PROJECT))
    except (SiteError, ScreenshotError) as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
