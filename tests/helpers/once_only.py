"""Helpers for the once-only tests: the test population's people, a case read, a settled case."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

ANNA, ERIK, KARIN, JOHAN = "19850312-2387", "19870715-4574", "19440225-3274", "19700101-6356"


def case_of(client: FlaskClient, headers: dict[str, str], case_id: str) -> dict[str, Any]:
    response = client.get(f"/api/v1/cases/{case_id}", headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def settled(client: FlaskClient, headers: dict[str, str], case_id: str) -> dict[str, Any] | None:
    """The case once nothing more will happen without a person: no step running or ready."""
    case = case_of(client, headers, case_id)
    status = {step["key"]: step["status"] for step in case["steps"]}
    for step in case["steps"]:
        if step["status"] == "running":
            return None
        if step["status"] == "pending" and not any(
            status.get(dependency) in ("pending", "waiting") for dependency in step["depends_on"]
        ):
            return None
    return case
