"""The simulated provider's signing key: derived from SECRET_KEY, so that every process of a
development deployment (web, worker) signs and publishes the same key without storing one."""

from __future__ import annotations

import hashlib
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec
from flask import current_app
from joserfc import jwt
from joserfc.jwk import ECKey

from contactpoint.extensions import per_app

ALGORITHM = "ES256"
# The order of the P-256 group: a private key is a number from 1 to this minus one.
P256_ORDER = int("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16)


def key_from(secret: str) -> ECKey:
    """The P-256 signing key that this secret makes, with its thumbprint as key id."""
    seed = hashlib.sha256(b"kontaktpunkt dev-idp signing key:" + secret.encode()).digest()
    private = ec.derive_private_key(
        int.from_bytes(seed, "big") % (P256_ORDER - 1) + 1, ec.SECP256R1()
    )
    key = ECKey.import_key(private)
    return ECKey.import_key(key.as_dict(private=True), {"kid": key.thumbprint(), "use": "sig"})


def signing_key() -> ECKey:
    """The current app's signing key."""
    found: ECKey = per_app("devidp.key", lambda: key_from(current_app.config["SECRET_KEY"]))
    return found


def jwks() -> dict[str, Any]:
    """The public key set the provider publishes at its jwks_uri."""
    public = signing_key().as_dict(private=False)
    return {"keys": [{**public, "alg": ALGORITHM}]}


def sign(claims: dict[str, Any], kind: str = "JWT") -> str:
    """Claims signed with the provider's key (`kind` is the JWT's `typ`, e.g. at+jwt)."""
    key = signing_key()
    header = {"alg": ALGORITHM, "kid": key.kid, "typ": kind}
    return jwt.encode(header, claims, key, algorithms=[ALGORITHM])
