"""A deadline's reminder is not sent to a person the population register records as dead since
their case was sent; the living person beside them still gets theirs."""

from __future__ import annotations

import datetime as dt
import subprocess
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from agencies import clock
from tests.conftest import example, token_for
from tests.helpers.register import new_resident, register_of
from workflows import proactive
from workflows.deadlines import add_months
from workflows.proactive.service import remind_of_deadlines

TITLE = "The estate inventory is due soon"


def remind(app: Flask, day: dt.date) -> dict[str, int]:
    """The pass's deadline reminders alone (its other parts remind of other facts, as the
    passport's, which other tests count), with the one clock moved to `day`."""
    moment = dt.datetime.combine(day, dt.time(11), tzinfo=dt.UTC)
    with pytest.MonkeyPatch.context() as moved, app.app_context():
        moved.setattr(clock, "now", lambda: moment)
        return remind_of_deadlines(proactive.current(), clock.today())


def reminders(client: FlaskClient, headers: dict[str, str], case_id: str) -> list[Any]:
    found = client.get("/api/v1/me/messages?lang=en", headers=headers).json
    return [m for m in found if m["case_id"] == case_id and m["title"] == TITLE]


def test_the_estate_inventory_is_not_reminded_to_a_member_who_has_died_since(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes]
) -> None:
    first = new_resident(app, "Hedda Alm", with_mailbox=True)
    second = new_resident(app, "Tor Lind", with_mailbox=True)
    died = clock.today() - dt.timedelta(days=10)
    register = register_of(app)
    cases = {}
    for member, deceased_name in ((first, "Greta Alm"), (second, "Sixten Lind")):
        deceased = new_resident(app, deceased_name)
        with app.app_context():
            register.record_death(deceased, on=died, estate=[member])
        answers = {
            **example(client, "bereavement"),
            "deceased": deceased,
            "date_of_death": died.isoformat(),
            "vehicle": False,
        }
        headers = token_for(client, member)
        body = {"life_event": "bereavement", "answers": answers, "consent": True}
        sent = client.post("/api/v1/cases", json=body, headers=headers)
        assert sent.status_code == 201, sent.json
        cases[member] = (headers, sent.json["id"])

    with app.app_context():  # the first member dies after sending the case
        register.record_death(first)
    deadline = add_months(died, 3)
    counts = remind(app, deadline - dt.timedelta(days=14))
    assert counts["deceased"] >= 1
    assert reminders(client, *cases[first]) == []
    [reminder] = reminders(client, *cases[second])  # the living member is reminded
    assert reminder["action"]["type"] == "open_case"
