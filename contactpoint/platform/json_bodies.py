"""JSON that a request sends, read within bounds: nested too deeply, it is a 400, not a 500.

Both readers of a request's body go through `load_bounded`: Flask's (`request.get_json`) and
the one that `@blp.arguments` uses (webargs), which parses the body itself.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Request
from flask.json.provider import DefaultJSONProvider
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request

# Deeper than any request of the API needs (an answer is a value, a list or an address).
MAX_DEPTH = 32


def depth(value: Any) -> int:
    """How deeply lists and objects nest in a JSON value (a scalar is 0), without recursion."""
    deepest, pending = 0, [(value, 0)]
    while pending:
        item, level = pending.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level + 1)
            children = item.values() if isinstance(item, dict) else item
            pending.extend((child, level + 1) for child in children)
    return deepest


def load_bounded(text: str | bytes, **kwargs: Any) -> Any:
    """Parse JSON; a JSONDecodeError, as for any malformed JSON, when it nests too deeply
    (the parser's recursion would otherwise end in a RecursionError: a 500)."""
    document = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    try:
        value = json.loads(text, **kwargs)
    except RecursionError:
        raise json.JSONDecodeError("the JSON nests too deeply", document, 0) from None
    if depth(value) > MAX_DEPTH:
        raise json.JSONDecodeError(f"the JSON nests deeper than {MAX_DEPTH}", document, 0)
    return value


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, reading within bounds."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """Parse `s` with `load_bounded`."""
        return load_bounded(s, **kwargs)


class BoundedArgumentsParser(FlaskParser):
    """webargs' parser for `@blp.arguments`, reading a JSON body within bounds."""

    def _raw_load_json(self, req: Request) -> Any:
        if not is_json_request(req):
            return core.missing
        # Not UTF-8: the UnicodeDecodeError is webargs' own 400, as before.
        return load_bounded(req.get_data(cache=True).decode("utf-8"))
