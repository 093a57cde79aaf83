"""Citizens sign in with eID through the configured OpenID Connect provider (in development the
simulated one at /dev-idp), and sign out here and at the provider."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, url_for

from contactpoint.auth import safe_next, start_citizen_session
from contactpoint.auth.claims import claimed_personal_number
from contactpoint.auth.identity import person_id_by_number
from contactpoint.auth.pages import begin_sign_in, failed, provider_answer, sign_out

bp = Blueprint("login", __name__)


@bp.get("/login")
def login() -> Any:
    """Start signing in: to the provider, then back to where the person was going."""
    return begin_sign_in("citizen", "login.callback", "/", url_for("mypages.index"))


@bp.get("/login/callback")
def callback() -> Any:
    """The provider's answer: a session for a known person, or a page saying why not."""
    claims, target = provider_answer("citizen")
    if claims is None:
        return target  # the page that says why not
    number = claimed_personal_number(claims)
    if number is None:
        return failed("personal_number", "citizen")
    person_id = person_id_by_number(number)
    if person_id is None:
        return failed("unknown_person", "citizen")
    start_citizen_session(person_id)
    return redirect(safe_next(target, "/", url_for("mypages.index")))


@bp.post("/logout")
def logout() -> Any:
    """Sign out here and at the provider."""
    return sign_out("citizen")
