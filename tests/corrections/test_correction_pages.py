"""The case page's "correct an answer": the form keeps what was typed and says what to fix,
the check page shows per agency what the change means, and the correction is sent."""

from __future__ import annotations

import subprocess
from html.parser import HTMLParser
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import ANNA, example, wait_until
from tests.corrections.test_corrections_workflow import _case, _settled
from tests.helpers.pages import login
from tests.integration.test_moving_workflow import submit


class Form(HTMLParser):
    """The values a browser would send from a page's first POST form."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "select":  # a municipality: its chosen option
            self.select = found.get("name")
        elif tag == "option" and self.select and "selected" in found:
            self.fields.append((self.select, found.get("value") or ""))
        if tag != "input" or not found.get("name"):
            return
        if found.get("type") in ("radio", "checkbox") and "checked" not in found:
            return
        self.fields.append((str(found["name"]), found.get("value") or ""))


def _form(html: str, **changes: str) -> dict[str, Any]:
    parser = Form()
    parser.feed(html)
    data: dict[str, Any] = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    data.update({name: [value] for name, value in changes.items()})
    return data


def test_a_citizen_corrects_an_answer_on_the_case_page(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes], anna: dict[str, str]
) -> None:
    case = submit(client, anna, {**example(client), "moving_along": ["none"]})  # she moves alone
    wait_until(lambda: _settled(client, anna, case["id"]), timeout_s=60)
    login(client, ANNA)
    page = client.get(f"/my-pages/cases/{case['id']}?lang=en").get_data(as_text=True)
    url = f"/my-pages/cases/{case['id']}/correct"
    assert f'href="{url}"' in page and "Correct an answer" in page

    form = client.get(url).get_data(as_text=True)
    assert 'value="Storgatan 12"' in form
    wrong = client.post(url, data=_form(form, new_postal_code="abc"))
    assert wrong.status_code == 422
    kept = wrong.get_data(as_text=True)
    assert 'value="abc"' in kept and "five digits" in kept
    unchanged = client.post(url, data=_form(form))
    assert unchanged.status_code == 422 and "not changed any answer" in unchanged.get_data(True)

    checked = client.post(url, data=_form(form, new_street="Sysslomansgatan 3"))
    assert checked.status_code == 200
    check = checked.get_data(as_text=True)
    assert "Check your correction" in check and "Sysslomansgatan 3" in check
    assert "Skatteverket" in check and "Försäkringskassan" in check
    assert "Municipality" not in check.split("What each agency hears")[0]
    send = f"/my-pages/cases/{case['id']}/correct/send"
    no_consent = client.post(send, data=_form(check))
    assert no_consent.status_code == 422
    assert "Tick the box" in no_consent.get_data(as_text=True)
    sent = client.post(send, data=_form(check, consent="yes"))
    assert sent.status_code == 302 and "corrected=1" in sent.headers["Location"]

    def corrected() -> bool:
        keys = {s["key"]: s["status"] for s in _case(client, anna, case["id"])["steps"]}
        return keys.get("change-of-address.correction-1") == "done"

    wait_until(corrected, timeout_s=60)
    ledger = app.extensions["ledger"].entries("skatteverket")
    mine = [e for e in ledger if e.case_id == case["id"] and e.kind == "correction"]
    assert [(e.fields, e.times_received) for e in mine] == [(["new_street"], 1)]
    shown = client.get(f"/my-pages/cases/{case['id']}").get_data(as_text=True)
    assert "Correction: Report your move" in shown or "Rättelse: Anmäl flytt" in shown
