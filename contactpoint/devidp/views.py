"""The simulated eID as an OpenID Connect provider: discovery, keys, the sign-in page
(authorization code with PKCE), the token endpoint and RP-initiated logout."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from authlib.common.urls import add_params_to_uri
from flask import Blueprint, abort, jsonify, redirect, render_template, request
from flask_babel import gettext as _

from agencies.municipalities import code_of
from agencies.population import TEST_POPULATION
from contactpoint.auth.claims import personal_number
from contactpoint.citizen.presenters import agency_name
from contactpoint.devidp import grants, issue
from contactpoint.devidp.clients import Client, authenticated_client, client
from contactpoint.devidp.keys import ALGORITHM, jwks
from contactpoint.extensions import csrf
from contactpoint.officer.staff import agencies, staff_of

bp = Blueprint("devidp", __name__, url_prefix="/dev-idp")


@bp.get("/.well-known/openid-configuration")
def discovery() -> Any:
    """The provider's metadata (OpenID Connect Discovery 1.0)."""
    base = issue.issuer()
    return jsonify(
        issuer=base,
        authorization_endpoint=f"{base}/authorize",
        token_endpoint=f"{base}/token",
        jwks_uri=f"{base}/jwks",
        end_session_endpoint=f"{base}/logout",
        response_types_supported=["code"],
        grant_types_supported=["authorization_code", "client_credentials"],
        subject_types_supported=["pairwise"],
        id_token_signing_alg_values_supported=[ALGORITHM],
        code_challenge_methods_supported=["S256"],
        token_endpoint_auth_methods_supported=["client_secret_basic", "client_secret_post"],
        scopes_supported=["openid", "profile", "https://id.oidc.se/scope/naturalPersonNumber"],
        claims_supported=[
            "sub",
            "name",
            "given_name",
            "family_name",
            "https://id.oidc.se/claim/personalIdentityNumber",
        ],
    )


@bp.get("/jwks")
def keys() -> Any:
    """The public keys that verify what the provider signs."""
    return jsonify(jwks())


def _same_site(uri: str | None) -> bool:
    """Redirects go back only to this site: the simulated provider's registration."""
    if not uri:
        return False
    return urlsplit(uri).netloc == request.host and uri.startswith(request.host_url)


def _back(uri: str, **params: str) -> Any:
    return redirect(add_params_to_uri(uri, [(k, v) for k, v in params.items() if v]))


@bp.route("/authorize", methods=["GET", "POST"])
def authorize() -> Any:
    """Sign a person in: a citizen types or picks a personal number, an officer picks who."""
    args = request.args
    found, redirect_uri, state = (
        client(args.get("client_id")),
        args.get("redirect_uri"),
        args.get("state", ""),
    )
    if found is None or found.kind == "agency" or not _same_site(redirect_uri):
        abort(400)
    assert redirect_uri is not None
    if args.get("response_type") != "code" or "openid" not in args.get("scope", "").split():
        return _back(redirect_uri, error="unsupported_response_type", state=state)
    if args.get("code_challenge_method") != "S256" or not args.get("code_challenge"):
        return _back(
            redirect_uri,
            error="invalid_request",
            error_description="PKCE S256 is required",
            state=state,
        )
    if request.method == "GET":
        return _page(found)
    if "cancel" in request.form:
        return _back(redirect_uri, error="access_denied", state=state)
    claims = _who(found)
    if claims is None:
        return _page(found, error=True), 422
    grant = {
        "client_id": found.id,
        "redirect_uri": redirect_uri,
        "challenge": args["code_challenge"],
        "nonce": args.get("nonce"),
        "scope": args.get("scope", "openid"),
        "claims": claims,
    }
    return _back(redirect_uri, code=grants.new_code(grant), state=state, iss=issue.issuer())


def _who(found: Client) -> dict[str, Any] | None:
    if found.kind == "officer":
        return issue.officer_claims(request.form.get("officer", ""))
    number = personal_number(request.form.get("personal_number", ""))
    return issue.citizen_claims(number) if number else None


def _page(found: Client, error: bool = False) -> str:
    if found.kind == "officer":
        choices = [(agency, agency_name(agency), staff_of(agency)) for agency in agencies()]
        # The 290 municipalities in one list to choose from, by name, not 290 sections.
        national = [choice for choice in choices if code_of(choice[0]) is None]
        municipal = sorted((c for c in choices if code_of(c[0])), key=lambda c: c[1])
        return render_template("devidp/officer.html", agencies=national, municipalities=municipal)
    message = (
        _("Enter a personal identity number of 12 digits, like 19850312-2387.") if error else None
    )
    typed = request.form.get("personal_number", "").strip()
    return render_template(
        "devidp/citizen.html", population=TEST_POPULATION, error=message, typed=typed
    )


@bp.post("/token")
@csrf.exempt
def token() -> Any:
    """Exchange a code (with its PKCE verifier) or client credentials for tokens."""
    found = authenticated_client()
    if found is None:
        return _oauth_error("invalid_client", 401)
    grant_type = request.form.get("grant_type")
    if grant_type == "client_credentials":
        if found.kind != "agency":
            return _oauth_error("unauthorized_client")
        return _no_store(issue.token_response(found.id, issue.agency_claims(found.id), "agency"))
    if grant_type != "authorization_code":
        return _oauth_error("unsupported_grant_type")
    grant = grants.take_code(request.form.get("code", ""))
    verifier = request.form.get("code_verifier", "")
    if (
        grant is None
        or grant["client_id"] != found.id
        or grant["redirect_uri"] != request.form.get("redirect_uri")
        or not grants.pkce_matches(verifier, grant["challenge"])
    ):
        return _oauth_error("invalid_grant")
    claims, scope = grant["claims"], grant["scope"]
    id_token = issue.id_token(found.id, claims, grant["nonce"])
    return _no_store(issue.token_response(found.id, claims, scope, id_token=id_token))


def _oauth_error(error: str, status: int = 400) -> Any:
    return _no_store({"error": error}, status)


def _no_store(body: dict[str, Any], status: int = 200) -> Any:
    return jsonify(body), status, {"Cache-Control": "no-store", "Pragma": "no-cache"}


@bp.get("/logout")
def logout() -> Any:
    """RP-initiated logout: nothing is kept here between sign-ins; back to the client."""
    back = request.args.get("post_logout_redirect_uri")
    if _same_site(back):
        assert back is not None
        return _back(back, state=request.args.get("state", ""))
    return render_template("devidp/signed_out.html")
