"""Each step's legal basis, and how to appeal a decision against the person, wherever the
citizen reads about the step: preview, case, sharing log, export, message."""

from __future__ import annotations

import subprocess
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import example, wait_until
from tests.corrections.test_corrections_workflow import _case, _settled, _step
from tests.integration.test_moving_workflow import submit


def _reject(client: FlaskClient, agency: str, step_id: str, reason: str) -> None:
    token = client.post("/api/v1/dev/agency/token", json={"agency": agency}).json
    response = client.post(
        f"/api/v1/agencies/{agency}/steps/{step_id}/decision",
        json={"decision": "reject", "reason": reason},
        headers={"Authorization": f"Bearer {token['access_token']}"},
    )
    assert response.status_code == 200, response.json


def test_the_preview_names_the_law_or_the_consent_each_step_rests_on(client: FlaskClient) -> None:
    answers = example(client)
    evaluated = client.post(
        "/api/v1/life-events/moving/evaluate?lang=sv", json={"answers": answers}
    ).json
    basis = {step["id"]: step["legal_basis"] for step in evaluated["steps"]}
    assert basis["change-of-address"]["kind"] == "law"
    assert "folkbokföringslagen (1991:481)" in basis["change-of-address"]["text"]
    assert basis["housing-allowance"] == {
        "kind": "consent",
        "statute": None,
        "text": "Med ditt samtycke",
    }
    declared = client.get("/api/v1/life-events/moving").json["steps"]
    allowance = next(step for step in declared if step["id"] == "housing-allowance")
    assert allowance["appeal"]["weeks"] == 3


def test_a_rejection_says_how_to_appeal_and_by_when_in_both_languages(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes], anna: dict[str, str]
) -> None:
    case = submit(client, anna, example(client))
    sent = wait_until(lambda: _settled(client, anna, case["id"]), timeout_s=60)
    allowance = _step(sent, "housing-allowance")
    _reject(client, "forsakringskassan", allowance["id"], "The income is too high.")

    def rejected(lang: str) -> dict[str, Any] | None:
        read = client.get(f"/api/v1/cases/{case['id']}?lang={lang}", headers=anna).json
        step = _step(read, "housing-allowance")
        return step if step["outcome"] == "rejected" else None

    english = wait_until(lambda: rejected("en"), timeout_s=60)["appeal"]
    assert english["weeks"] == 3 and "44 §" in english["law"]
    assert "within three weeks of the day you learned of the decision" in english["text"]
    assert "Försäkringskassan" in english["text"]
    swedish = rejected("sv")
    assert swedish is not None
    assert "inom tre veckor från den dag du fick veta beslutet" in swedish["appeal"]["text"]
    assert "förvaltningslagen 44 §" in swedish["appeal"]["text"]

    for lang, words in (("en", "within three weeks"), ("sv", "inom tre veckor")):
        messages = client.get(f"/api/v1/me/messages?lang={lang}", headers=anna).json
        said = [m for m in messages if m["case_id"] == case["id"] and m["kind"] == "decision"]
        assert said and words in said[0]["text"], said
    done = _step(_case(client, anna, case["id"]), "change-of-address")
    assert done["appeal"] is None  # nothing was decided against the person

    shares = client.get("/api/v1/me/data-shares?lang=en", headers=anna).json
    mine = {s["step_key"]: s for s in shares if s["case_id"] == case["id"]}
    assert mine["change-of-address"]["basis"] == "law"
    assert mine["change-of-address"]["statute"].startswith("the Population Registration Act")
    assert "Population Registration Act" in mine["change-of-address"]["basis_text"]
    assert mine["housing-allowance"]["basis"] == "consent"

    export = client.get("/api/v1/me/export", headers=anna).json
    exported = next(c for c in export["cases"] if c["id"] == case["id"])
    steps = {step["key"]: step for step in exported["steps"]}
    assert steps["change-of-address"]["legal_basis"]["kind"] == "law"
    assert steps["housing-allowance"]["appeal"]["weeks"] == 3
