"""The security headers every response carries, checked one by one."""

from __future__ import annotations

from werkzeug.test import TestResponse

STRICT_REFERRER_POLICIES = ("no-referrer", "same-origin", "strict-origin-when-cross-origin")
# What the service never uses, each refused in the Permissions-Policy.
REFUSED_FEATURES = ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics")
ONE_YEAR_S = 365 * 24 * 3600


def policy(header: str) -> dict[str, list[str]]:
    """A Content-Security-Policy by directive: its sources."""
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in directives}


def assert_security_headers(response: TestResponse, production: bool = False) -> None:
    """Every security header on `response`, as the service sets it (HSTS with production
    settings over HTTPS only)."""
    where = f"{response.request.method} {response.request.path} ({response.status_code})"
    headers = response.headers
    assert "Content-Security-Policy" in headers, where
    csp = policy(headers["Content-Security-Policy"])
    scripts = csp.get("script-src", csp.get("default-src", []))
    assert scripts and "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, where
    assert not [source for source in scripts if source.startswith("'nonce-")], where
    assert csp.get("default-src") == ["'self'"], where
    assert csp.get("object-src") == ["'none'"], where
    assert csp.get("frame-ancestors") == ["'none'"], where
    assert headers.get("X-Frame-Options") == "DENY", where
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("Referrer-Policy") in STRICT_REFERRER_POLICIES, where
    permissions = dict(
        part.strip().split("=", 1) for part in headers.get("Permissions-Policy", "").split(",")
    )
    assert all(permissions.get(feature) == "()" for feature in REFUSED_FEATURES), where
    hsts = headers.get("Strict-Transport-Security")
    if production:
        assert hsts is not None, where
        max_age = dict(part.strip().partition("=")[::2] for part in hsts.split(";"))["max-age"]
        assert int(max_age) >= ONE_YEAR_S, where
        assert "includeSubDomains" in hsts, where  # ASVS level 2: the hosts under it too
    else:
        assert hsts is None, where
