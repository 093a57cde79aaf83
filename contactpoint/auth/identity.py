"""Who is calling: citizens (a signed-in session or a bearer access token), case officers (a
signed-in session) and agency systems (a bearer access token). A session is a citizen's or an
officer's, never both.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

import sqlalchemy as sa
from cachetools import LRUCache
from flask import current_app, g, redirect, request, session, url_for
from sqlalchemy.orm import Session, make_transient_to_detached
from webargs.flaskparser import abort

from contactpoint.auth import tokens
from contactpoint.auth.officers import ROLES, Officer
from contactpoint.auth.providers import ProviderUnavailable
from contactpoint.db.models import Person
from contactpoint.db.statements import PERSON, run_alone
from contactpoint.extensions import db, per_app

UNAVAILABLE_RETRY_AFTER_S = 30


def _refused(error: tokens.TokenRefused) -> None:
    """401 with a JSON body naming the reason, as RFC 6750 says in WWW-Authenticate too."""
    challenge = 'Bearer realm="api"'
    if error.reason != "missing":
        challenge += f', error="invalid_token", error_description="{error.reason}"'
    abort(
        401,
        message=tokens.MESSAGES[error.reason],
        errors={"token": [error.reason]},
        headers={"WWW-Authenticate": challenge},
    )


def _token_caller(kind: tokens.Kind) -> tokens.Caller:
    """The checked caller of the request's token; 401 with the reason, 503 if the provider's
    keys cannot be fetched."""
    try:
        return tokens.caller(kind)
    except tokens.TokenRefused as error:
        _refused(error)
    except ProviderUnavailable as error:
        current_app.logger.warning("access token not checked: %s", error)
        abort(
            503,
            message="Sign-in is unavailable just now: the provider cannot be reached.",
            headers={"Retry-After": str(UNAVAILABLE_RETRY_AFTER_S)},
        )
    raise AssertionError("unreachable")


def person_id_by_number(personal_number: str) -> str | None:
    """The id of the person with this personal identity number, if known here."""
    found = db.session.scalar(sa.select(Person.id).where(Person.personal_number == personal_number))
    return str(found) if found else None


def token_person_id() -> str | None:
    """The id of the known citizen behind a valid bearer token, or None (no 401 here)."""
    try:
        caller = tokens.caller("citizen")
    except (tokens.TokenRefused, ProviderUnavailable):
        return None
    kept: LRUCache[str, str] = per_app("person_by_number", lambda: LRUCache(maxsize=10_000))
    found = kept.get(caller.subject)
    if found is None:
        found = person_id_by_number(caller.subject)
        if found is not None:  # someone not known yet may be registered later
            kept[caller.subject] = found
    return found


def api_citizen() -> Person:
    """The citizen behind the bearer access token; 401 with the reason otherwise."""
    caller = _token_caller("citizen")
    person_id = token_person_id() if caller else None
    person = known_person(person_id) if person_id else None
    if person is None:
        abort(
            401,
            message="The access token names no one known here.",
            errors={"token": ["unknown_person"]},
        )
    g.person = person
    return person


def api_agency(agency: str) -> str:
    """The agency system behind the bearer token: 401 without a valid one, 404 for another
    agency."""
    caller = _token_caller("agency")
    if caller.subject != agency:
        abort(404, message="There is no such agency here.")
    return agency


def session_citizen() -> Person | None:
    """The citizen signed in to the pages, if any (never in an officer's session)."""
    if "officer" in session:
        return None
    person_id = session.get("person_id")
    return known_person(person_id) if person_id else None


def known_person(person_id: str) -> Person | None:
    """The person with this id, as the request's session would have loaded it.

    Every request of a signed-in citizen starts here, so the row is read by a statement that
    commits by itself (`run_alone`): on PostgreSQL one prepared round trip, where the
    session's read took a BEGIN, a statement planned anew and an end of the transaction.
    The session then holds the person as if it had loaded it, without asking again.
    """
    found = db.session.identity_map.get(Session.identity_key(Person, person_id))
    if found is not None:
        return cast(Person, found)
    rows = run_alone(PERSON, person_id=person_id)
    if not rows:
        return None
    person = Person(**rows[0]._asdict())
    make_transient_to_detached(person)
    return db.session.merge(person, load=False)


def _requires(
    load: Callable[[], Any], login_endpoint: str, name: str
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A decorator: the view runs with `g.<name>` set, else the login page and back."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            who = load()
            if who is None:
                return sign_in_first(login_endpoint)
            setattr(g, name, who)
            return view(*args, **kwargs)

        return wrapped

    return decorate


def sign_in_first(login_endpoint: str = "login.login") -> Any:
    """To the sign-in page, and back to this page afterwards."""
    return redirect(url_for(login_endpoint, next=request.full_path))


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Pages for signed-in citizens; others go to sign in and come back."""
    return _requires(session_citizen, "login.login", "person")(view)


def citizen_id_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """As `login_required`, for a page that reads the person's row itself, in the statement
    it reads the rest with (My pages): `g.person_id` is the session's citizen, and the view
    sends them to `sign_in_first()` when no such person is found."""
    return _requires(_session_citizen_id, "login.login", "person_id")(view)


def _session_citizen_id() -> str | None:
    person_id = None if "officer" in session else session.get("person_id")
    return person_id if isinstance(person_id, str) else None


def session_officer() -> Officer | None:
    """The case officer signed in to the staff pages, if any (never in a citizen's session)."""
    held = session.get("officer")
    if not isinstance(held, dict) or "person_id" in session or held.get("role") not in ROLES:
        return None
    return Officer(id=held["id"], agency=held["agency"], name=held["name"], role=held["role"])


def officer_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Staff pages: a case officer's session, else the staff sign-in."""
    return _requires(session_officer, "officer_login.login", "officer")(view)
