"""Signing in with OpenID Connect through Authlib's Flask client: the authorization code flow
with PKCE (S256), state and nonce, provider metadata from discovery, and the ID token checked
for signature (JWKS, refetched for a new key id), iss, aud, exp, iat and nonce."""

from __future__ import annotations

import logging
import threading
from typing import Any

import requests
from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import FlaskIntegration, FlaskOAuth2App
from flask import Response, current_app, session
from joserfc.errors import JoseError

from contactpoint.auth.providers import Audience, Provider, ProviderUnavailable, provider
from contactpoint.auth.transport import mount_own_provider
from contactpoint.extensions import per_app

log = logging.getLogger(__name__)
LEEWAY_S = 60
_LOCK = threading.Lock()


class SignInFailed(Exception):
    """A sign-in that ends without a session; `reason` names what went wrong (no personal
    data): state, cancelled, refused, id_token, assurance (a lower level of assurance than
    asked for), personal_number, unknown_person, no_access."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ProviderClient(FlaskOAuth2App):
    """Authlib's Flask client, whose HTTP sessions reach the app's own simulated provider
    in-process (development and tests); any other provider is reached over HTTP as usual."""

    def _get_session(self) -> Any:
        return mount_own_provider(super()._get_session())

    def _get_oauth_client(self, **metadata: Any) -> Any:
        return mount_own_provider(super()._get_oauth_client(**metadata))


def client(audience: Audience) -> tuple[ProviderClient, Provider]:
    """The Authlib client for citizens' or officers' sign-in, made once per issuer."""
    chosen = provider(audience)
    kept: dict[tuple[str, str, str], ProviderClient] = per_app("oidc.clients", dict)
    key = (audience, chosen.issuer, chosen.client_id)
    with _LOCK:
        found = kept.get(key)
        if found is None:
            name = f"{audience}_{len(kept)}"
            found = kept[key] = ProviderClient(
                FlaskIntegration(name),
                name,
                client_id=chosen.client_id,
                client_secret=chosen.client_secret,
                server_metadata_url=f"{chosen.issuer}/.well-known/openid-configuration",
                client_kwargs={
                    "scope": chosen.scopes,
                    "code_challenge_method": "S256",
                    "default_timeout": current_app.config["OIDC_TIMEOUT_S"],
                },
            )
    return found, chosen


def _metadata(found: ProviderClient, chosen: Provider) -> dict[str, Any]:
    try:
        metadata: dict[str, Any] = found.load_server_metadata()
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnavailable(f"{chosen.issuer}: {type(error).__name__}") from None
    if str(metadata.get("issuer", "")).rstrip("/") != chosen.issuer:
        found.server_metadata.clear()  # asked again next time
        raise ProviderUnavailable(f"{chosen.issuer}: its discovery document names another")
    return metadata


def start(audience: Audience, redirect_uri: str, **params: Any) -> Response:
    """Send the browser to the provider's authorization endpoint (state, nonce and PKCE
    verifier kept in the session for the way back)."""
    found, chosen = client(audience)
    if "authorization_endpoint" not in _metadata(found, chosen):
        raise ProviderUnavailable(f"{chosen.issuer}: no authorization_endpoint")
    if chosen.acr_values:  # the level of assurance asked for (and checked in `finish`)
        params["acr_values"] = " ".join(chosen.acr_values)
    response: Response = found.authorize_redirect(redirect_uri, **params)
    return response


def finish(audience: Audience) -> dict[str, Any]:
    """The checked claims of the ID token the provider's answer leads to; SignInFailed when
    the answer is refused, ProviderUnavailable when the provider cannot be used."""
    found, chosen = client(audience)
    _metadata(found, chosen)
    options = {
        "iss": {"essential": True, "value": chosen.issuer},
        "aud": {"essential": True, "value": chosen.client_id},
        "exp": {"essential": True},
        "iat": {"essential": True},
        "nonce": {"essential": True},
    }
    try:
        token = found.authorize_access_token(claims_options=options, leeway=LEEWAY_S)
    except MismatchingStateError:
        raise SignInFailed("state") from None
    except OAuthError as error:
        reason = "cancelled" if error.error == "access_denied" else "refused"
        log.info("sign-in refused by the provider: %s", error.error)
        raise SignInFailed(reason) from None
    except JoseError as error:
        log.info("ID token refused: %s", getattr(error, "error", type(error).__name__))
        raise SignInFailed("id_token") from None
    except (requests.RequestException, ValueError, KeyError) as error:
        raise ProviderUnavailable(f"{chosen.issuer}: {type(error).__name__}") from None
    claims = token.get("userinfo")
    if not claims:
        raise SignInFailed("id_token")
    if chosen.acr_values and claims.get("acr") not in chosen.acr_values:
        log.info("sign-in refused: level of assurance %r", claims.get("acr"))
        raise SignInFailed("assurance")  # a lower level than asked for, or none said
    return dict(claims)


def logout_url(audience: Audience, post_logout_redirect_uri: str) -> str | None:
    """Where to end the session at the provider too (RP-initiated logout), if it says.

    No id_token_hint: the ID token carries the personal number, which never goes in a URL;
    the client_id names the client instead, as RP-Initiated Logout 1.0 allows.
    """
    try:
        found, chosen = client(audience)
        if "end_session_endpoint" not in _metadata(found, chosen):
            return None
        result = found.create_logout_url(
            post_logout_redirect_uri=post_logout_redirect_uri, client_id=chosen.client_id
        )
    except ProviderUnavailable:
        return None
    found.framework.set_state_data(
        session, result["state"], {"post_logout_redirect_uri": post_logout_redirect_uri}
    )
    return str(result["url"])
