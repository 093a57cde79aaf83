"""Agencies' later answers arrive as callbacks signed with an HMAC secret per agency.

The signature header is `X-Kontaktpunkt-Signature: t=<unix seconds>,v1=<hex>`, where `v1` is
HMAC-SHA256 over `<t>.<raw body>` with the agency's secret. The timestamp bounds how long a
captured callback can be replayed; the callback's `id` makes a replay inside that window
change nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from flask import current_app

SIGNATURE_HEADER = "X-Kontaktpunkt-Signature"


def callback_secret(agency: str) -> bytes | None:
    """The agency's callback secret; outside production one is derived from SECRET_KEY."""
    configured = current_app.config["CALLBACK_SECRETS"].get(agency)
    if configured:
        return str(configured).encode()
    if current_app.config["ENVIRONMENT"] == "production":
        return None
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, f"agency-callback:{agency}".encode(), hashlib.sha256).digest()


def signature(secret: bytes, body: bytes, timestamp: int) -> str:
    """The header value that signs `body` at `timestamp`."""
    digest = hmac.new(secret, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(agency: str, header: str | None, body: bytes, now: float | None = None) -> str | None:
    """None if the callback is genuine and fresh, else why it is refused (for the log)."""
    secret = callback_secret(agency)
    if secret is None:
        return "no callback secret is configured for this agency"
    if not header:
        return "unsigned"
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return "malformed signature header"
    tolerance = current_app.config["CALLBACK_TOLERANCE_S"]
    if abs((now or time.time()) - timestamp) > tolerance:
        return "timestamp outside the accepted window"
    expected = signature(secret, body, timestamp)
    if not hmac.compare_digest(expected, f"t={timestamp},v1={parts.get('v1', '')}"):
        return "wrong signature"
    return None
