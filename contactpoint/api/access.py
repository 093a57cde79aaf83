"""Who calls comes first: the token is checked before the request's body or query is read.

A view's own `api_citizen()` / `api_agency()` runs after `@blp.arguments` has parsed the
request, so a call without a token but with a malformed body was told 422 (and what the
fields should be) before 401. Put these above `@blp.arguments`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from contactpoint.auth import api_agency, api_citizen

View = Callable[..., Any]


def citizen_first(view: View) -> View:
    """401 without a citizen's valid token, before anything else of the request is read."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        api_citizen()
        return view(*args, **kwargs)

    return wrapped


def agency_first(view: View) -> View:
    """401 without the agency system's valid token (404 for another agency's), before
    anything else of the request is read."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        api_agency(kwargs["agency"])
        return view(*args, **kwargs)

    return wrapped
