"""Authorization codes of the simulated provider: kept in Redis for a minute, usable once.

A grant carries the person's claims (personal identity number, name). Redis holds it sealed
(AES-GCM) under a key derived from the code, and finds it by the code's hash: what Redis
holds, or a command on its way there, reads as noise to anyone without the code.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from typing import Any

import redis
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app

from contactpoint.extensions import per_app

CODE_LIFETIME_S = 60
PREFIX = "devidp:code:"


def _redis() -> redis.Redis:
    found: redis.Redis = per_app(
        "devidp.redis", lambda: redis.Redis.from_url(current_app.config["REDIS_URL"])
    )
    return found


def new_code(grant: dict[str, Any]) -> str:
    """A fresh authorization code for this grant (client, redirect, PKCE challenge, claims)."""
    code = secrets.token_urlsafe(32)
    nonce = secrets.token_bytes(12)
    sealed = nonce + AESGCM(_sealing_key(code)).encrypt(nonce, json.dumps(grant).encode(), None)
    _redis().set(PREFIX + _digest(code), sealed, ex=CODE_LIFETIME_S)
    return code


def take_code(code: str) -> dict[str, Any] | None:
    """The grant of this code, once: a code used before (or unknown, or expired) gives None."""
    found = _redis().getdel(PREFIX + _digest(code))
    if not isinstance(found, bytes):
        return None
    try:
        opened = AESGCM(_sealing_key(code)).decrypt(found[:12], found[12:], None)
    except InvalidTag:  # a grant written by a provider before grants were sealed
        return None
    return dict(json.loads(opened))


def pkce_matches(verifier: str, challenge: str) -> bool:
    """RFC 7636 S256: the challenge is the verifier's SHA-256, base64url without padding."""
    digest = hashlib.sha256(verifier.encode()).digest()
    expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    return hmac.compare_digest(expected, challenge)


def _digest(code: str) -> str:
    """Codes are kept by their hash: what Redis holds cannot be used as a code."""
    return hashlib.sha256(code.encode()).hexdigest()


def _sealing_key(code: str) -> bytes:
    """The key that seals a code's grant: from the code, apart from its hash."""
    return hashlib.sha256(b"devidp-grant:" + code.encode()).digest()
