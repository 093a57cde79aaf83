"""Who is calling: citizens (eID session or bearer token), case officers (staff session) and
agency systems (bearer token). A session is a citizen's or an officer's, never both.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, Literal, cast

from cachetools import LRUCache
from flask import current_app, g, redirect, request, session, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.orm import Session, make_transient_to_detached
from webargs.flaskparser import abort

from contactpoint.db.models import Person
from contactpoint.db.statements import PERSON, run_alone
from contactpoint.extensions import db, per_app

TOKEN_SALT = "contactpoint-api-token"
_TOKENS_LOCK = threading.Lock()  # the kept tokens are shared by a process's threads

Role = Literal["officer", "supervisor"]
ROLES: tuple[Role, ...] = ("officer", "supervisor")


@dataclass(frozen=True)
class Officer:
    """A person who handles one agency's case steps."""

    id: str
    agency: str
    name: str
    role: Role

    @property
    def actor(self) -> str:
        """How decisions and the audit trail name this officer."""
        return f"officer:{self.id}"

    @property
    def is_supervisor(self) -> bool:
        """Supervisors reassign steps, retry failed ones and read the audit trail."""
        return self.role == "supervisor"


def _serializer() -> URLSafeTimedSerializer:
    """The app's token serializer, made once (every API request checks a token)."""
    return per_app(
        "token_serializer",
        lambda: URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=TOKEN_SALT),
    )


def issue_token(kind: str, subject: str) -> str:
    """A signed, expiring bearer token for a citizen (person id) or an agency system."""
    return _serializer().dumps({"kind": kind, "sub": subject})


def read_token(kind: str) -> str | None:
    """The subject of a valid bearer token of this kind in the request, or None."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    claims = _verified(token, current_app.config["TOKEN_MAX_AGE_S"])
    if not isinstance(claims, dict) or claims.get("kind") != kind:
        return None
    return str(claims.get("sub"))


def _verified(token: str, max_age_s: int) -> Any:
    """The claims of a token signed by us and not expired, else None.

    A client sends the same token with every call: its signature is checked once, and the
    claims kept with the time it was signed, so that it still expires on time.
    """
    kept: LRUCache[str, tuple[Any, float]] = per_app(
        "verified_tokens", lambda: LRUCache(maxsize=10_000)
    )
    with _TOKENS_LOCK:
        found = kept.get(token)
    if found is not None and time.time() - found[1] <= max_age_s:
        return found[0]
    try:
        claims, signed_at = _serializer().loads(token, max_age=max_age_s, return_timestamp=True)
    except BadSignature:
        return None
    with _TOKENS_LOCK:
        kept[token] = (claims, signed_at.timestamp())
    return claims


def api_citizen() -> Person:
    """The citizen behind the bearer token; 401 otherwise."""
    person_id = read_token("citizen")
    person = known_person(person_id) if person_id else None
    if person is None:
        abort(401, message="Log in: send 'Authorization: Bearer <token>' with a citizen token.")
    g.person = person
    return person


def session_citizen() -> Person | None:
    """The citizen logged in to the pages, if any (never in an officer's session)."""
    if "officer" in session:
        return None
    person_id = session.get("person_id")
    return known_person(person_id) if person_id else None


def known_person(person_id: str) -> Person | None:
    """The person with this id, as the request's session would have loaded it.

    Every request of a logged-in citizen starts here, so the row is read by a statement that
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
                return redirect(url_for(login_endpoint, next=request.full_path))
            setattr(g, name, who)
            return view(*args, **kwargs)

        return wrapped

    return decorate


def fresh_session(**values: Any) -> None:
    """Start a new session holding `values`; only the chosen language carries over."""
    language = session.get("lang")
    session.clear()
    session.update(values)
    if language:
        session["lang"] = language


def start_citizen_session(person: Person) -> None:
    """Log a citizen in to the pages."""
    fresh_session(person_id=person.id)


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Pages for logged-in citizens; others go to the login page and come back."""
    return _requires(session_citizen, "login.login", "person")(view)


def api_agency(agency: str) -> str:
    """The agency system behind the bearer token: 401 without one, 404 for another agency."""
    caller = read_token("agency")
    if caller is None:
        abort(401, message="Send 'Authorization: Bearer <token>' with this agency's token.")
    if caller != agency:
        abort(404, message="There is no such agency here.")
    return agency


def start_officer_session(officer: Officer) -> None:
    """Log a case officer in: a fresh session holding who, for which agency, in which role."""
    held = {"id": officer.id, "agency": officer.agency, "name": officer.name}
    fresh_session(officer={**held, "role": officer.role})


def session_officer() -> Officer | None:
    """The case officer logged in to the staff pages, if any (never in a citizen's session)."""
    held = session.get("officer")
    if not isinstance(held, dict) or "person_id" in session or held.get("role") not in ROLES:
        return None
    return Officer(id=held["id"], agency=held["agency"], name=held["name"], role=held["role"])


def officer_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Staff pages: a case officer's session, else the staff login."""
    return _requires(session_officer, "officer_login.login", "officer")(view)


def safe_next(target: str | None, prefix: str, default: str) -> str:
    """Where to go after a login: only ever a path under `prefix` on this site."""
    if target and target.startswith(prefix) and not target.startswith("//"):
        return target
    return default
