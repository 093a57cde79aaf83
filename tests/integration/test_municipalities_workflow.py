"""A move between two named municipalities, through the API and a real worker: the one left
and the one moved to each receive their own part, under their own agency id."""

from __future__ import annotations

import subprocess

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import example, wait_until
from tests.integration.test_moving_workflow import finished, submit


def test_a_move_from_stockholm_to_kiruna_reaches_both_municipalities(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes], anna: dict[str, str]
) -> None:
    answers = {**example(client), "current_municipality": "0180", "new_municipality": "2584"}
    case = submit(client, anna, answers)
    done = wait_until(lambda: finished(client, anna, case["id"]), timeout_s=60)
    assert done["status"] == "done"
    agencies = {step["key"]: step["agency"] for step in done["steps"]}
    # Maja and Olle both go to school now: the school steps go to both municipalities.
    assert agencies["school-transfer"] == "kommun_2584"
    assert agencies["school-leaving"] == "kommun_0180"

    ledger = [e for e in app.extensions["ledger"].entries() if e.case_id == case["id"]]
    received = {(entry.agency, entry.step_id) for entry in ledger}
    by_key = {step["key"]: step["id"] for step in done["steps"]}
    assert ("kommun_2584", by_key["school-transfer"]) in received
    assert ("kommun_0180", by_key["school-leaving"]) in received
    kiruna = next(e for e in ledger if e.step_id == by_key["school-transfer"])
    assert kiruna.reference.startswith("K2584-")
    # The answers hold the codes: what the municipalities receive says 0180 and 2584.
    answers_held = client.get(f"/api/v1/cases/{case['id']}", headers=anna).json["answers"]
    held = {answer["question"]: answer["value"] for answer in answers_held}
    assert (held["current_municipality"], held["new_municipality"]) == ("0180", "2584")
