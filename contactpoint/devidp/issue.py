"""What the simulated provider signs: ID tokens and JWT access tokens (RFC 9068) with the claims
of the Swedish OIDC profile for citizens, and agency and role for officers."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from flask import current_app, request

from agencies import clock
from agencies.population import TEST_POPULATION
from contactpoint.config.provider import DEV_IDP_PATH, LOA3
from contactpoint.devidp.keys import sign
from contactpoint.officer.staff import officer as staff_member


def issuer() -> str:
    """This provider's issuer: the app's own address (as the request reached it) + /dev-idp."""
    return request.host_url.rstrip("/") + DEV_IDP_PATH


def citizen_claims(personal_number: str) -> dict[str, Any]:
    """What an eID says about a person: an opaque subject, the personal number (12 digits), and
    the name where the test population knows it."""
    digits = personal_number.replace("-", "")
    salt = current_app.config["SECRET_KEY"].encode()
    claims: dict[str, Any] = {
        "sub": hashlib.sha256(salt + b":" + digits.encode()).hexdigest()[:32],
        current_app.config["OIDC_PERSONAL_NUMBER_CLAIM"]: digits,
        "acr": LOA3,  # as a Swedish eID's sign-in
    }
    resident = next(
        (r for r in TEST_POPULATION if r.personal_number.replace("-", "") == digits), None
    )
    if resident is not None:
        given, _, family = resident.name.partition(" ")
        claims.update(name=resident.name, given_name=given, family_name=family)
    return claims


def officer_claims(officer_id: str) -> dict[str, Any] | None:
    """What an agency's provider says about one of its officers, from the staff directory."""
    found = staff_member(officer_id)
    if found is None:
        return None
    config = current_app.config
    return {
        "sub": found.id,
        config["OIDC_NAME_CLAIM"]: found.name,
        config["OIDC_AGENCY_CLAIM"]: found.agency,
        config["OIDC_ROLE_CLAIM"]: found.role,
    }


def _times() -> dict[str, int]:
    now = int(clock.now().timestamp())
    return {"iat": now, "exp": now + int(current_app.config["DEV_IDP_TOKEN_LIFETIME_S"])}


def id_token(client_id: str, claims: dict[str, Any], nonce: str | None) -> str:
    """A signed ID token for this client with the person's claims and the request's nonce."""
    body = {**claims, "iss": issuer(), "aud": client_id, "azp": client_id, **_times()}
    body["auth_time"] = body["iat"]
    if nonce:
        body["nonce"] = nonce
    return sign(body)


def access_token(client_id: str, claims: dict[str, Any], scope: str) -> str:
    """A JWT access token for the API: the person's (or agency system's) claims, for the API's
    audience, naming the client it was issued to."""
    body = {
        **claims,
        "iss": issuer(),
        "aud": current_app.config["OIDC_API_AUDIENCE"],
        "client_id": client_id,
        "scope": scope,
        "jti": secrets.token_urlsafe(16),
        **_times(),
    }
    return sign(body, kind="at+jwt")


def agency_claims(agency: str) -> dict[str, Any]:
    """An agency system's claims under client credentials: the subject is the client itself."""
    return {"sub": agency, current_app.config["OIDC_AGENCY_CLAIM"]: agency}


def token_response(
    client_id: str, claims: dict[str, Any], scope: str, **extra: Any
) -> dict[str, Any]:
    """The token endpoint's answer: a bearer access token (and whatever `extra` adds)."""
    return {
        "access_token": access_token(client_id, claims, scope),
        "token_type": "Bearer",
        "expires_in": int(current_app.config["DEV_IDP_TOKEN_LIFETIME_S"]),
        "scope": scope,
        **extra,
    }


def citizen_access_token(personal_number: str, client_id: str = "kontaktpunkt-dev-token") -> str:
    """A citizen's access token for the API, as the development token endpoint gives it."""
    return access_token(client_id, citizen_claims(personal_number), "openid")
