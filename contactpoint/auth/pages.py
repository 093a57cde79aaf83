"""The pages every sign-in shares: after sign-out, after a timeout, when sign-in fails or the
provider is down, and the "You'll be signed out soon" warning's questions."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Flask, g, jsonify, redirect, render_template, request, session, url_for

from contactpoint.auth import oidc, sessions
from contactpoint.auth.cookie import KeptSignerSessionInterface
from contactpoint.auth.providers import Audience, ProviderUnavailable
from contactpoint.platform.i18n import current_language

log = logging.getLogger(__name__)
bp = Blueprint("signin", __name__)
RETRY_AFTER_S = 60
# What a failed sign-in answers: the status, and the page's kind of problem.
FAILURES = {
    "state": 400,
    "cancelled": 400,
    "refused": 400,
    "id_token": 400,
    "assurance": 403,
    "personal_number": 403,
    "unknown_person": 403,
    "no_access": 403,
}


def register_sessions(app: Flask) -> None:
    """Sign the session cookie with a kept signer, check each request's session for its
    timeouts, and mount the shared sign-in pages."""
    app.session_interface = KeptSignerSessionInterface()
    app.before_request(_check)
    app.register_blueprint(bp)
    app.context_processor(lambda: {"session_left": _left_for_page()})


def _check() -> Any:
    sessions.check_session()
    timed_out = g.get("timed_out")
    if timed_out is None or request.path.startswith(("/api/", "/dev-idp/", "/static/")):
        return None
    if request.endpoint in ("signin.status", "signin.signed_out"):
        return None
    log.info("session ended after its time limit")
    continue_at = sessions.keep_after_timeout(timed_out)
    page = render_template(
        "signin/timed_out.html", officer=timed_out["officer"], continue_at=continue_at
    )
    return page, 401


def _left_for_page() -> sessions.Remaining | None:
    return sessions.remaining()


@bp.get("/signed-out")
def signed_out() -> Any:
    """Signed out here (and at the provider): the way back from RP-initiated logout too."""
    if g.get("timed_out"):
        return render_template("signin/timed_out.html", officer=g.timed_out["officer"]), 401
    for name in [key for key in session if key.startswith("_state_")]:
        session.pop(name)  # the logout's state, used up
    return render_template("signin/signed_out.html")


@bp.get("/session")
def status() -> Any:
    """How long the session has left (for the warning's script); asking is not activity."""
    left = sessions.remaining()
    if left is None:
        return jsonify(signed_in=False, seconds=0, warning=False)
    return jsonify(signed_in=True, seconds=left.seconds, warning=left.warning)


@bp.post("/session")
def stay() -> Any:
    """ "Stay signed in": the request itself counts as activity; back where the person was."""
    back = sessions.safe_next(request.args.get("next"), "/", url_for("home.index"))
    if request.accept_mimetypes.best == "application/json":
        return status()
    return redirect(back)


def begin_sign_in(audience: Audience, callback: str, within: str, home: str) -> Any:
    """Send the browser to the audience's provider, remembering where the person was going (a
    path under `within`, else `home`) for when the provider sends them back to `callback`."""
    current_language()  # a ?lang= asked for here holds on the provider's page and back
    target = sessions.safe_next(request.args.get("next"), within, home)
    try:
        response = oidc.start(audience, url_for(callback, _external=True))
    except ProviderUnavailable as error:
        return unavailable(error, audience)
    session[f"{audience}_sign_in_next"] = target
    return response


def provider_answer(audience: Audience) -> tuple[dict[str, Any] | None, Any]:
    """The provider's answer to a sign-in: its claims and where the person was going; or no
    claims and the page that says why not."""
    target = session.get(f"{audience}_sign_in_next")
    try:
        return oidc.finish(audience), target
    except oidc.SignInFailed as error:
        return None, failed(error.reason, audience)
    except ProviderUnavailable as error:
        return None, unavailable(error, audience)


def failed(reason: str, audience: Audience) -> Any:
    """A sign-in that ended without a session: a page that says what happened, in words."""
    sessions.fresh_session()
    log.info("sign-in ended without a session: %s", reason)
    page = render_template("signin/failed.html", reason=reason, audience=audience)
    return page, FAILURES.get(reason, 400)


def unavailable(error: ProviderUnavailable, audience: Audience) -> Any:
    """The provider is down or answered garbage: 503 with Retry-After."""
    log.warning("sign-in unavailable: %s", error)
    page = render_template("signin/unavailable.html", audience=audience)
    return page, 503, {"Retry-After": str(RETRY_AFTER_S), "Cache-Control": "no-store"}


def sign_out(audience: Audience) -> Any:
    """End the session here, and at the provider where it supports RP-initiated logout."""
    sessions.fresh_session()
    back = url_for("signin.signed_out", _external=True)
    at_provider = oidc.logout_url(audience, back)
    return redirect(at_provider or back)
