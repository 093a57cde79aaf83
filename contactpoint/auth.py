"""Who is calling: citizens (eID session or bearer token) and agency systems (bearer token)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import current_app, g, redirect, request, session, url_for
from flask_smorest import abort
from itsdangerous import BadSignature, URLSafeTimedSerializer

from .extensions import db
from .models import Person

TOKEN_SALT = "contactpoint-api-token"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=TOKEN_SALT)


def issue_token(kind: str, subject: str) -> str:
    """A signed, expiring bearer token for a citizen (person id) or an agency system."""
    return _serializer().dumps({"kind": kind, "sub": subject})


def read_token(kind: str) -> str | None:
    """The subject of a valid bearer token of this kind in the request, or None."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    try:
        claims = _serializer().loads(token, max_age=current_app.config["TOKEN_MAX_AGE_S"])
    except BadSignature:
        return None
    if not isinstance(claims, dict) or claims.get("kind") != kind:
        return None
    return str(claims.get("sub"))


def api_citizen() -> Person:
    """The citizen behind the bearer token; 401 otherwise."""
    person_id = read_token("citizen")
    person = db.session.get(Person, person_id) if person_id else None
    if person is None:
        abort(401, message="Log in: send 'Authorization: Bearer <token>' with a citizen token.")
    g.person = person
    return person


def session_citizen() -> Person | None:
    """The citizen logged in to the pages, if any."""
    person_id = session.get("person_id")
    return db.session.get(Person, person_id) if person_id else None


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Pages for logged-in citizens; others go to the login page and come back."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        person = session_citizen()
        if person is None:
            return redirect(url_for("login.login", next=request.full_path))
        g.person = person
        return view(*args, **kwargs)

    return wrapped
