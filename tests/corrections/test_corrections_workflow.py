"""Corrections of a sent case through the API, a real worker and both databases, checked
against what the simulated agencies received (their ledger)."""

from __future__ import annotations

import json
import subprocess
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from contactpoint.cli import main
from tests.conftest import example, token_for, wait_until
from tests.integration.test_moving_workflow import approve, submit

KARIN = "19440225-3274"


def _case(client: FlaskClient, headers: dict[str, str], case_id: str) -> dict[str, Any]:
    return client.get(f"/api/v1/cases/{case_id}", headers=headers).json


def _step(case: dict[str, Any], key: str) -> dict[str, Any]:
    return next(step for step in case["steps"] if step["key"] == key)


def _settled(client: FlaskClient, headers: dict[str, str], case_id: str) -> dict[str, Any] | None:
    """The case once no step is pending or running (a step waiting for a person counts)."""
    case = _case(client, headers, case_id)
    moving = [s for s in case["steps"] if s["status"] in ("pending", "running")]
    return None if moving else case


def _ledger(app: Flask, case_id: str) -> list[dict[str, Any]]:
    """The ledger as `contactpoint sandbox ledger --json` prints it, for one case."""
    result = app.test_cli_runner().invoke(main, ["sandbox", "ledger", "--json"])
    assert result.exit_code == 0, result.output
    return [entry for entry in json.loads(result.output) if entry["case_id"] == case_id]


def _correct(
    client: FlaskClient, headers: dict[str, str], case_id: str, answers: dict[str, Any]
) -> Any:
    body = {"answers": answers, "consent": True}
    return client.post(f"/api/v1/cases/{case_id}/corrections", json=body, headers=headers)


def test_a_correction_reaches_exactly_the_agencies_that_had_the_field_once(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes], anna: dict[str, str]
) -> None:
    case = submit(client, anna, {**example(client), "moving_along": ["none"]})  # she moves alone
    sent = wait_until(lambda: _settled(client, anna, case["id"]), timeout_s=60)
    allowance = _step(sent, "housing-allowance")
    approve(client, "forsakringskassan", allowance["id"])  # an officer decided it
    wait_until(lambda: _case(client, anna, case["id"])["status"] == "done", timeout_s=60)

    preview = client.post(
        f"/api/v1/cases/{case['id']}/corrections/preview",
        json={"answers": {"new_street": "Sysslomansgatan 3"}},
        headers=anna,
    )
    assert preview.status_code == 200, preview.json
    assert preview.json["changed"] == ["new_street"]
    planned = {item["corrects"]: item for item in preview.json["corrections"]}
    assert set(planned) == {"change-of-address", "housing-allowance"}
    assert planned["housing-allowance"]["request"] is True
    assert planned["change-of-address"]["request"] is False
    assert not preview.json["added"] and not preview.json["removed"]

    answer = _correct(client, anna, case["id"], {"new_street": "Sysslomansgatan 3"})
    assert answer.status_code == 200, answer.json
    assert answer.json["correction"]["digest"] == preview.json["digest"]

    def corrected() -> dict[str, Any] | None:
        now = _case(client, anna, case["id"])
        request = _step(now, "housing-allowance.correction-1")
        if (request["status"], request["ball"]) != ("waiting", "agency"):
            return None
        return now if _step(now, "change-of-address.correction-1")["status"] == "done" else None

    now = wait_until(corrected, timeout_s=60)
    assert now["status"] == "in_progress"  # the request waits for Försäkringskassan
    kinds = [entry["kind"] for entry in now["timeline"]]
    assert "case_corrected" in kinds and kinds.count("correction_planned") == 2

    corrections = [e for e in _ledger(app, case["id"]) if e["kind"] == "correction"]
    assert sorted(e["agency"] for e in corrections) == ["forsakringskassan", "skatteverket"]
    assert all(e["fields"] == ["new_street"] and e["times_received"] == 1 for e in corrections)
    assert {e["step"] for e in corrections} == {"change-of-address", "housing-allowance"}
    submissions = [e for e in _ledger(app, case["id"]) if e["kind"] == "submission"]
    assert all(e["times_received"] == 1 for e in submissions)

    request = _step(now, "housing-allowance.correction-1")
    approve(client, "forsakringskassan", request["id"])  # the ball was on the agency
    wait_until(lambda: _case(client, anna, case["id"])["status"] == "done", timeout_s=60)


