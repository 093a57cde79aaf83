"""The session cookie: Flask's signed cookie, with its signer made once per key.

Flask makes a new serializer for every request, twice (to read the cookie and to write it),
and a new serializer derives its key again; My pages is read far more often than it
changes, and that derivation was a fair part of what a kept page costs to serve.
"""

from __future__ import annotations

import threading

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

Keys = tuple[object, tuple[object, ...]]


class KeptSignerSessionInterface(SecureCookieSessionInterface):
    """Signed-cookie sessions whose serializer is made again only when the keys change."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: tuple[Keys, URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        """The serializer for the app's current secret key and its fallbacks."""
        keys: Keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        kept = self._kept
        if kept is None or kept[0] != keys:
            with self._lock:
                kept = (keys, super().get_signing_serializer(app))
                self._kept = kept
        return kept[1]
