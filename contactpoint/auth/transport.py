"""How the app reaches an OpenID Connect provider: over HTTP with `requests`, except that the
app's own simulated provider (development and tests) is asked in-process, through the app's own
WSGI interface, so that the Flask test client and a worker need no network. Everything above
this (Authlib's client, the JWKS checks) is the same code for every provider."""

from __future__ import annotations

from typing import Any

import requests
from flask import Flask, current_app, has_request_context, request
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from werkzeug.test import Client

from contactpoint.config.provider import DEV_IDP_PATH


class WsgiAdapter(BaseAdapter):
    """A requests transport that answers from a WSGI app instead of the network."""

    def __init__(self, app: Flask, base_url: str) -> None:
        super().__init__()
        self.app = app
        self.base_url = base_url

    def send(  # type: ignore[override]
        self, request: requests.PreparedRequest, **_kwargs: Any
    ) -> requests.Response:
        """Run the request through the app and give back its answer as requests would."""
        answer = Client(self.app).open(
            str(request.url),
            method=request.method or "GET",
            headers=dict(request.headers),
            data=request.body,
            base_url=self.base_url,
        )
        response = requests.Response()
        response.status_code = answer.status_code
        response.headers = CaseInsensitiveDict(dict(answer.headers))
        response._content = answer.get_data()
        response.url = str(request.url)
        response.request = request
        response.encoding = answer.mimetype_params.get("charset", "utf-8")
        return response

    def close(self) -> None:
        """Nothing to close."""


def own_issuer() -> str | None:
    """The simulated provider's issuer as this request reaches the app, where it is mounted."""
    if not has_request_context() or "devidp" not in current_app.blueprints:
        return None
    return request.host_url.rstrip("/") + DEV_IDP_PATH


def mount_own_provider(session: requests.Session) -> requests.Session:
    """Let `session` reach the app's own simulated provider in-process; others over HTTP."""
    own = own_issuer()
    if own:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        session.mount(own + "/", WsgiAdapter(app, request.host_url))
    return session


def http_session() -> requests.Session:
    """A requests session for provider calls (discovery, JWKS)."""
    return mount_own_provider(requests.Session())
