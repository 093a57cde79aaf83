"""Browser fixtures: the app served on 127.0.0.1 with the real worker, and Debian's Chromium."""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, Request, Response, sync_playwright
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

CHROMIUM = Path(os.environ.get("CONTACTPOINT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class QuietHandler(WSGIRequestHandler):
    """Serve without a log line per request."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Say nothing."""


@pytest.fixture(scope="session", autouse=True)
def chromium_installed() -> None:
    """Browser tests need Debian's Chromium: skipped without it, except in CI where they fail."""
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
    pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium to run the browser tests")


@pytest.fixture(scope="session")
def live_server(app: Flask, worker: subprocess.Popen[bytes]) -> Iterator[str]:
    """The app served by werkzeug in a thread on a free port; yields its base URL."""
    server: BaseWSGIServer = make_server(
        "127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["LIVE_SERVER_URL"] = url
    yield url
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture(scope="session")
def browser(live_server: str) -> Iterator[Browser]:
    """Debian's headless Chromium, driven by Playwright."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def context(browser: Browser, live_server: str) -> Iterator[BrowserContext]:
    """A fresh browser context (cookies, session) per test, against the live server."""
    created = browser.new_context(base_url=live_server, locale="sv-SE")
    created.set_default_timeout(15_000)
    problems: list[str] = []

    def local_only(request: Request) -> None:
        if not request.url.startswith((live_server, "data:")):
            problems.append(f"asked outside this machine: {request.url}")

    def assets_found(response: Response) -> None:
        if response.status >= 400 and ("/assets/" in response.url or "/static/" in response.url):
            problems.append(f"{response.status} {response.url}")

    created.on("request", local_only)
    created.on("response", assets_found)
    yield created
    created.close()
    assert not problems, f"the pages need only this server and all their assets: {problems}"


@pytest.fixture()
def page(context: BrowserContext) -> Iterator[Page]:
    """A page in a fresh context."""
    opened = context.new_page()
    yield opened
    opened.close()


def forget_drafts(app: Flask, personal_number: str) -> None:
    """Start a person's journeys afresh: drop their unfinished answers."""
    from contactpoint.db.models import Draft, Person
    from contactpoint.extensions import db

    with app.app_context():
        person = db.session.scalar(
            sa.select(Person).where(Person.personal_number == personal_number)
        )
        assert person is not None
        db.session.execute(sa.delete(Draft).where(Draft.person_id == person.id))
        db.session.commit()
