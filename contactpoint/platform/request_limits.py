"""How large a request may be. Werkzeug refuses a body past MAX_CONTENT_LENGTH, and a multipart
form past MAX_FORM_MEMORY_SIZE or MAX_FORM_PARTS, with 413 before reading it all; this adds a
JSON body nested deeper than JSON_MAX_DEPTH, refused before it is parsed (Python's parser
recurses, and a few kilobytes of brackets would exhaust it). The API's schemas bound the
answers within (`contactpoint.api.schemas`)."""

from __future__ import annotations

import re

from flask import Flask, current_app, request
from webargs.flaskparser import abort

# A JSON string, escapes and all: brackets inside one do not nest anything.
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")


def nesting(body: bytes, deepest: int) -> int:
    """How deep a JSON text nests arrays and objects; counting stops once past `deepest`."""
    depth = most = 0
    for bracket in _BRACKET.findall(_STRING.sub(b'""', body)):
        if bracket in b"[{":
            depth += 1
            most = max(most, depth)
            if most > deepest:
                break
        else:
            depth -= 1
    return most


def refuse_deep_json() -> None:
    """Before a request: 413 for a JSON body that nests deeper than the service reads."""
    if not request.is_json:
        return
    deepest = current_app.config["JSON_MAX_DEPTH"]
    if nesting(request.get_data(cache=True), deepest) > deepest:
        abort(
            413,
            message=f"The JSON body nests arrays and objects more than {deepest} deep; "
            "a case's answers nest three deep.",
        )


def register_request_limits(app: Flask) -> None:
    """Check each request's JSON body for its depth (its size Werkzeug checks)."""
    app.before_request(refuse_deep_json)
