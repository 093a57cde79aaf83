"""The clients the simulated provider knows: the app's citizen and officer clients, and one
client per agency system (client credentials). Development and tests only."""

from __future__ import annotations

import base64
import hmac
from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote

from flask import current_app, request

from agencies.catalogue import AGENCIES
from contactpoint.config.provider import DEV_CITIZEN_CLIENT, DEV_OFFICER_CLIENT

Kind = Literal["citizen", "officer", "agency"]


@dataclass(frozen=True)
class Client:
    """A client registered at the simulated provider."""

    id: str
    secret: str
    kind: Kind


def agency_secret(agency: str) -> str:
    """An agency system's client secret: the configured one, else a development default."""
    configured: dict[str, str] = current_app.config["AGENCY_CLIENT_SECRETS"]
    return configured.get(agency) or f"development-only-{agency}-secret"


def client(client_id: str | None) -> Client | None:
    """The registered client with this id, if any."""
    config = current_app.config
    pages = {
        DEV_CITIZEN_CLIENT[0]: Client(*DEV_CITIZEN_CLIENT, "citizen"),
        DEV_OFFICER_CLIENT[0]: Client(*DEV_OFFICER_CLIENT, "officer"),
    }
    for prefix, kind in (("OIDC_", "citizen"), ("OIDC_OFFICER_", "officer")):
        if not config.get(f"{prefix}ISSUER") and config.get(f"{prefix}CLIENT_ID"):
            own_id = config[f"{prefix}CLIENT_ID"]
            pages[own_id] = Client(own_id, config[f"{prefix}CLIENT_SECRET"] or "", kind)  # type: ignore[arg-type]
    if client_id in pages:
        return pages[client_id]
    if client_id in AGENCIES:
        return Client(client_id, agency_secret(client_id), "agency")
    return None


def authenticated_client() -> Client | None:
    """The client of a token request, by client_secret_basic or client_secret_post."""
    client_id, secret = request.form.get("client_id"), request.form.get("client_secret")
    scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "basic" and encoded:
        try:
            decoded = base64.b64decode(encoded).decode()
        except (ValueError, UnicodeDecodeError):
            return None
        basic_id, _, basic_secret = decoded.partition(":")
        client_id, secret = unquote(basic_id), unquote(basic_secret)
    found = client(client_id)
    if found is None or not secret or not hmac.compare_digest(found.secret, secret):
        return None
    return found
