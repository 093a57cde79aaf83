"""Sign-in settings: the OpenID Connect providers of citizens, officers and agency systems, the
claims read from them, and how long a session lasts.

In development none is needed: with OIDC_ISSUER unset the app signs in through its own
simulated provider at /dev-idp. Production must name real providers and refuses that one.
"""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit

from contactpoint.config.readers import ConfigError, count, env, require

# The claim of the Swedish OIDC profile for eID that carries the personal identity number.
PERSONAL_NUMBER_CLAIM = "https://id.oidc.se/claim/personalIdentityNumber"
CITIZEN_SCOPES = "openid https://id.oidc.se/scope/naturalPersonNumber"
OFFICER_SCOPES = "openid profile"
# The level of assurance of the Swedish eIDs (BankID, Freja eID+): "substantial" (LoA 3).
LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"
# The clients and the API audience the simulated provider knows (development only).
DEV_CITIZEN_CLIENT = ("kontaktpunkt", "development-only-citizen-secret")
DEV_OFFICER_CLIENT = ("kontaktpunkt-officer", "development-only-officer-secret")
DEV_IDP_PATH = "/dev-idp"
LOOPBACK_NAMES = ("localhost",)


def _words(name: str, default: str) -> tuple[str, ...]:
    """A space-separated list; "off" (or nothing) for none."""
    value = (env(name, default) or "").strip()
    return () if value in ("", "off") else tuple(value.split())


def sign_in() -> dict[str, Any]:
    """The sign-in settings read from the environment."""
    officer_issuer = env("OIDC_OFFICER_ISSUER")
    return {
        # Citizens' provider (an eID broker); unset in development: the simulated one.
        "OIDC_ISSUER": env("OIDC_ISSUER"),
        "OIDC_CLIENT_ID": env("OIDC_CLIENT_ID"),
        "OIDC_CLIENT_SECRET": env("OIDC_CLIENT_SECRET"),
        "OIDC_SCOPES": env("OIDC_SCOPES", CITIZEN_SCOPES),
        # The levels of assurance (`acr`) a citizen's sign-in must have, asked for and checked;
        # space-separated; "off": none asked or checked.
        "OIDC_ACR_VALUES": _words("OIDC_ACR_VALUES", LOA3),
        # Case officers' provider (their agency's own); unset in development: the simulated one.
        "OIDC_OFFICER_ISSUER": officer_issuer,
        "OIDC_OFFICER_CLIENT_ID": env("OIDC_OFFICER_CLIENT_ID"),
        "OIDC_OFFICER_CLIENT_SECRET": env("OIDC_OFFICER_CLIENT_SECRET"),
        "OIDC_OFFICER_SCOPES": env("OIDC_OFFICER_SCOPES", OFFICER_SCOPES),
        "OIDC_OFFICER_ACR_VALUES": _words("OIDC_OFFICER_ACR_VALUES", "off"),
        # Agency systems' tokens (client credentials) come from this issuer: the officers' one
        # unless said otherwise.
        "OIDC_AGENCY_ISSUER": env("OIDC_AGENCY_ISSUER", officer_issuer),
        # The `aud` that access tokens for this API carry.
        "OIDC_API_AUDIENCE": env("OIDC_API_AUDIENCE", "kontaktpunkt-api"),
        "OIDC_PERSONAL_NUMBER_CLAIM": env("OIDC_PERSONAL_NUMBER_CLAIM", PERSONAL_NUMBER_CLAIM),
        "OIDC_AGENCY_CLAIM": env("OIDC_AGENCY_CLAIM", "agency"),
        "OIDC_ROLE_CLAIM": env("OIDC_ROLE_CLAIM", "role"),
        "OIDC_NAME_CLAIM": env("OIDC_NAME_CLAIM", "name"),
        # Seconds a provider may take to answer before sign-in is said to be unavailable.
        "OIDC_TIMEOUT_S": count("OIDC_TIMEOUT_S", 10),
        # How long a session lasts without a request, and at most (OWASP ASVS V7).
        "SESSION_IDLE_MINUTES": _minutes("CONTACTPOINT_SESSION_IDLE_MINUTES", 30),
        "OFFICER_SESSION_IDLE_MINUTES": _minutes("CONTACTPOINT_OFFICER_SESSION_IDLE_MINUTES", 15),
        "SESSION_MAX_HOURS": _minutes("CONTACTPOINT_SESSION_MAX_HOURS", 12),
        # How long before the idle timeout the page warns that the person will be signed out.
        "SESSION_WARNING_MINUTES": _minutes("CONTACTPOINT_SESSION_WARNING_MINUTES", 2),
        # Lifetime of the simulated provider's tokens (development and tests).
        "DEV_IDP_TOKEN_LIFETIME_S": 3600,
    }


def _minutes(name: str, default: int) -> int:
    """A whole number, at least 1."""
    found = count(name, default)
    if found < 1:
        raise ConfigError(f"{name} must be a whole number, at least 1 (it is {found})")
    return found


def fill_development_clients(config: dict[str, Any]) -> None:
    """Without a provider named, sign in through the simulated one with its known clients."""
    for prefix, (client_id, secret) in (
        ("OIDC_", DEV_CITIZEN_CLIENT),
        ("OIDC_OFFICER_", DEV_OFFICER_CLIENT),
    ):
        if not config.get(f"{prefix}ISSUER"):
            config[f"{prefix}CLIENT_ID"] = config.get(f"{prefix}CLIENT_ID") or client_id
            config[f"{prefix}CLIENT_SECRET"] = config.get(f"{prefix}CLIENT_SECRET") or secret


def check_sign_in(config: dict[str, Any]) -> None:
    """Production names every provider and client, over https (or loopback), never /dev-idp."""
    required = {
        name: name
        for prefix in ("OIDC_", "OIDC_OFFICER_")
        for name in (f"{prefix}ISSUER", f"{prefix}CLIENT_ID", f"{prefix}CLIENT_SECRET")
    }
    require(config, required, "in the environment")
    for name in ("OIDC_ISSUER", "OIDC_OFFICER_ISSUER", "OIDC_AGENCY_ISSUER"):
        issuer = config.get(name)
        if issuer:
            check_issuer(name, str(issuer))


def check_issuer(name: str, issuer: str) -> None:
    """An issuer URL production can trust: https (http on loopback only), not the simulated."""
    parts = urlsplit(issuer)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ConfigError(f"{name} must be an https:// URL (it is {issuer!r})")
    if parts.scheme == "http" and not _loopback(parts.hostname):
        raise ConfigError(f"{name} must use https:// (plain http only on the loopback interface)")
    if parts.path.rstrip("/").endswith(DEV_IDP_PATH):
        raise ConfigError(f"{name} points at the simulated provider, which production refuses")


def _loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
