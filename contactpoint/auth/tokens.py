"""Bearer access tokens for the API: JWTs (RFC 9068) checked against the issuing provider's
JWKS with Authlib's JOSE (joserfc): signature, issuer, audience, expiry. A refusal names its
reason: missing, malformed, tampered, expired, wrong_audience, wrong_issuer, wrong_kind."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import Any, Literal

from cachetools import LRUCache
from flask import current_app, request
from joserfc import jws, jwt
from joserfc.errors import (
    BadSignatureError,
    ExpiredTokenError,
    InvalidClaimError,
    InvalidKeyIdError,
    JoseError,
    MissingClaimError,
    MissingKeyError,
    UnsupportedAlgorithmError,
)
from joserfc.jwk import KeySet

from agencies import clock
from contactpoint.auth import providers
from contactpoint.auth.claims import claimed_personal_number
from contactpoint.extensions import per_app

Kind = Literal["citizen", "agency"]
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA"]
LEEWAY_S = 30
_LOCK = threading.Lock()  # the kept tokens are shared by a process's threads

MESSAGES = {
    "missing": "Send 'Authorization: Bearer <access token>'.",
    "malformed": "The bearer token is not a signed JWT.",
    "tampered": "The access token's signature does not verify: it was changed or not issued by "
    "the provider.",
    "expired": "The access token has expired: get a new one.",
    "wrong_audience": "The access token was issued for another audience than this API.",
    "wrong_issuer": "The access token was issued by a provider this API does not accept here.",
    "wrong_kind": "The access token is not one for this part of the API.",
}


class TokenRefused(Exception):
    """The request's bearer token cannot be used; `reason` is one of MESSAGES."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Caller:
    """Who a checked token speaks for: a personal number or an agency, until `expires`."""

    kind: Kind
    subject: str
    expires: float


def bearer() -> str:
    """The request's bearer token; TokenRefused('missing') without one."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise TokenRefused("missing")
    return token.strip()


def caller(kind: Kind) -> Caller:
    """The caller of the request's bearer token of this kind, checked; else TokenRefused.

    A client sends the same token with every call: its signature is checked once, and who it
    speaks for kept until it expires (by `agencies.clock`).
    """
    token = bearer()
    kept: LRUCache[tuple[str, str], Caller] = per_app(
        "verified_tokens", lambda: LRUCache(maxsize=10_000)
    )
    with _LOCK:
        found = kept.get((kind, token))
    if found is None:
        found = _checked(kind, token)
        with _LOCK:
            kept[(kind, token)] = found
    if found.expires <= clock.now().timestamp() - LEEWAY_S:
        raise TokenRefused("expired")
    return found


def _checked(kind: Kind, token: str) -> Caller:
    issuer = providers.api_issuer(kind)
    claims = verified_claims(token, issuer, current_app.config["OIDC_API_AUDIENCE"])
    if kind == "citizen":
        number = claimed_personal_number(claims)
        if number is None:
            raise TokenRefused("wrong_kind")
        return Caller("citizen", number, float(claims["exp"]))
    agency = claims.get(current_app.config["OIDC_AGENCY_CLAIM"])
    client_id = claims.get("client_id", claims.get("azp"))
    # Client credentials (RFC 9068): the token's subject is the client itself, not a person.
    if not isinstance(agency, str) or claims.get("sub") != client_id:
        raise TokenRefused("wrong_kind")
    return Caller("agency", agency, float(claims["exp"]))


def verified_claims(token: str, issuer: str, audience: str) -> dict[str, Any]:
    """The claims of a JWT signed by `issuer`'s current keys, for `audience`, not expired."""
    claimed = _unverified_issuer(token)
    if claimed != issuer:
        raise TokenRefused("wrong_issuer")
    try:
        decoded = _decode(token, issuer)
    except (BadSignatureError, InvalidKeyIdError, MissingKeyError, UnsupportedAlgorithmError):
        raise TokenRefused("tampered") from None
    except JoseError:
        raise TokenRefused("malformed") from None
    now = int(clock.now().timestamp())
    registry = jwt.JWTClaimsRegistry(
        now=now,
        leeway=LEEWAY_S,
        iss={"essential": True, "value": issuer},
        aud={"essential": True, "value": audience},
        exp={"essential": True},
        sub={"essential": True},
    )
    try:
        registry.validate(decoded)
    except ExpiredTokenError:
        raise TokenRefused("expired") from None
    except (InvalidClaimError, MissingClaimError) as error:
        reasons = {"aud": "wrong_audience", "iss": "wrong_issuer", "exp": "expired"}
        raise TokenRefused(reasons.get(error.claim, "malformed")) from None
    return decoded


def _unverified_issuer(token: str) -> object:
    """The `iss` a token claims, before its signature is checked: to say which provider it
    names. Nothing else of it is trusted."""
    try:
        payload = jws.extract_compact(token.encode()).payload
        return json.loads(payload).get("iss")
    except (JoseError, ValueError, AttributeError):
        raise TokenRefused("malformed") from None


def _decode(token: str, issuer: str) -> dict[str, Any]:
    """Verify the signature with the issuer's keys, fetching them again once for a key id not
    yet seen (the provider has rotated its keys)."""
    try:
        return _verify(token, providers.key_set(issuer))
    except (InvalidKeyIdError, MissingKeyError):
        return _verify(token, providers.key_set(issuer, refresh=True))


def _verify(token: str, keys: KeySet) -> dict[str, Any]:
    decoded = jwt.decode(token, keys, algorithms=ALGORITHMS)
    return dict(decoded.claims)
