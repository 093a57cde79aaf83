"""Correcting whom a case names: the people chosen are checked against the population register
as at submission, on the case page (by key, never a personal number on the page) and in the
API; whom the case acts for (the child, the deceased, the company) cannot be corrected."""

from __future__ import annotations

import re
import subprocess
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import example, token_for, wait_until
from tests.corrections.test_correction_pages import _form
from tests.corrections.test_corrections_workflow import _case, _step
from tests.helpers.pages import login
from tests.integration.test_moving_workflow import submit

ANNA, ERIK, MAJA, OLLE = "19850312-2387", "19870715-4574", "20150411-3893", "20191102-7496"
KARIN, JOHAN, SARA = "19440225-3274", "19700101-6356", "19920604-2823"


def _numbers_in(html: str, *numbers: str) -> list[str]:
    return [n for n in numbers if n[:8] in html or n.replace("-", "") in html]


def _preview(
    client: FlaskClient, headers: dict[str, str], case_id: str, answers: dict[str, Any]
) -> Any:
    url = f"/api/v1/cases/{case_id}/corrections/preview"
    return client.post(url, json={"answers": answers}, headers=headers)


def test_a_correction_cannot_name_someone_outside_the_household(
    client: FlaskClient, anna: dict[str, str]
) -> None:
    case = submit(client, anna, {**example(client), "moving_along": ["none"]})
    karin = {"personal_number": KARIN, "name": "Karin Berg", "relation": "child", "born": 1944}
    for named in (karin, KARIN):  # as a kept entry, as a number: neither is on her list
        refused = _preview(client, anna, case["id"], {"moving_along": [named]})
        assert refused.status_code == 422, refused.json
        messages = refused.json["errors"]["json"]["answers"]["moving_along"]
        assert refused.json["message"] and any("population register" in m for m in messages)
        refused = client.post(
            f"/api/v1/cases/{case['id']}/corrections",
            json={"answers": {"moving_along": [named]}, "consent": True},
            headers=anna,
        )
        assert refused.status_code == 422
    now = _case(client, anna, case["id"])
    assert not any(step["key"] == "children-change-of-address" for step in now["steps"])


def test_a_correction_through_the_api_adds_a_child_the_register_lists(
    client: FlaskClient, anna: dict[str, str]
) -> None:
    case = submit(client, anna, {**example(client), "moving_along": ["none"]})
    found = _preview(client, anna, case["id"], {"moving_along": [MAJA]})
    assert found.status_code == 422  # a question for the school applies now: answer it
    assert list(found.json["errors"]["json"]["answers"]) == ["contact_phone"]
    answers = {"moving_along": [MAJA], "contact_phone": "070-123 45 67"}
    found = _preview(client, anna, case["id"], answers)
    assert found.status_code == 200, found.json
    assert found.json["changed"] == ["contact_phone", "moving_along"]
    added = {step["key"] for step in found.json["added"]}
    assert "children-change-of-address" in added


@pytest.mark.parametrize(
    ("event", "person", "question", "other"),
    [
        ("bereavement", KARIN, "deceased", ANNA),  # to report another person dead
        ("new-baby", SARA, "child", MAJA),  # a child in another's care
        ("close-business", JOHAN, "organisation", "5560360793"),  # another company
    ],
)
def test_whom_the_case_acts_for_cannot_be_corrected(
    client: FlaskClient, event: str, person: str, question: str, other: str
) -> None:
    headers = token_for(client, person)
    body = {"life_event": event, "answers": example(client, event), "consent": True}
    sent = client.post("/api/v1/cases", json=body, headers=headers)
    assert sent.status_code == 201, sent.json
    refused = _preview(client, headers, sent.json["id"], {question: other})
    assert refused.status_code == 422, refused.json
    assert question in refused.json["errors"]["json"]["answers"]
    now = _case(client, headers, sent.json["id"])
    assert now["answers"] == sent.json["answers"]


def test_whom_the_case_acts_for_is_not_offered_on_the_correction_page(
    client: FlaskClient,
) -> None:
    headers = token_for(client, KARIN)
    body = {"life_event": "bereavement", "answers": example(client, "bereavement"), "consent": True}
    case = client.post("/api/v1/cases", json=body, headers=headers).json
    login(client, KARIN)
    form = client.get(f"/my-pages/cases/{case['id']}/correct?lang=en").get_data(as_text=True)
    assert 'name="deceased"' not in form and "cannot change whom the case is for" in form
    swedish = client.get(f"/my-pages/cases/{case['id']}/correct?lang=sv").get_data(as_text=True)
    assert "Du kan inte ändra vem ärendet gäller" in swedish
    tampered = _form(form, deceased=ANNA)  # posted anyway: kept as sent
    answer = client.post(f"/my-pages/cases/{case['id']}/correct?lang=en", data=tampered)
    assert answer.status_code == 422 and "not changed any answer" in answer.get_data(True)


def test_a_citizen_adds_a_child_to_the_move_on_the_case_page(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes], anna: dict[str, str]
) -> None:
    case = submit(client, anna, {**example(client), "moving_along": ["none"]})
    login(client, ANNA)
    url = f"/my-pages/cases/{case['id']}/correct"
    form = client.get(f"{url}?lang=sv").get_data(as_text=True)
    assert "Vem flyttar med dig?" in form and "Maja, född 2015 (barn)" in form
    assert re.search(r'value="none" checked', form)
    assert _numbers_in(form, ANNA, ERIK, MAJA, OLLE) == []

    unknown = client.post(url, data=_form(form, moving_along="child-2030-1"))
    assert unknown.status_code == 422 and _numbers_in(unknown.get_data(True), MAJA) == []
    asked = client.post(f"{url}?lang=sv", data=_form(form, moving_along="child-2015-1"))
    assert asked.status_code == 422  # a question for the school applies now: answer it
    again = asked.get_data(as_text=True)
    assert 'name="contact_phone"' in again and re.search(r'value="child-2015-1" checked', again)
    checked = client.post(f"{url}?lang=sv", data=_form(again, contact_phone="070-123 45 67"))
    assert checked.status_code == 200, checked.get_data(True)
    check = checked.get_data(as_text=True)
    assert "Maja, född 2015 (barn)" in check and "Barnen flyttar med" in check
    assert _numbers_in(check, ERIK, MAJA, OLLE) == []  # the changes go by key

    sent = client.post(f"{url}/send", data=_form(check, consent="yes"))
    assert sent.status_code == 302 and "corrected=1" in sent.headers["Location"]

    def children_moved() -> dict[str, Any] | None:
        now = _case(client, anna, case["id"])
        keys = [step["key"] for step in now["steps"]]
        if "children-change-of-address" not in keys:
            return None
        return now if _step(now, "children-change-of-address")["status"] == "done" else None

    done = wait_until(children_moved, timeout_s=60)
    kept = next(a for a in done["answers"] if a["question"] == "moving_along")
    assert "Maja" in str(kept)