def test_a_correction_adds_the_steps_that_now_apply_and_withdraws_those_that_do_not(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes], anna: dict[str, str]
) -> None:
    case = submit(client, anna, example(client))
    sent = wait_until(lambda: _settled(client, anna, case["id"]), timeout_s=60)
    allowance = _step(sent, "housing-allowance")
    assert (allowance["status"], allowance["ball"]) == ("waiting", "agency")

    changes = {"housing_allowance": False, "studying": True}
    answer = _correct(client, anna, case["id"], changes)
    assert answer.status_code == 200, answer.json
    plan = answer.json["correction"]
    assert [step["key"] for step in plan["added"]] == ["student-finance-address"]
    assert [(step["key"], step["told"]) for step in plan["removed"]] == [
        ("housing-allowance", True)
    ]
    assert not plan["corrections"]  # no agency had a changed field

    done = wait_until(
        lambda: (c := _case(client, anna, case["id"]))["status"] == "done" and c, timeout_s=60
    )
    removed = _step(done, "housing-allowance")
    assert (removed["status"], removed["reason_code"]) == ("not_needed", "no_longer_applies")
    assert _step(done, "student-finance-address")["status"] == "done"

    def told() -> list[dict[str, Any]]:
        return [e for e in _ledger(app, case["id"]) if e["kind"] == "withdrawal"]

    withdrawals = wait_until(told, timeout_s=60)
    assert [(e["agency"], e["step_id"]) for e in withdrawals] == [
        ("forsakringskassan", allowance["id"])
    ]
    csn = [e for e in _ledger(app, case["id"]) if e["agency"] == "csn"]
    assert [(e["kind"], e["times_received"]) for e in csn] == [("submission", 1)]
    assert "bank_account" not in {a["question"] for a in done["answers"]}


def test_bad_corrections_are_answered_clearly_and_nothing_is_sent(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes], anna: dict[str, str]
) -> None:
    case = submit(client, anna, example(client))
    wait_until(lambda: _settled(client, anna, case["id"]), timeout_s=60)
    before = _ledger(app, case["id"])

    unknown = _correct(client, anna, case["id"], {"favourite_colour": "blue"})
    assert unknown.status_code == 422
    assert "favourite_colour" in unknown.json["errors"]["json"]["answers"]
    assert unknown.json["message"]
    wrong = _correct(client, anna, case["id"], {"new_postal_code": "abc"})
    assert wrong.status_code == 422
    assert "new_postal_code" in wrong.json["errors"]["json"]["answers"]
    same = _correct(client, anna, case["id"], {"new_street": example(client)["new_street"]})
    assert same.status_code == 422
    no_consent = client.post(
        f"/api/v1/cases/{case['id']}/corrections",
        json={"answers": {"new_street": "Annan gata 1"}, "consent": False},
        headers=anna,
    )
    assert no_consent.status_code == 422 and "consent" in no_consent.json["errors"]["json"]
    karin = token_for(client, KARIN)
    other = _correct(client, karin, case["id"], {"new_street": "Annan gata 1"})
    assert other.status_code == 404

    withdrawn = client.post(f"/api/v1/cases/{case['id']}/withdrawal", headers=anna)
    assert withdrawn.status_code == 200 and withdrawn.json["status"] == "withdrawn"
    late = _correct(client, anna, case["id"], {"new_street": "Annan gata 1"})
    assert late.status_code == 409 and "withdrawn" in late.json["message"]
    again = client.post(f"/api/v1/cases/{case['id']}/withdrawal", headers=anna)
    assert again.status_code == 409

    after = [e for e in _ledger(app, case["id"]) if e["kind"] != "withdrawal"]
    assert after == before
    case_now = _case(client, anna, case["id"])
    assert not any(".correction-" in step["key"] for step in case_now["steps"])
    assert "case_corrected" not in [entry["kind"] for entry in case_now["timeline"]]
