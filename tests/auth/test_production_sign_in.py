"""With production settings, over HTTPS: the session cookie is a `__Host-` cookie (Secure,
Path=/, no Domain), a whole sign-in through a provider of the test's own still works with it
(its state, nonce and PKCE verifier kept in that cookie), a form posted from the site's own
page is taken (the Referrer-Policy leaves the Referer that CSRF's HTTPS check reads), and every
answer carries Strict-Transport-Security beside the other security headers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from celery import current_app as current_celery
from flask import Flask
from werkzeug.test import TestResponse

from contactpoint import create_app
from contactpoint.config.provider import LOA3
from contactpoint.db.seed import prepare_database, seed_population
from contactpoint.extensions import db, dispose_engines
from contactpoint.platform.embedded import EmbeddedRedis
from tests.conftest import ANNA, redis_database
from tests.helpers.headers import assert_security_headers, policy
from tests.helpers.issuer import PERSONAL_NUMBER_CLAIM, TestIssuer
from tests.helpers.pages import csrf
from workflows import runtime

SITE = "https://kontaktpunkt.test"
PRODUCTION_REDIS_DB = 12  # a Redis database of this test's own


@pytest.fixture()
def issuer() -> Iterator[TestIssuer]:
    with TestIssuer() as running:
        yield running


@pytest.fixture()
def production(tmp_path: Path, redis_server: EmbeddedRedis, issuer: TestIssuer) -> Iterator[Flask]:
    """The app with production settings, signing in through the test's own provider; the
    test population seeded, as a real population register would know Anna."""
    previous_runtime, previous_celery = runtime._current, current_celery._get_current_object()
    with redis_database(redis_server, PRODUCTION_REDIS_DB) as redis_url:
        app = create_app(
            {
                "ENVIRONMENT": "production",
                "SECRET_KEY": "production-test",
                "PERSONAL_DATA_KEY": "p" * 32,
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite'}",
                "SANDBOX_DATABASE_URL": f"sqlite:///{tmp_path / 'sandbox.sqlite'}",
                "REDIS_URL": redis_url,
                "OIDC_ISSUER": issuer.url,
                "OIDC_CLIENT_ID": "kontaktpunkt",
                "OIDC_CLIENT_SECRET": "s",
                "OIDC_OFFICER_ISSUER": issuer.url,
                "OIDC_OFFICER_CLIENT_ID": "kontaktpunkt-staff",
                "OIDC_OFFICER_CLIENT_SECRET": "s",
                "SMTP_URL": "smtp://127.0.0.1:1",
                "MAIL_FROM": "noreply@kontaktpunkt.test",
                "PUBLIC_URL": SITE,
            }
        )
        with app.app_context():
            prepare_database()
            seed_population()
        yield app
        with app.app_context():
            db.session.remove()
            dispose_engines()
    runtime._current = previous_runtime
    previous_celery.set_default()


def _cookie_attributes(response: TestResponse) -> dict[str, str]:
    """The session cookie's Set-Cookie attributes, by lower-case name."""
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("__Host-"))
    name_value, *attributes = (part.strip() for part in header.split(";"))
    return {"name": name_value.split("=")[0]} | {
        key.lower(): value for key, _, value in (a.partition("=") for a in attributes)
    }


def test_a_citizen_signs_in_and_out_with_a_host_only_secure_cookie(
    production: Flask, issuer: TestIssuer
) -> None:
    client = production.test_client()
    start = client.get(f"{SITE}/login?next=/my-pages/data-shares")
    assert start.status_code == 302 and start.headers["Location"].startswith(issuer.url)
    cookie = _cookie_attributes(start)
    assert cookie["name"] == "__Host-session"
    assert {"secure", "httponly"} <= set(cookie) and cookie["path"] == "/"
    assert "domain" not in cookie and cookie["samesite"] == "Lax"
    assert_security_headers(start, production=True)

    asked = parse_qs(urlsplit(start.headers["Location"]).query)
    assert asked["redirect_uri"] == [f"{SITE}/login/callback"]
    assert asked["acr_values"] == [LOA3]  # the level of assurance asked for
    issuer.grant(
        "code-1",
        client_id="kontaktpunkt",
        nonce=asked["nonce"][0],
        acr=LOA3,
        **{PERSONAL_NUMBER_CLAIM: ANNA.replace("-", "")},
    )
    back = client.get(f"{SITE}/login/callback?code=code-1&state={asked['state'][0]}")
    assert back.status_code == 302, back.get_data(as_text=True)
    assert back.headers["Location"] == "/my-pages/data-shares"
    assert _cookie_attributes(back)["name"] == "__Host-session"  # a new session, same kind

    page = client.get(f"{SITE}/my-pages")
    assert page.status_code == 200  # signed in: not sent to sign in
    assert_security_headers(page, production=True)
    # The Referer a browser sends under the Referrer-Policy: CSRF's HTTPS check needs it.
    form = {"csrf_token": csrf(page.get_data(as_text=True))}
    without = client.post(f"{SITE}/logout", data=form)
    assert without.status_code == 400  # no Referer: refused, which "no-referrer" would cause
    signed_out = client.post(f"{SITE}/logout", data=form, headers={"Referer": f"{SITE}/my-pages"})
    assert signed_out.status_code == 302
    assert client.get(f"{SITE}/my-pages").status_code == 302  # to sign in again

    # Over plain HTTP the browser keeps the cookie to itself: no session reaches the app.
    assert client.get("http://kontaktpunkt.test/my-pages").status_code == 302


def test_sign_out_may_go_on_to_the_providers_and_the_policy_lets_it(production: Flask) -> None:
    response = production.test_client().get(f"{SITE}/")
    sources = policy(response.headers["Content-Security-Policy"])["form-action"]
    issuer = production.config["OIDC_ISSUER"]
    assert sources == ["'self'", issuer]  # both providers are this one here


def test_every_kind_of_answer_carries_strict_transport_security(production: Flask) -> None:
    client = production.test_client()
    for response in (
        client.get(f"{SITE}/"),
        client.get(f"{SITE}/api/v1/life-events"),
        client.get(f"{SITE}/no-such-page"),
        client.post(f"{SITE}/api/v1/life-events"),
        client.get(f"{SITE}/static/favicon.svg"),
        client.get(f"{SITE}/dev-idp/jwks"),  # not mounted: 404
    ):
        response.close()
        assert_security_headers(response, production=True)
    # Over plain HTTP (a health check behind the proxy) there is none, and no redirect either.
    plain = client.get("http://kontaktpunkt.test/livez")
    assert plain.status_code == 200 and "Strict-Transport-Security" not in plain.headers


@pytest.mark.parametrize("acr", [None, "http://id.elegnamnden.se/loa/1.0/loa2"])
def test_a_sign_in_below_the_level_of_assurance_asked_for_is_refused(
    production: Flask, issuer: TestIssuer, acr: str | None
) -> None:
    client = production.test_client()
    start = client.get(f"{SITE}/login")
    asked = parse_qs(urlsplit(start.headers["Location"]).query)
    claims = {PERSONAL_NUMBER_CLAIM: ANNA.replace("-", ""), "acr": acr}
    issuer.grant("code-low", client_id="kontaktpunkt", nonce=asked["nonce"][0],
                 **{k: v for k, v in claims.items() if v is not None})  # fmt: skip
    back = client.get(f"{SITE}/login/callback?code=code-low&state={asked['state'][0]}&lang=en")
    assert back.status_code == 403
    assert "not secure enough for this service" in back.get_data(as_text=True)
    assert client.get(f"{SITE}/my-pages").status_code == 302  # not signed in: sent to sign in
