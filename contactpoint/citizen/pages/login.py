"""Citizens sign in with eID through the configured OpenID Connect provider (in development the
simulated one at /dev-idp), and sign out here and at the provider."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, request, session, url_for

from contactpoint.auth import oidc, safe_next, start_citizen_session
from contactpoint.auth.claims import claimed_personal_number
from contactpoint.auth.identity import person_id_by_number
from contactpoint.auth.pages import failed, sign_out, unavailable
from contactpoint.auth.providers import ProviderUnavailable
from contactpoint.platform.i18n import current_language

bp = Blueprint("login", __name__)
NEXT = "sign_in_next"


@bp.get("/login")
def login() -> Any:
    """Start signing in: to the provider, then back to where the person was going."""
    current_language()  # a ?lang= asked for here holds on the provider's page and back
    target = safe_next(request.args.get("next"), "/", url_for("mypages.index"))
    try:
        response = oidc.start("citizen", url_for("login.callback", _external=True))
    except ProviderUnavailable as error:
        return unavailable(error, "citizen")
    session[NEXT] = target
    return response


@bp.get("/login/callback")
def callback() -> Any:
    """The provider's answer: a session for a known person, or a page saying why not."""
    target = session.get(NEXT)
    try:
        claims = oidc.finish("citizen")
    except oidc.SignInFailed as error:
        return failed(error.reason, "citizen")
    except ProviderUnavailable as error:
        return unavailable(error, "citizen")
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
