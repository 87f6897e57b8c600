"""termwatch's own pages on top of Datasette: the comparison matrix and document histories.

Registered with Datasette by the package's ``datasette`` entry point (``pyproject.toml``).
Each route only reads the database and hands the result to a template; the logic is in
``termwatch.site``.

- ``/compare``: assistants × questions, as of today or ``?date=YYYY-MM-DD`` (``.json`` too)
- ``/history``: every tracked document
- ``/history/<service>/<document_type>``: its versions on a timeline and a side-by-side
  diff of any two (``?from=ID&to=ID``, default the last two)
- ``/history/<service>/<document_type>/<version_id>``: one version, rendered, with the
  evidence of a fact (``?fact=NAME``) or a clause (``?clause=ID``) highlighted
"""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, date, datetime
from fnmatch import fnmatch
from itertools import groupby

from datasette import hookimpl
from datasette.utils import is_url
from datasette.utils.asgi import BadRequest, Forbidden, NotFound, Response
from markupsafe import Markup, escape

from termwatch.analysis.facts import FACTS
from termwatch.site import bounds, comparison, guard, history, policy, timeline
from termwatch.site.markup import LINK_REL, render_markdown

DATABASE = "termwatch"
PLUGIN = "termwatch_pages"  # its configuration in metadata.yml
JSON = "application/json; charset=utf-8"
CATEGORY_LABELS = {
    "coding-assistant": "AI coding assistants",
    "ai-developer-platform": "AI developer platforms",
    "llm-vendor": "Model vendors",
}


@hookimpl
def register_routes():
    document = r"/history/(?P<service>[^/]+)/(?P<document_type>[^/]+)"
    return [
        (r"^/compare(?P<as_json>\.json)?$", compare_page),
        (r"^/history/?$", history_index),
        (rf"^{document}$", history_page),
        (rf"^{document}/(?P<version_id>[0-9]+)$", version_page),
    ]


@hookimpl
def prepare_connection(conn):
    """No query reads more than the site's bounds (``termwatch.site.bounds``)."""
    bounds.bound_connection(conn)


@hookimpl
def asgi_wrapper(datasette):
    """Every response says what the browser may load and run (``termwatch.site.policy``);
    requests a read-only site cannot serve are refused first (``termwatch.site.guard``)."""
    env = datasette.jinja_env
    sources = [env.loader.get_source(env, name)[0] for name in env.loader.list_templates()]
    allow_facet = "true" if datasette.setting("allow_facet") else "false"
    scripts = policy.inline_scripts(sources, {"datasette_allow_facet": allow_facet})
    headers = [
        (b"content-security-policy", policy.content_security_policy(scripts).encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"same-origin"),
    ]
    return lambda app: guard.guard(app, headers)


@hookimpl(hookwrapper=True)
def handle_exception(datasette, request, exception):
    """termwatch's error answer replaces Datasette's (see ``termwatch.site.guard``)."""
    outcome = yield
    outcome.force_result([lambda: _error_response(datasette, request, exception)])


@hookimpl(tryfirst=True)
def forbidden(datasette, request, message):
    return lambda: _error_response(datasette, request, Forbidden(message))


async def _error_response(datasette, request, exception) -> Response:
    status, message = guard.error_answer(exception)
    if request.path.endswith(".json"):
        return Response(guard.json_error(status, message), status, content_type=JSON)
    try:
        page = await datasette.render_template(
            "error.html", {"title": f"Error {status}", "error": message}, request=request
        )
    except Exception:  # noqa: BLE001 - an error page must not fail in its turn
        return Response.text(f"{status}: {message}\n", status=status)
    return Response.html(page, status=status)


@hookimpl
def menu_links(datasette):
    return [
        {"href": datasette.urls.path("/compare"), "label": "Compare assistants"},
        {"href": datasette.urls.path("/history"), "label": "Document histories"},
        {"href": datasette.urls.path(f"/{DATABASE}/changes_feed.atom"), "label": "Change feed"},
    ]


