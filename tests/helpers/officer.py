"""Logging in as a case officer or an agency system, submitting cases, waiting for steps."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.conftest import example, wait_until
from tests.helpers.pages import sign_in_through_provider


def officer_login(client: FlaskClient, officer_id: str) -> None:
    """A staff session for one officer of the simulated staff directory, in English."""
    client.get("/?lang=en")
    response = sign_in_through_provider(client, "/officer/login", {"officer": officer_id})
    assert response.status_code == 302, response.get_data(as_text=True)


def agency_headers(client: FlaskClient, agency: str) -> dict[str, str]:
    """Authorization headers for an agency's system."""
    response = client.post("/api/v1/dev/agency/token", json={"agency": agency})
    assert response.status_code == 200, response.json
    return {"Authorization": f"Bearer {response.json['access_token']}"}


def submit(client: FlaskClient, headers: dict[str, str], **changes: Any) -> dict[str, Any]:
    """A `moving` case from the example answers with some changed (None drops an answer)."""
    answers = {k: v for k, v in {**example(client), **changes}.items() if v is not None}
    body = {"life_event": "moving", "answers": answers, "consent": True}
    response = client.post("/api/v1/cases", json=body, headers=headers)
    assert response.status_code == 201, response.json
    return response.json


def wait_for_step(
    client: FlaskClient,
    headers: dict[str, str],
    case_id: str,
    key: str,
    status: str,
    ball: str | None = None,
) -> dict[str, Any]:
    """Poll the citizen's view of the case until the step has this status (and ball)."""

    def reached() -> dict[str, Any] | None:
        case = client.get(f"/api/v1/cases/{case_id}", headers=headers).json
        step = next(step for step in case["steps"] if step["key"] == key)
        if step["status"] == status and (ball is None or step["ball"] == ball):
            return step
        return None

    return wait_until(reached, timeout_s=60)


def case_status(client: FlaskClient, headers: dict[str, str], case_id: str) -> str:
    """The case's status as the citizen's API shows it."""
    return str(client.get(f"/api/v1/cases/{case_id}", headers=headers).json["status"])
