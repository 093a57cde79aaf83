"""Every response carries the security headers: each rule of the app's URL map with valid
arguments, a static file, a 404, a 405, a 500 and the 503 of a database out of reach, as pages
and as API answers. The inline script the pages hold is the one the policy allows by its hash."""

from __future__ import annotations

import base64
import hashlib
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule
from werkzeug.test import TestResponse

from contactpoint.platform.headers import UnhashableScript, inline_script_hashes
from tests.conftest import ANNA, token_for
from tests.helpers.headers import assert_security_headers, policy
from tests.helpers.officer import agency_headers, officer_login
from tests.helpers.pages import login
from tests.helpers.walk import AGENCY, KARIN, path_of, sample_arguments

# The file each rule that serves files is asked for.
FILES = {
    "static": "favicon.svg",
    "frontend.asset": "images/govuk-crest.svg",
    "api_docs_assets": "swagger-ui.css",
}
# Sign-in's way back and the provider's sign-out change the session they arrive with: asked
# without one, so that the walk keeps its sessions.
WITHOUT_SESSION = {"login.callback", "officer_login.callback", "devidp.logout"}


@pytest.fixture()
def walkers(app: Flask) -> Iterator[dict[str, Any]]:
    """A citizen with a case and a message, an officer of the agency of one of its steps, and
    the values each rule's arguments take."""
    citizen, officer, anonymous = app.test_client(), app.test_client(), app.test_client()
    login(citizen, KARIN)
    officer_login(officer, f"{AGENCY}-s")
    yield {
        "citizen": citizen,
        "officer": officer,
        "anonymous": anonymous,
        "bearer": token_for(anonymous, KARIN),
        "agency_bearer": agency_headers(anonymous, AGENCY),
        "arguments": sample_arguments(anonymous),
    }


def _request(rule: Rule, walkers: dict[str, Any]) -> TestResponse:
    """The rule asked with valid arguments, by the one it is for; GET if it answers one, else
    its method, with an empty body (refused, but answered)."""
    path = path_of(rule, {**walkers["arguments"], "filename": FILES.get(rule.endpoint, "")})
    methods = rule.methods or set()
    method = "GET" if "GET" in methods else sorted(methods - {"HEAD", "OPTIONS"})[0]
    if rule.endpoint in WITHOUT_SESSION or method != "GET":
        return walkers["anonymous"].open(path, method=method, json={})
    if path.startswith("/api/v1/agencies/"):
        return walkers["anonymous"].get(path, headers=walkers["agency_bearer"])
    if path.startswith("/api/"):
        return walkers["anonymous"].get(path, headers=walkers["bearer"])
    client = walkers["officer"] if path.startswith("/officer") else walkers["citizen"]
    return client.get(path)


def test_every_rule_of_the_url_map_answers_with_the_security_headers(
    app: Flask, walkers: dict[str, Any], worker: subprocess.Popen[bytes]
) -> None:
    answered = {}
    for rule in app.url_map.iter_rules():
        response = _request(rule, walkers)
        response.close()  # a file's answer holds the file open until then
        assert response.status_code < 500, (rule.rule, response.get_data(as_text=True)[:500])
        assert_security_headers(response)
        answered[rule.endpoint] = response.status_code
    # The walk reached what it is for: pages, the API, files, signed in where they need it.
    assert answered["mypages.case"] == 200 and answered["officer_step.show"] == 200
    assert answered["messages.show"] == 200
    assert answered["cases.CaseDetail"] == 200 and answered["agencies.StepDetail"] == 200
    assert answered["static"] == 200 and answered["api-docs.openapi_swagger_ui"] == 200


def test_not_found_and_wrong_method_answer_with_the_security_headers(client: FlaskClient) -> None:
    for response, status in (
        (client.get("/no-such-page"), 404),
        (client.get("/api/v1/no-such-thing"), 404),
        (client.delete("/my-pages"), 405),
        (client.put("/api/v1/life-events"), 405),
        (client.get("/static/no-such-file.css"), 404),
    ):
        response.close()
        assert response.status_code == status
        assert_security_headers(response)


@pytest.mark.parametrize(
    ("failure", "status"),
    [(RuntimeError("a bug"), 500), (sa.exc.OperationalError("SELECT", {}, Exception()), 503)],
)
def test_error_pages_answer_with_the_security_headers(
    app: Flask,
    client: FlaskClient,
    monkeypatch: pytest.MonkeyPatch,
    failure: Exception,
    status: int,
) -> None:
    """A view that fails (a bug; the database gone, as its driver says): the error handlers'
    page and JSON carry the headers too."""

    def fails(**_arguments: Any) -> Any:
        raise failure

    monkeypatch.setitem(app.view_functions, "about.contact", fails)
    monkeypatch.setitem(app.view_functions, "life_events.LifeEvents", fails)
    page, answer = client.get("/contact"), client.get("/api/v1/life-events")
    assert (page.status_code, answer.status_code) == (status, status)
    assert page.mimetype == "text/html" and answer.mimetype == "application/json"
    assert_security_headers(page)
    assert_security_headers(answer)


def _inline_scripts(html: str) -> list[str]:
    return re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.DOTALL)


def test_the_inline_scripts_of_a_page_are_the_ones_its_policy_allows(client: FlaskClient) -> None:
    login(client, ANNA)
    for path in ("/", "/my-pages", "/no-such-page"):
        response = client.get(path)
        scripts = _inline_scripts(response.get_data(as_text=True))
        allowed = policy(response.headers["Content-Security-Policy"])["script-src"]
        assert scripts, path  # base.html's: GOV.UK Frontend's "JavaScript is on" class
        for script in scripts:
            digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in allowed, (path, script)


def test_an_inline_script_that_jinja_fills_in_is_refused(tmp_path: Path) -> None:
    (tmp_path / "fixed.html").write_text("<script>document.title = 'x';</script>")
    (tmp_path / "data.html").write_text("<script data-src='x'>document.title = 'y';</script>")
    (tmp_path / "file.html").write_text('<script defer src="/static/a.js"></script>')
    assert len(inline_script_hashes(tmp_path)) == 2
    (tmp_path / "filled.html").write_text("<script>var who = '{{ person }}';</script>")
    with pytest.raises(UnhashableScript, match="filled.html"):
        inline_script_hashes(tmp_path)


def test_what_is_shown_to_someone_signed_in_is_kept_by_no_cache(
    app: Flask, client: FlaskClient
) -> None:
    """Pages and JSON for a signed-in person or a token's caller: `no-store` (ASVS 14.3.2);
    open pages and files may be cached."""
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    login(client, KARIN)
    for path in ("/my-pages", "/my-pages/data-shares", "/life-events/moving"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path
    asset = client.get("/static/favicon.svg")
    asset.close()
    assert "no-store" not in asset.headers.get("Cache-Control", "")
    api = app.test_client()
    cases = api.get("/api/v1/cases", headers=token_for(api, KARIN))
    assert cases.status_code == 200 and cases.headers["Cache-Control"] == "no-store"
    assert "no-store" not in api.get("/api/v1/life-events").headers.get("Cache-Control", "")
