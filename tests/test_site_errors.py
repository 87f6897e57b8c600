"""Crafted addresses get a 4xx and one line saying why: never a 500, a traceback or a path.

Requests are sent to the ASGI application as a server would pass them, raw paths included
(an HTTP client would collapse ``/history/../../etc/passwd`` before sending it).
"""

from __future__ import annotations

import asyncio
import html
import re
from urllib.parse import unquote

import pytest
from datasette.views.base import DatasetteError
from site_sample import build_sample_site

from termwatch.serve import PROJECT, build_datasette
from termwatch.site.guard import SQL_OFF, error_answer

LONG = "9" * 5000
CASES = [
    # (method, address, status, reason)
    ("GET", "/history/cursor/terms-of-service?from=%C2%B2", 400, "from must be an id"),
    ("GET", "/history/cursor/terms-of-service?to=" + "1" * 23, 400, "to must be an id"),
    ("GET", "/history/cursor/terms-of-service?to=" + LONG, 400, "to must be an id"),
    ("GET", "/history/cursor/terms-of-service/" + "1" * 23, 404, "has no version"),
    ("GET", "/history/cursor/terms-of-service/2?clause=x", 400, "clause must be an id"),
    ("GET", "/history/cursor/terms-of-service/2?fact=nope", 400, "fact must be one of"),
    ("GET", "/history/nobody/terms", 404, "termwatch tracks no document nobody/terms"),
    ("GET", "/compare?date=" + LONG, 400, "date must be written YYYY-MM-DD"),
    ("GET", "/termwatch/changes_feed.atom?service=%00", 400, "contains a control character"),
    ("GET", "/termwatch/terms_on_date?service=cursor%01&date=", 400, "control character"),
    ("GET", "/history/../../etc/passwd", 404, "not found"),
    ("GET", "/static/termwatch.css/x", 404, "not found"),
    ("GET", "/static/../../pyproject.toml", 404, "not inside root path"),
    ("GET", "/termwatch/nothing", 404, "not found"),
    ("GET", "/termwatch/versions.json?_sort=nothing", 400, "Cannot sort table by nothing"),
    ("GET", "/termwatch.json?sql=select+1", 403, SQL_OFF),
    ("POST", "/termwatch/services", 405, "this site is read-only"),
    ("PUT", "/history", 405, "this site is read-only"),
]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    path = tmp_path_factory.mktemp("errors") / "sample.db"
    build_sample_site(path)
    return build_datasette(path).app()


def send_raw(app, method: str, address: str) -> tuple[int, str]:
    """Status and body of ``address`` sent as is (``..`` and all) to the ASGI ``app``."""
    path, _, query = address.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": unquote(path),
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "headers": [(b"host", b"localhost")],
        "server": ("localhost", 80),
        "client": ("127.0.0.1", 50000),
    }
    answer: dict = {"body": b""}

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(event):
        if event["type"] == "http.response.start":
            answer["status"] = event["status"]
        else:
            answer["body"] += event.get("body", b"")

    asyncio.run(app(scope, receive, send))
    return answer["status"], answer["body"].decode("utf-8", "replace")


def reason(body: str) -> str:
    """The one line an error page gives (plain text, JSON or Datasette's error page)."""
    shown = re.search(r'solid red;">(.*?)</div>', body, re.DOTALL)
    return html.unescape(shown.group(1) if shown else body).strip()


@pytest.mark.parametrize(("method", "address", "status", "why"), CASES)
def test_a_crafted_address_gets_a_status_and_one_line(app, method, address, status, why):
    got, body = send_raw(app, method, address)
    assert got == status, body[:300]
    line = reason(body)
    assert why in line
    assert "\n" not in line and len(line) < 400
    assert str(PROJECT) not in body and "Traceback" not in body


def test_a_message_datasette_writes_in_html_is_said_as_text():
    html_message = '<p>SQL query took too long. See <a href="x">the docs</a></p>'
    timeout = DatasetteError(html_message, status=400, message_is_html=True)
    assert error_answer(timeout) == (400, "SQL query took too long. See the docs")


def test_an_unexpected_error_says_nothing_of_the_machine():
    status, line = error_answer(RuntimeError(f"[Errno 2] No such file: '{PROJECT}/secret'"))
    assert status == 500
    assert str(PROJECT) not in line and "secret" not in line
    assert "server log" in line
