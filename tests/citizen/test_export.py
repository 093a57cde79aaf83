"""The export: everything held about the citizen, valid against its published schema."""

from __future__ import annotations

import subprocess

from flask.testing import FlaskClient
from jsonschema import Draft202012Validator

from contactpoint.citizen.export import export_schema
from tests.conftest import example, token_for, wait_until
from tests.helpers.officer import agency_headers
from tests.helpers.once_only import ANNA, settled


def test_the_schema_itself_is_valid_and_published(client: FlaskClient) -> None:
    Draft202012Validator.check_schema(export_schema())
    assert client.get("/api/v1/me/export/schema").json == export_schema()


def test_the_export_validates_and_holds_every_sharing_log_entry(
    client: FlaskClient, worker: subprocess.Popen[bytes]
) -> None:
    headers = token_for(client, ANNA)
    body = {"life_event": "moving", "answers": example(client), "consent": True}
    case_id = client.post("/api/v1/cases", json=body, headers=headers).json["id"]
    case = wait_until(lambda: settled(client, headers, case_id), timeout_s=60)
    step = next(s for s in case["steps"] if s["agency"] == "skatteverket")
    read = f"/api/v1/agencies/skatteverket/steps/{step['id']}"  # the agency's system reads it
    assert client.get(read, headers=agency_headers(client, "skatteverket")).status_code == 200

    response = client.get("/api/v1/me/export", headers=headers)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    document = response.json
    validator = Draft202012Validator(
        export_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]

    assert document["profile"]["personal_number"] == ANNA
    log = client.get("/api/v1/me/data-shares", headers=headers).json
    assert [entry["id"] for entry in document["data_shares"]] == [entry["id"] for entry in log]
    exported = next(case for case in document["cases"] if case["id"] == case_id)
    assert {answer["question"] for answer in exported["answers"]} >= {
        "move_date",
        "moving_along",
    }
    assert exported["consented_preview"] and exported["steps"]
    kinds = {entry["kind"] for entry in document["data_shares"]}
    assert kinds == {"transfer", "register_read", "view"}
    [view] = [
        e for e in document["data_shares"] if e["kind"] == "view" and e["step_id"] == step["id"]
    ]
    assert (view["agency"], view["role"], view["times"], view["case_id"]) == (
        "skatteverket",
        "system",
        1,
        case_id,
    )
    assert view["basis"] == "case_handling" and view["basis_text"]
