"""The Content-Security-Policy every page is served with: only the site's own scripts run.

termwatch's pages have no script of their own; Datasette's templates ship a few inline ones
(closing open menus, the SQL editor, the table page's facet flag). Those are allowed by the
SHA-256 of their text, computed from the templates Datasette will render, so that a script
that came from anywhere else (crawled text, were the markup policy ever to fail) does not
run. Styles may be inline (Datasette's templates set colours with ``style``); images, fonts
and scripts come from this site only, and no page can be framed or post a form elsewhere.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable

import jinja2

_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def inline_scripts(template_sources: Iterable[str], context: dict[str, str]) -> set[str]:
    """The text of each inline ``<script>`` of the templates, as the page will contain it.

    A script with a template expression (``{{ datasette_allow_facet }}``) is rendered with
    ``context``, the values the site's settings give it.
    """
    render = jinja2.Environment(autoescape=True).from_string
    return {
        render(body).render(context) if "{{" in body else body
        for source in template_sources
        for body in _INLINE_SCRIPT.findall(source)
    }


def script_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def content_security_policy(scripts: Iterable[str]) -> str:
    allowed = " ".join(sorted(script_hash(script) for script in scripts))
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src 'self' {allowed}".strip(),
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self'",
            "font-src 'self'",
            "connect-src 'self'",
            "form-action 'self'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ]
    )
