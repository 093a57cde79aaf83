"""Security headers on every response: pages, API, files and error pages alike. Flask-Talisman
(one instance per app) sets the fixed ones; the Content-Security-Policy is set here, as it
names the sign-in providers of the settings.

The policy allows scripts from this site and, inline, only the scripts the templates hold word
for word, by their SHA-256: no nonce, since a page may be kept and served again (My pages), so
its bytes must not depend on the request. What each header is for, and why, is in
docs/security.md.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, Response, request, session
from flask_talisman import DENY, Talisman

# Send the address of the page a request came from to this site only, never to another (an
# agency's site, the eID provider): a page's path names the life event. Flask-WTF checks that
# a form posted over HTTPS came from this site, by its Referer, so "no-referrer" would refuse
# every form in production.
REFERRER_POLICY = "same-origin"
# Browser features the service never uses, refused for its pages and anything they load.
UNUSED_FEATURES = (
    "accelerometer",
    "autoplay",
    "browsing-topics",
    "camera",
    "display-capture",
    "fullscreen",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "picture-in-picture",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
)
HSTS_MAX_AGE_S = 365 * 24 * 3600
# The settings naming the sign-in providers, whose origins forms may go on to.
ISSUERS = ("OIDC_ISSUER", "OIDC_OFFICER_ISSUER")
INLINE_SCRIPT = re.compile(r"<script(?P<attributes>[^>]*)>(?P<text>.*?)</script>", re.DOTALL)
SOURCE = re.compile(r"(?<![\w-])src\s*=")
JINJA = ("{{", "{%", "{#")


class UnhashableScript(RuntimeError):
    """An inline script that Jinja fills in: its hash would change from page to page."""


def inline_script_hashes(templates: Path) -> list[str]:
    """The CSP source (`'sha256-…'`) of each inline script in the templates, sorted."""
    found = set()
    for path in sorted(templates.rglob("*.html")):
        for script in INLINE_SCRIPT.finditer(path.read_text(encoding="utf-8")):
            text = script["text"]
            if SOURCE.search(script["attributes"]) or not text.strip():
                continue
            if any(mark in text for mark in JINJA):
                raise UnhashableScript(
                    f"{path}: an inline script that Jinja fills in cannot be allowed by its "
                    "hash; move it to a file under contactpoint/static/"
                )
            digest = hashlib.sha256(text.encode("utf-8")).digest()
            found.add(f"'sha256-{base64.b64encode(digest).decode()}'")
    return sorted(found)


def _origin(url: str | None) -> str | None:
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


@functools.cache
def content_security_policy(script_hashes: tuple[str, ...], issuers: tuple[str, ...]) -> str:
    """What the pages may load and do: this site's own files, nothing inline but the hashed
    scripts, no frames around them, forms only to this site and the sign-in providers."""
    providers = sorted({origin for origin in map(_origin, issuers) if origin})
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *script_hashes],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],  # Swagger UI's stylesheet holds its icons inline
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        # Sign-out posts a form whose answer sends the browser on to the provider's sign-out,
        # which a browser checks against form-action too.
        "form-action": ["'self'", *providers],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def register_security_headers(app: Flask) -> None:
    """Set the security headers on every response of `app`: Flask-Talisman's, and the
    Content-Security-Policy, which names the sign-in providers the settings name now."""
    production = app.config["ENVIRONMENT"] == "production"
    templates = Path(app.root_path, app.template_folder or "templates")
    script_hashes = tuple(inline_script_hashes(templates))
    app.extensions["talisman"] = Talisman(
        app,
        content_security_policy=None,  # below
        frame_options=DENY,
        referrer_policy=REFERRER_POLICY,
        permissions_policy={feature: "()" for feature in UNUSED_FEATURES},
        # HTTPS is the proxy's: a health check over plain HTTP must not be redirected.
        force_https=False,
        # Sent over HTTPS (or X-Forwarded-Proto: https) only, as browsers read it only there.
        strict_transport_security=production,
        strict_transport_security_max_age=HSTS_MAX_AGE_S,
        strict_transport_security_include_subdomains=app.config["HSTS_INCLUDE_SUBDOMAINS"],
        # The session cookie's flags are the settings' (contactpoint/config): left as they are.
        session_cookie_secure=False,
        session_cookie_samesite=app.config["SESSION_COOKIE_SAMESITE"],
    )

    def set_policy(response: Response) -> Response:
        issuers = tuple(app.config.get(name) or "" for name in ISSUERS)
        response.headers["Content-Security-Policy"] = content_security_policy(
            script_hashes, issuers
        )
        return response

    app.after_request(set_policy)
    app.after_request(no_store_when_personal)


# What a response may hold of a person: a page or a JSON answer.
PERSONAL_TYPES = ("text/html", "application/json")


def no_store_when_personal(response: Response) -> Response:
    """A page or JSON answer to a signed-in person, an officer or a caller with a bearer
    token is kept by no cache, the browser's included (OWASP ASVS 5.0 14.3.2), unless the
    view said otherwise; files and open pages are left to be cached."""
    personal = "person_id" in session or "officer" in session or "Authorization" in request.headers
    kept = "Cache-Control" in response.headers or response.mimetype not in PERSONAL_TYPES
    if personal and not kept:
        response.headers["Cache-Control"] = "no-store"
    return response
