"""Case officers sign in through their agency's OpenID Connect provider: agency and role come
from its claims (in development the simulated provider offers the staff directory)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, request, session, url_for

from contactpoint.auth import oidc, safe_next, start_officer_session
from contactpoint.auth.claims import claimed_officer
from contactpoint.auth.pages import failed, sign_out, unavailable
from contactpoint.auth.providers import ProviderUnavailable
from contactpoint.platform.i18n import current_language

bp = Blueprint("officer_login", __name__, url_prefix="/officer")
NEXT = "officer_sign_in_next"


def _inbox() -> str:
    return url_for("officer_inbox.inbox_page")


@bp.get("/login")
def login() -> Any:
    """Start signing in at the agency's provider; back to where the officer was going."""
    current_language()  # a ?lang= asked for here holds on the provider's page and back
    target = safe_next(request.args.get("next"), "/officer", _inbox())
    try:
        response = oidc.start("officer", url_for("officer_login.callback", _external=True))
    except ProviderUnavailable as error:
        return unavailable(error, "officer")
    session[NEXT] = target
    return response


@bp.get("/login/callback")
def callback() -> Any:
    """The provider's answer: a session for an officer of a known agency and role, or why not."""
    target = session.get(NEXT)
    try:
        claims = oidc.finish("officer")
    except oidc.SignInFailed as error:
        return failed(error.reason, "officer")
    except ProviderUnavailable as error:
        return unavailable(error, "officer")
    officer = claimed_officer(claims)
    if officer is None:
        return failed("no_access", "officer")
    start_officer_session(officer)
    return redirect(safe_next(target, "/officer", _inbox()))


@bp.post("/logout")
def logout() -> Any:
    """Sign out here and at the agency's provider."""
    return sign_out("officer")