@hookimpl
def register_magic_parameters(datasette):
    """``:_termwatch_base_url`` in SQL: the site's absolute address, for the feed's links.

    The configured public URL (``termwatch serve --public-url``) if any, else the scheme
    and host the request came to, so that a feed reader gets links it can follow.
    """

    def termwatch(key, request):
        if key != "base_url":
            raise KeyError(key)
        configured = (datasette.plugin_config(PLUGIN) or {}).get("public_url")
        if configured:
            return configured
        return f"{request.scheme}://{request.host}" + datasette.urls.path("/").rstrip("/")

    return [("termwatch", termwatch)]


@hookimpl(tryfirst=True)  # before any other Markdown renderer that may be installed
def render_cell(value, column, table, database, datasette):
    """Markdown columns (``termwatch_pages`` in metadata.yml) rendered inert; site paths in
    ``*_url`` columns of the views become links (``//host`` is another site: left as text);
    web addresses become links marked as the Markdown's are (Datasette's own have no rel).

    A whole version's Markdown takes a tenth of a second to render: in a thread (Datasette
    awaits what this returns), so that the server keeps answering other requests meanwhile.
    """
    if not isinstance(value, str):
        return None
    config = datasette.plugin_config(PLUGIN, database=database, table=table) or {}
    if column in config.get("markdown_columns", ()) or any(
        fnmatch(column, pattern) for pattern in config.get("markdown_patterns", ())
    ):
        return asyncio.to_thread(render_markdown, value)
    if column.endswith("_url") and value.startswith("/") and not value.startswith("//"):
        return Markup(f'<a href="{escape(value)}">{escape(value)}</a>')
    if is_url(value.strip()):
        address = escape(value.strip())
        return Markup(f'<a href="{address}" rel="{LINK_REL}">{address}</a>')
    return None


def _parse_date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError as error:
        raise BadRequest(f"date must be written YYYY-MM-DD, got {guard.shown(value)}") from error


_ID = re.compile(r"[0-9]{1,18}")  # an id SQLite can hold (64-bit), in ASCII digits


def _parse_id(request, name: str) -> int | None:
    value = request.args.get(name)
    if not value:
        return None
    if not _ID.fullmatch(value):
        raise BadRequest(f"{name} must be an id (a number), got {guard.shown(value)}")
    return int(value)


def _parse_fact(request) -> str | None:
    fact = request.args.get("fact") or None
    if fact is not None and fact not in FACTS:
        raise BadRequest(f"fact must be one of {', '.join(FACTS)}, got {guard.shown(fact)}")
    return fact


async def _call(datasette, function, *args):
    """Run a ``termwatch.site`` function on a read-only connection, NotFound as a 404."""
    try:
        return await datasette.get_database(DATABASE).execute_fn(lambda conn: function(conn, *args))
    except history.NotFound as error:
        raise NotFound(str(error)) from error


async def compare_page(datasette, request):
    as_of = _parse_date(request.args.get("date"))
    category = request.args.get("category") or ""
    rows = await _call(datasette, comparison.matrix, as_of)
    if category:
        rows = [row for row in rows if row.category == category]
    if request.url_vars.get("as_json"):
        return Response.json(
            {
                "as_of": as_of,
                "dimensions": [
                    {"name": d.name, "label": d.label, "facts": d.facts, "question": d.question}
                    for d in comparison.DIMENSIONS
                ],
                "rows": [row.as_dict() for row in rows],
            }
        )
    first_date = await _call(datasette, _first_version_date)
    return Response.html(
        await datasette.render_template(
            "compare.html",
            {
                "as_of": as_of,
                "category": category,
                "categories": CATEGORY_LABELS,
                "groups": _group(rows),
                "dimensions": comparison.DIMENSIONS,
                "first_date": first_date,
                "today": datetime.now(UTC).date().isoformat(),
                "row_count": len(rows),
            },
            request=request,
        )
    )


def _first_version_date(conn) -> str:
    value = conn.execute("select min(recorded_at) from versions").fetchone()[0]
    return (value or "")[:10]


