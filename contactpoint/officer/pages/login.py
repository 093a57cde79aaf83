"""Case officers sign in through their agency's OpenID Connect provider: agency and role come
from its claims (in development the simulated provider offers the staff directory)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, url_for

from contactpoint.auth import safe_next, start_officer_session
from contactpoint.auth.claims import claimed_officer
from contactpoint.auth.pages import begin_sign_in, failed, provider_answer, sign_out

bp = Blueprint("officer_login", __name__, url_prefix="/officer")


def _inbox() -> str:
    return url_for("officer_inbox.inbox_page")


@bp.get("/login")
def login() -> Any:
    """Start signing in at the agency's provider; back to where the officer was going."""
    return begin_sign_in("officer", "officer_login.callback", "/officer", _inbox())


@bp.get("/login/callback")
def callback() -> Any:
    """The provider's answer: a session for an officer of a known agency and role, or why not."""
    claims, target = provider_answer("officer")
    if claims is None:
        return target  # the page that says why not
    officer = claimed_officer(claims)
    if officer is None:
        return failed("no_access", "officer")
    start_officer_session(officer)
    return redirect(safe_next(target, "/officer", _inbox()))


@bp.post("/logout")
def logout() -> Any:
    """Sign out here and at the agency's provider."""
    return sign_out("officer")
