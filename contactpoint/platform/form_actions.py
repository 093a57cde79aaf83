"""A form's action answers GET too: a sign-in comes back to the address that asked for it.

The sign-in decorators send a signed-out person to the login page with `next` set to the
address they asked for. When that was a form's POST, the person comes back with a GET of the
same address: without this, that GET ends on "405 Method Not Allowed".
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import redirect, request

View = Callable[..., Any]


def form_action(page: Callable[..., str]) -> Callable[[View], View]:
    """A POST view that a GET answers by going to `page(**url_values)`: the page the form is
    on. Put it under the sign-in decorator and register the route for GET and POST."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if request.method == "GET":
                return redirect(page(**kwargs))
            return view(*args, **kwargs)

        return wrapped

    return decorate