def _group(rows: list[comparison.Row]) -> list[dict]:
    """Rows by category, then by service (a service's editions share its name cell)."""
    groups = []
    for category, in_category in groupby(rows, key=lambda row: row.category):
        services = []
        for slug, editions in groupby(in_category, key=lambda row: row.service):
            editions = list(editions)
            services.append({"slug": slug, "name": editions[0].service_name, "rows": editions})
        groups.append({"label": CATEGORY_LABELS.get(category, category), "services": services})
    return groups


async def history_index(datasette, request):
    documents = await _call(datasette, _documents)
    chart = await _call(datasette, timeline.overview_chart)
    by_service = []
    for slug, rows in groupby(documents, key=lambda row: row["service"]):
        rows = list(rows)
        by_service.append({"slug": slug, "name": rows[0]["service_name"], "documents": rows})
    return Response.html(
        await datasette.render_template(
            "history_index.html", {"services": by_service, "chart": chart}, request=request
        )
    )


def _documents(conn) -> list[dict]:
    return comparison.fetch_dicts(
        conn,
        "select service, service_name, document_type, title, audience, region, versions, "
        "version_date from current_versions order by lower(service_name), document_type",
    )


async def history_page(datasette, request):
    service, document_type = request.url_vars["service"], request.url_vars["document_type"]
    old_id, new_id = _parse_id(request, "from"), _parse_id(request, "to")
    page = await _call(datasette, _history, service, document_type, old_id, new_id)
    return Response.html(await datasette.render_template("history.html", page, request=request))


def _history(conn, service: str, document_type: str, old_id: int | None, new_id: int | None):
    document = history.find_document(conn, service, document_type)
    versions = history.versions(conn, document["id"])
    page = {
        "document": document,
        "versions": versions,
        "old": None,
        "new": None,
        "chart": timeline.document_chart(conn, document["id"]),
    }
    if len(versions) < 2:
        return page
    ids = [version.id for version in versions]
    new_id = new_id or ids[-1]
    if new_id not in ids or (old_id is not None and old_id not in ids):
        raise history.NotFound(f"{document['id']} has no such version")
    if old_id is None:
        old_id = ids[max(0, ids.index(new_id) - 1)]
    old = history.load_version(conn, old_id, document["id"])
    new = history.load_version(conn, new_id, document["id"])
    base = f"/history/{document['service']}/{document['document_type']}"
    page.update(
        chart=timeline.document_chart(conn, document["id"], [f"{base}?from={old_id}&to={new_id}"]),
        old=old,
        new=new,
        diff=history.side_by_side(old["text"], new["text"]),
        facts=history.fact_diff(conn, old_id, new_id),
        clauses=history.clause_changes(conn, old, new),
        recorded=history.recorded_changes(conn, document["id"], old, new),
    )
    return page


async def version_page(datasette, request):
    service, document_type = request.url_vars["service"], request.url_vars["document_type"]
    version_id = request.url_vars["version_id"]
    if not _ID.fullmatch(version_id):
        raise NotFound(f"{service}/{document_type} has no version {guard.shown(version_id)}")
    fact, clause = _parse_fact(request), _parse_id(request, "clause")
    page = await _call(datasette, _version, service, document_type, int(version_id), fact, clause)
    return Response.html(await datasette.render_template("version.html", page, request=request))


def _version(conn, service, document_type, version_id, fact, clause):
    document = history.find_document(conn, service, document_type)
    version = history.load_version(conn, version_id, document["id"])
    evidence = history.find_evidence(conn, version, fact, clause)
    ids = [
        row[0]
        for row in conn.execute(
            "select id from versions where document_id = ? order by recorded_at, id",
            [document["id"]],
        )
    ]
    position = ids.index(version_id)
    return {
        "document": document,
        "version": version,
        "number": position + 1,
        "count": len(ids),
        "previous_id": ids[position - 1] if position > 0 else None,
        "next_id": ids[position + 1] if position + 1 < len(ids) else None,
        "evidence": evidence,
        "fact_definition": FACTS[fact].definition if fact in FACTS else None,
        "fact": fact,
        "html": history.render_version(version["text"], evidence),
    }
