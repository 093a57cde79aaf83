"""An OpenID Connect issuer of the test's own: its discovery document and keys served over real
HTTP on the loopback interface, and access tokens signed with its own RSA key, as a real
provider's would be. For what the simulated provider cannot show: another issuer, another key,
a key rotated, a provider that answers garbage."""

from __future__ import annotations

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from joserfc import jwt
from joserfc.jwk import RSAKey

PERSONAL_NUMBER_CLAIM = "https://id.oidc.se/claim/personalIdentityNumber"


class TestIssuer:
    """A provider that publishes discovery and JWKS and signs what the test asks it to."""

    __test__ = False  # not a test class, whatever its name

    def __init__(self) -> None:
        self.key = self.new_key()
        self.garbage = False  # answer every request with something that is not JSON
        self.codes: dict[str, dict[str, Any]] = {}  # authorization codes: the ID token's claims
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> TestIssuer:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    @staticmethod
    def new_key() -> RSAKey:
        """A fresh RSA signing key with a key id of its own."""
        return RSAKey.generate_key(2048, parameters={"kid": uuid.uuid4().hex, "use": "sig"})

    def documents(self) -> dict[str, Any]:
        """What the issuer serves, by path."""
        return {
            "/.well-known/openid-configuration": {
                "issuer": self.url,
                "authorization_endpoint": f"{self.url}/authorize",
                "token_endpoint": f"{self.url}/token",
                "jwks_uri": f"{self.url}/jwks",
                "id_token_signing_alg_values_supported": ["RS256"],
            },
            "/jwks": {"keys": [{**self.key.as_dict(private=False), "alg": "RS256"}]},
        }

    def token(self, key: RSAKey | None = None, **claims: Any) -> str:
        """A JWT access token: an hour long, for the API, with these claims added (or, as
        None, removed)."""
        now = int(time.time())
        body = {
            "iss": self.url,
            "aud": "kontaktpunkt-api",
            "sub": uuid.uuid4().hex,
            "client_id": "third-party-app",
            "iat": now,
            "exp": now + 3600,
            **claims,
        }
        body = {name: value for name, value in body.items() if value is not None}
        signer = key or self.key
        header = {"alg": "RS256", "kid": signer.kid, "typ": "at+jwt"}
        return jwt.encode(header, body, signer)

    def citizen_token(self, personal_number: str, **claims: Any) -> str:
        """A citizen's access token carrying the personal number as the Swedish profile does."""
        return self.token(**{PERSONAL_NUMBER_CLAIM: personal_number.replace("-", ""), **claims})

    def grant(self, code: str, client_id: str, nonce: str, **claims: Any) -> None:
        """Let the token endpoint answer `code` with an ID token for `client_id` carrying
        `nonce` and these claims, as a provider does once the person has signed in."""
        now = int(time.time())
        self.codes[code] = {
            "iss": self.url,
            "aud": client_id,
            "sub": uuid.uuid4().hex,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            **claims,
        }

    def _token_response(self, form: dict[str, list[str]]) -> dict[str, Any] | None:
        claims = self.codes.pop((form.get("code") or [""])[0], None)
        if claims is None or form.get("grant_type") != ["authorization_code"]:
            return None
        header = {"alg": "RS256", "kid": self.key.kid}
        id_token = jwt.encode(header, claims, self.key)
        return {"access_token": uuid.uuid4().hex, "token_type": "Bearer", "id_token": id_token}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
                self._answer(issuer.documents().get(self.path))

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                form = parse_qs(self.rfile.read(length).decode())
                self._answer(issuer._token_response(form) if self.path == "/token" else None)

            def _answer(self, document: dict[str, Any] | None) -> None:
                body = b"<html>oops</html>" if issuer.garbage else json.dumps(document).encode()
                self.send_response(200 if document else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: Any) -> None:
                """Say nothing."""

        return Handler
