"""Authorization codes of the simulated provider: kept in Redis for a minute, usable once."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from typing import Any

import redis
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
    _redis().set(PREFIX + _digest(code), json.dumps(grant), ex=CODE_LIFETIME_S)
    return code


def take_code(code: str) -> dict[str, Any] | None:
    """The grant of this code, once: a code used before (or unknown, or expired) gives None."""
    found = _redis().getdel(PREFIX + _digest(code))
    return json.loads(found) if found else None


def pkce_matches(verifier: str, challenge: str) -> bool:
    """RFC 7636 S256: the challenge is the verifier's SHA-256, base64url without padding."""
    digest = hashlib.sha256(verifier.encode()).digest()
    expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    return hmac.compare_digest(expected, challenge)


def _digest(code: str) -> str:
    """Codes are kept by their hash: what Redis holds cannot be used as a code."""
    return hashlib.sha256(code.encode()).hexdigest()
