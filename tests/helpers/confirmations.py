"""Answering, as the other person, what a case waits for (`/api/v1/me/confirmations`)."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from agencies.population import related_to
from tests.conftest import token_for, wait_until


def confirm_all(client: FlaskClient, personal_number: str, decision: str = "confirm") -> int:
    """Answer every confirmation asked of this person (once one is asked); how many."""
    headers = token_for(client, personal_number)

    def asked() -> list[str]:
        found = client.get("/api/v1/me/confirmations", headers=headers).json
        return [c["id"] for c in found if c["state"] == "asked"]

    ids = wait_until(asked, timeout_s=30)
    for confirmation_id in ids:
        url = f"/api/v1/me/confirmations/{confirmation_id}"
        response = client.post(url, json={"decision": decision}, headers=headers)
        assert response.status_code == 200, response.json
    return len(ids)


def confirm_held(client: FlaskClient, case: dict[str, Any], sender: str) -> None:
    """Where a just-sent case holds steps for the other guardian, they confirm them."""
    steps = case["steps"]
    if not any(step["ball"] == "person" for step in steps):
        return
    child = next(step["on_behalf_of"] for step in steps if step.get("on_behalf_of"))
    [other] = [number for number in related_to("guardian", child) if number != sender]
    confirm_all(client, other)
