"""No text the service takes may hold a NUL character (U+0000): no id, answer or word has one,
and PostgreSQL cannot store one. A request with one in its path, query, JSON body or form is
refused with 400 before any view reads it, on every database alike: JSON under /api, the
service's error page elsewhere."""

from __future__ import annotations

from typing import Any

from flask import abort as page_abort
from flask import request
from webargs.flaskparser import abort

NUL = "\x00"
MESSAGE = "The request holds a NUL character (\\u0000), which no value here may hold."


def holds_nul(value: Any) -> bool:
    """Whether a NUL character is anywhere in a JSON value, keys included (no recursion)."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str) and NUL in item:
            return True
        if isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def refuse_nul() -> None:
    """400 for a request with a NUL character anywhere in what it sends."""
    query = [part for pair in request.args.items(multi=True) for part in pair]
    body = request.get_json(silent=True) if request.is_json else None
    form = [part for pair in request.form.items(multi=True) for part in pair]
    if NUL in request.path or holds_nul(query) or holds_nul(body) or holds_nul(form):
        if request.path.startswith("/api/"):
            abort(400, message=MESSAGE)
        page_abort(400)
