"""What the site answers to requests it cannot serve: a status and one line, never a crash.

Two places: ``guard`` wraps the whole application (only ``GET`` and ``HEAD``, no control
character in a parameter; both refused before any view runs, with the site's headers
added to every response), and ``error_answer`` turns any exception a view raised into a
status and a one-line reason that never shows a path of the machine or a traceback (those
go to the server's log, for a 500).

Datasette's own error handler is not used: for an address no route matches it prints a
traceback outside an ``except`` block, which raises in its turn (the 500 of
``/history/../../etc/passwd``), and its 500 page shows the exception's text, paths included.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import traceback
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from urllib.parse import parse_qsl

from datasette.utils.asgi import Base400, Forbidden
from datasette.views.base import DatasetteError
from markupsafe import Markup

ASGIApp = Callable[[dict, Callable, Callable], Awaitable[None]]
METHODS = {"GET", "HEAD"}
MAX_SHOWN = 40  # characters of a rejected value repeated in a message
SQL_OFF = (
    "arbitrary SQL is turned off on this site (termwatch serve --allow-sql turns it on); "
    "tables, views and canned queries answer"
)


def shown(value: str) -> str:
    """A rejected value as a message repeats it: quoted, cut short."""
    return repr(value if len(value) <= MAX_SHOWN else value[:MAX_SHOWN] + "…")


def guard(app: ASGIApp, headers: list[tuple[bytes, bytes]]) -> ASGIApp:
    """``app`` answering only what a read-only site should, ``headers`` on every response."""

    async def guarded(scope, receive, send):
        async def send_with_headers(event):
            if event["type"] == "http.response.start":
                event = {**event, "headers": [*event.get("headers", []), *headers]}
            await send(event)

        if scope["type"] != "http":
            return await app(scope, receive, send)
        refusal = _refusal(scope)
        if refusal:
            status, message = refusal
            allow = [(b"allow", b"GET, HEAD")] if status == 405 else []
            return await _send_text(send_with_headers, status, message, allow)
        await app(scope, receive, send_with_headers)

    return guarded


def _refusal(scope: dict) -> tuple[int, str] | None:
    if scope["method"] not in METHODS:
        return 405, f"this site is read-only: it answers GET and HEAD, not {scope['method']}"
    if _has_control_character(scope["path"]):
        return 400, "the address contains a control character"
    query = scope.get("query_string", b"").decode("utf-8", "replace")
    for name, value in parse_qsl(query, keep_blank_values=True):
        if _has_control_character(name + value):
            return 400, f"parameter {shown(name)} contains a control character"
    return None


def _has_control_character(text: str) -> bool:
    return any(ord(character) < 32 or ord(character) == 127 for character in text)


async def _send_text(send, status: int, message: str, extra_headers=()) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), *extra_headers],
        }
    )
    await send({"type": "http.response.body", "body": f"{status}: {message}\n".encode()})


def error_answer(exception: BaseException) -> tuple[int, str]:
    """The status and the one-line reason to answer for ``exception``."""
    if isinstance(exception, Forbidden) and exception.args == ("execute-sql",):
        return 403, SQL_OFF
    if isinstance(exception, Base400):
        return exception.status, _reason(
            exception.status, exception.args[0] if exception.args else ""
        )
    if isinstance(exception, DatasetteError):
        # Datasette raises it for what the request asked (``_sort`` by a missing column...),
        # with 500 as its default status: the request's fault, so a 400.
        status = 400 if exception.status == 500 else exception.status
        message = exception.message
        if exception.message_is_html:  # "SQL query took too long" and its link, as text
            message = Markup(message).striptags()
        return status, _reason(status, message)
    if isinstance(exception, FileNotFoundError | NotADirectoryError):
        return 404, "not found"
    traceback.print_exception(exception, file=sys.stderr)
    if isinstance(exception, sqlite3.DatabaseError):
        return 500, "the database could not be read (damaged? the server log says more)"
    return 500, "internal error: this page could not be made (the server log says why)"


def _reason(status: int, message: object) -> str:
    """``message`` on one line; the status's phrase when it says no more than its number."""
    line = " ".join(str(message).split())
    return line if line and line != str(status) else HTTPStatus(status).phrase.lower()


def json_error(status: int, message: str) -> str:
    return json.dumps({"ok": False, "status": status, "error": message})
