"""A step waiting for a retry says when it is tried again, on My pages, in the API and on the
officers' pages, in Swedish time: not that it is being handled."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import format_date, format_time

from agencies import clock
from contactpoint.db.models import Case, CaseEvent, DataShare, Message, Step, utc
from contactpoint.extensions import db
from tests.conftest import ANNA, token_for
from tests.helpers.officer import officer_login
from tests.helpers.pages import login
from tests.helpers.statements import Collect, new_case
from workflows import engine, runtime
from workflows.retries import AgencyCircuitOpen


class BreakerOpen:
    """Every agency's breaker is open, its next trial 20 minutes away, not down."""

    def for_agency(self, agency: str) -> Any:
        return self

    def submit(self, request: Any) -> Any:
        raise AgencyCircuitOpen("not tried", trial_in_s=1200, reset_s=0, down=False)


@pytest.fixture()
def waiting(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, str, Any]]:
    """A moving case of Anna's whose first step waits for its agency's next trial: the case,
    the step and when; removed afterwards, so that no other test sees it waiting."""
    collect = Collect()
    monkeypatch.setattr(runtime.current(), "dispatcher", collect)
    with app.app_context():
        case_id = new_case("moving")
        first = collect.sent[0]
        current = runtime.current()
        engine.run_step(current.store, BreakerOpen(), first, current.retry, None)
        step = db.session.get(Step, first)
        assert step is not None and step.status == "running"
        when = utc(step.next_attempt_at)
        db.session.rollback()
    yield case_id, first, when
    with app.app_context():
        for model in (CaseEvent, DataShare, Message, Step):
            db.session.execute(sa.delete(model).where(model.case_id == case_id))
        db.session.execute(sa.delete(Case).where(Case.id == case_id))
        db.session.commit()


def _again(app: Flask, moment: Any, language: str = "sv") -> str:
    """When the step is tried again, as the pages say it in Swedish time: the time alone
    today, with the date when the attempt falls after midnight in Sweden."""
    with app.test_request_context(f"/?lang={language}"):
        time = str(format_time(moment, "HH:mm"))
        if clock.today(moment) == clock.today():
            return f"kl. {time}" if language == "sv" else f"at {time}"
        day = str(format_date(moment, "d MMMM"))
        return f"den {day} kl. {time}" if language == "sv" else f"on {day} at {time}"


def test_my_pages_say_when_the_agency_is_tried_again(
    app: Flask, client: FlaskClient, waiting: tuple[str, str, Any]
) -> None:
    case_id, step_id, when = waiting
    login(client, ANNA)
    page = client.get(f"/my-pages/cases/{case_id}?lang=sv").get_data(as_text=True)
    step = page[page.index('data-step="change-of-address"') :]
    step = step[: step.index("</li>")]
    assert "Försöker igen" in step and f"Vi försöker igen {_again(app, when)}." in step
    assert "arbetar med det" not in step and "Skickas" not in step
    status = page[page.index('class="case-status"') :]
    status = status[: status.index("</p>")]
    assert "Vi kunde inte nå en av myndigheterna just nu." in status
    english = client.get(f"/my-pages/cases/{case_id}?lang=en").get_data(as_text=True)
    assert f"We will try again {_again(app, when, 'en')}." in english
    listed = client.get("/my-pages?lang=sv").get_data(as_text=True)
    assert f"Vi försöker igen {_again(app, when)}." in listed

    found = client.get(f"/api/v1/cases/{case_id}", headers=token_for(client)).json
    shown = next(step for step in found["steps"] if step["id"] == step_id)
    assert shown["status"] == "running" and shown["next_attempt_at"]
    others = [step for step in found["steps"] if step["id"] != step_id]
    assert others and all(step["next_attempt_at"] is None for step in others)


def test_the_officer_reads_when_the_system_is_tried_again(
    app: Flask, client: FlaskClient, waiting: tuple[str, str, Any]
) -> None:
    case_id, step_id, when = waiting
    officer_login(client, "skatteverket-1")
    page = client.get(f"/officer/steps/{step_id}?lang=sv").get_data(as_text=True)
    assert f"Ert system nås inte. Vi försöker igen {_again(app, when)}." in page
    with app.app_context():  # the inbox filtered to this case: other tests leave steps too
        reference = db.session.scalar(sa.select(Case.reference).where(Case.id == case_id))
    inbox = client.get(f"/officer?queue=all&reference={reference}&lang=en").get_data(as_text=True)
    row = inbox[inbox.index(f'data-step="{step_id}"') :]
    assert f"Your system not reached. We will try again {_again(app, when, 'en')}." in row
