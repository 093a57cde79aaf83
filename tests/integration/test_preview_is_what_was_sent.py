"""For every life event and several answer sets: each agency received exactly the preview."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import token_for, wait_until
from tests.helpers.confirmations import confirm_held
from tests.helpers.once_only import KARIN, settled
from workflows import declared_step
from workflows.lifeevents import catalogue


def answer_sets() -> list[tuple[str, str, dict[str, Any], list[str]]]:
    """(life event, person, answers, corrections): the examples, every yes turned to no, more."""
    sets = []
    for event in catalogue().values():
        answers = dict(event.example_answers)
        sets.append((event.id, event.example_person, answers, []))
        nos = {key: False if value is True else value for key, value in answers.items()}
        if nos != answers:
            sets.append((event.id, event.example_person, nos, []))
    moving = dict(catalogue()["moving"].example_answers)
    alone = {k: v for k, v in moving.items() if "children" not in k and k != "moving_along"}
    sets.append(("moving", KARIN, alone, []))  # nobody lives with her: she moves alone
    disputed = {**moving, "current_municipality": "0114"}
    sets.append(
        (
            "moving",
            catalogue()["moving"].example_person,
            disputed,
            ["current_municipality"],
        )
    )
    return sets


@pytest.mark.parametrize(
    ("event_id", "person", "answers", "corrections"),
    answer_sets(),
    ids=[f"{s[0]}-{i}" for i, s in enumerate(answer_sets())],
)
def test_every_agency_receives_exactly_the_fields_of_the_preview_consented_to(
    app: Flask,
    client: FlaskClient,
    worker: subprocess.Popen[bytes],
    event_id: str,
    person: str,
    answers: dict[str, Any],
    corrections: list[str],
) -> None:
    headers = token_for(client, person)
    body = {"answers": answers, "corrections": corrections}
    preview = client.post(f"/api/v1/life-events/{event_id}/preview", json=body, headers=headers)
    assert preview.status_code == 200, preview.json
    assert preview.json["complete"], preview.json["unanswered"]
    consented = preview.json["consent"]
    shown = {
        step["id"]: sorted(field["name"] for field in step["fields"])
        for agency in preview.json["agencies"]
        for step in agency["steps"]
        if step["sent"]
    }
    assert shown == {key: value["fields"] for key, value in consented.items()}

    case = client.post(
        "/api/v1/cases",
        json={"life_event": event_id, "consent": True, "preview_digest": preview.json["digest"]}
        | body,
        headers=headers,
    )
    assert case.status_code == 201, case.json
    confirm_held(client, case.json, person)  # the other guardian's yes, where it is needed
    done = wait_until(lambda: settled(client, headers, case.json["id"]), timeout_s=90)
    assert done["consented_preview"] == consented

    steps = {step["id"]: step for step in done["steps"]}
    received = [e for e in app.extensions["ledger"].entries() if e.case_id == done["id"]]
    assert bool(received) == bool(consented)  # nothing consented to, nothing sent
    for entry in received:
        key = steps[entry.step_id]["key"]
        assert entry.agency == consented[key]["agency"]
        assert sorted(entry.fields) == consented[key]["fields"], key
    sent = {steps[entry.step_id]["key"] for entry in received}
    ran = {s["key"] for s in done["steps"] if s["status"] in ("done", "waiting")}
    assert sent == ran and sent <= set(consented)

    log = client.get("/api/v1/me/data-shares", headers=headers).json
    transfers = {
        e["step_id"]: e for e in log if e["kind"] == "transfer" and e["case_id"] == done["id"]
    }
    assert {steps[step_id]["key"] for step_id in transfers} == sent
    for step_id, entry in transfers.items():
        assert sorted(entry["fields"]) == consented[steps[step_id]["key"]]["fields"]
        declared = declared_step(catalogue()[event_id], steps[step_id]["key"])
        basis = declared.legal_basis if declared else None  # none: a request of the citizen's
        assert entry["basis"] == (basis.kind if basis else "consent")  # or the law declared
