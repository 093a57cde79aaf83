"""The configured OpenID Connect providers: which issuer signs in citizens and officers and
issues the API's tokens, and their metadata and keys, fetched and kept for a while."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any, Literal

import requests
from flask import current_app
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from contactpoint.auth.transport import http_session, own_issuer
from contactpoint.extensions import per_app

Audience = Literal["citizen", "officer"]
METADATA_FOR_S = 3600.0
# Keys fetched again for an unknown key id at most this often, so that tokens with made-up key
# ids cannot make the app ask the provider on every request.
REFRESH_AT_MOST_EVERY_S = 10.0
_LOCK = threading.Lock()


class ProviderUnavailable(Exception):
    """A provider did not answer, or answered something that is not what OIDC says."""


@dataclass(frozen=True)
class Provider:
    """One client's view of a provider: where it is, who we are there, what we ask for."""

    issuer: str
    client_id: str
    client_secret: str
    scopes: str
    # The levels of assurance (`acr`) a sign-in must have: asked for, and checked; () none.
    acr_values: tuple[str, ...] = ()


def provider(audience: Audience) -> Provider:
    """The provider that signs in citizens or officers, as configured (or the simulated one)."""
    config = current_app.config
    prefix = "OIDC_" if audience == "citizen" else "OIDC_OFFICER_"
    issuer = config.get(f"{prefix}ISSUER") or own_issuer()
    if not issuer:
        raise ProviderUnavailable(f"no {prefix}ISSUER is configured")
    return Provider(
        issuer=str(issuer).rstrip("/"),
        client_id=config[f"{prefix}CLIENT_ID"],
        client_secret=config[f"{prefix}CLIENT_SECRET"],
        scopes=config[f"{prefix}SCOPES"],
        acr_values=tuple(config.get(f"{prefix}ACR_VALUES") or ()),
    )


def api_issuer(kind: str) -> str:
    """The issuer whose access tokens the API accepts from citizens' or agencies' clients."""
    config = current_app.config
    if kind == "citizen":
        return provider("citizen").issuer
    issuer = config.get("OIDC_AGENCY_ISSUER") or config.get("OIDC_OFFICER_ISSUER")
    return str(issuer).rstrip("/") if issuer else provider("officer").issuer


def _fetched(url: str) -> dict[str, Any]:
    try:
        with http_session() as session:
            response = session.get(url, timeout=current_app.config["OIDC_TIMEOUT_S"])
            response.raise_for_status()
            found = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnavailable(f"{url}: {type(error).__name__}") from None
    if not isinstance(found, dict):
        raise ProviderUnavailable(f"{url}: not a JSON object")
    return found


def metadata(issuer: str) -> dict[str, Any]:
    """The issuer's discovery document, checked to name the same issuer."""
    kept: dict[str, tuple[float, dict[str, Any]]] = per_app("oidc.metadata", dict)
    with _LOCK:
        found = kept.get(issuer)
    if found and time.monotonic() - found[0] < METADATA_FOR_S:
        return found[1]
    document = _fetched(f"{issuer}/.well-known/openid-configuration")
    if document.get("issuer", "").rstrip("/") != issuer or "jwks_uri" not in document:
        raise ProviderUnavailable(f"{issuer}: its discovery document names another issuer")
    with _LOCK:
        kept[issuer] = (time.monotonic(), document)
    return document


def key_set(issuer: str, refresh: bool = False) -> KeySet:
    """The issuer's published keys; `refresh` fetches them again (not more than every 10 s)."""
    kept: dict[str, tuple[float, KeySet]] = per_app("oidc.keys", dict)
    with _LOCK:
        found = kept.get(issuer)
    now = time.monotonic()
    if (
        found
        and (now - found[0] < METADATA_FOR_S)
        and (not refresh or now - found[0] < REFRESH_AT_MOST_EVERY_S)
    ):
        return found[1]
    try:
        keys = KeySet.import_key_set(_fetched(metadata(issuer)["jwks_uri"]))  # type: ignore[arg-type]
    except (JoseError, ValueError, TypeError, KeyError):
        raise ProviderUnavailable(f"{issuer}: its key set cannot be read") from None
    with _LOCK:
        kept[issuer] = (now, keys)
    return keys
