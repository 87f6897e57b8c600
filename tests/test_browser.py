"""The site in a real browser: headless Chromium loads the pages without console errors.

``termwatch serve`` runs in a subprocess over the sample database; Chromium (Debian's
``chromium`` package) is driven through the DevTools protocol over a pipe
(``--remote-debugging-pipe``: JSON messages ending in NUL on file descriptors 3 and 4), so no
driver is downloaded. Every page's screenshot is saved under ``build/screenshots/``.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from serve_support import serving
from site_sample import CURSOR_CAP_V2, build_sample_site

PROJECT = Path(__file__).resolve().parent.parent
SCREENSHOTS = PROJECT / "build" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-pipe",
]
TIMEOUT = 30.0

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Debian's chromium is not installed (apt-get install -y chromium)",
)


class DevTools:
    """A minimal Chrome DevTools Protocol client over Chromium's debugging pipe."""

    def __init__(self, user_data_dir: Path):
        to_browser_read, self._to_browser = os.pipe()
        self._from_browser, from_browser_write = os.pipe()

        def as_fds_3_and_4():  # where --remote-debugging-pipe expects them
            os.dup2(to_browser_read, 3)
            os.dup2(from_browser_write, 4)

        self.process = subprocess.Popen(
            [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={user_data_dir}", "about:blank"],
            preexec_fn=as_fds_3_and_4,
            pass_fds=(3, 4),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser_read)
        os.close(from_browser_write)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict] = []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)[
            "sessionId"
        ]
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable", session=True)
        self.call(
            "Emulation.setDeviceMetricsOverride",
            session=True,
            width=1400,
            height=900,
            deviceScaleFactor=1,
            mobile=False,
        )

    def call(self, method: str, session: bool = False, **params) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._receive()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]

    def _receive(self) -> dict:
        while b"\0" not in self._buffer:
            chunk = os.read(self._from_browser, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message = json.loads(raw)
        if "method" in message:
            self.events.append(message)
        return message

    def wait_for(self, method: str, after: int) -> None:
        deadline = time.monotonic() + TIMEOUT
        while not any(e["method"] == method for e in self.events[after:]):
            if time.monotonic() > deadline:
                raise TimeoutError(f"no {method} within {TIMEOUT} s")
            self._receive()

    def open(self, url: str) -> list[str]:
        """Load a page; return the errors it logged (console, exceptions, failed loads)."""
        start = len(self.events)
        self.call("Page.navigate", session=True, url=url)
        self.wait_for("Page.loadEventFired", after=start)
        self.evaluate("1")  # let the events of the load arrive
        return errors(self.events[start:])

    def evaluate(self, expression: str):
        result = self.call(
            "Runtime.evaluate", session=True, expression=expression, returnByValue=True
        )
        return result["result"].get("value")

    def screenshot(self, name: str) -> Path:
        data = self.call(
            "Page.captureScreenshot", session=True, format="png", captureBeyondViewport=True
        )["data"]
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        with contextlib.suppress(RuntimeError):  # the pipe may close before the reply
            self.call("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)


def errors(events: list[dict]) -> list[str]:
    found = []
    for event in events:
        method, params = event["method"], event.get("params", {})
        if method == "Runtime.exceptionThrown":
            found.append(params["exceptionDetails"].get("text", "exception"))
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            found.append(
                " ".join(str(a.get("value", a.get("description"))) for a in params["args"])
            )
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            entry = params["entry"]
            found.append(f"{entry['text']} {entry.get('url', '')}".strip())
    return found


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    """``termwatch serve`` over the sample database, until the tests are done."""
    path = tmp_path_factory.mktemp("browser") / "sample.db"
    build_sample_site(path)
    command = [sys.executable, "-m", "termwatch", "--db", str(path), "serve"]
    with serving(command, cwd=PROJECT) as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    devtools = DevTools(tmp_path_factory.mktemp("chromium-profile"))
    yield devtools
    devtools.close()


def test_the_home_page_loads_cleanly(browser, site_url):
    assert browser.open(f"{site_url}/") == []
    assert browser.evaluate("document.querySelector('h1').textContent") == "termwatch"
    assert browser.screenshot("home").stat().st_size > 0


def test_the_comparison_matrix_loads_cleanly_with_every_registry_service(browser, site_url):
    assert browser.open(f"{site_url}/compare") == []
    shown = set(
        browser.evaluate("[...document.querySelectorAll('th.service')].map(e => e.textContent)")
    )
    registry = subprocess.run(
        [sys.executable, "-m", "termwatch", "sources"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    slugs = {line.split("/")[0] for line in registry.splitlines() if line}
    assert len(shown) >= len(slugs)  # `serve` writes the registry's services first
    assert {"Cursor", "GitHub Copilot", "Acme AI"} <= shown
    browser.screenshot("compare")
    # One click on an answer shows its quote.
    browser.evaluate(
        "document.querySelector('#cursor-consumer td[data-dimension=liability_cap] summary')"
        ".click()"
    )
    quote = browser.evaluate(
        "document.querySelector('#cursor-consumer td[data-dimension=liability_cap] blockquote')"
        ".getBoundingClientRect().height"
    )
    assert quote > 0
    browser.screenshot("compare-evidence")


def test_an_evidence_link_lands_on_the_highlighted_clause(browser, site_url):
    browser.open(f"{site_url}/compare")
    link = browser.evaluate(
        "document.querySelector('#cursor-consumer td[data-dimension=liability_cap] "
        "a.evidence-link').href"
    )
    assert browser.open(link) == []
    assert browser.evaluate("document.querySelector('mark#evidence').textContent") == (
        CURSOR_CAP_V2
    )
    top = browser.evaluate("document.querySelector('mark#evidence').getBoundingClientRect().top")
    assert 0 <= top < 900  # scrolled into view
    browser.screenshot("evidence")


def test_the_history_page_loads_cleanly_with_its_diff(browser, site_url):
    assert browser.open(f"{site_url}/history/cursor/terms-of-service") == []
    assert browser.evaluate("document.querySelectorAll('.timeline-chart circle.mark').length") == 1
    assert browser.evaluate("document.querySelectorAll('.diff-row.changed ins').length") >= 2
    browser.screenshot("history")


def test_a_past_date_in_the_picker_shows_the_old_matrix(browser, site_url):
    assert browser.open(f"{site_url}/compare?date=2024-06-30") == []
    answer = browser.evaluate(
        "document.querySelector('#cursor-consumer td[data-dimension=liability_cap] summary')"
        ".textContent"
    )
    assert answer == "Capped: US$100"
    browser.screenshot("compare-2024-06-30")


def test_datasette_pages_run_their_scripts_under_the_content_security_policy(browser, site_url):
    # A script the policy refused would be logged as an error; the table page's script
    # (table.js, the facet flag) and the menus' one must run.
    for page in ("/termwatch/liability_caps", "/termwatch/versions/1", "/termwatch/versions"):
        assert browser.open(f"{site_url}{page}") == [], page
    assert browser.evaluate("typeof DATASETTE_ALLOW_FACET") == "boolean"
