"""Walking the app's URL map: a valid value for each argument its rules take."""

from __future__ import annotations

from flask.testing import FlaskClient
from werkzeug.routing import Rule

from tests.conftest import token_for

KARIN = "19440225-3274"  # bereavement's example person
AGENCY = "skatteverket"  # has a step in bereavement


def sample_arguments(client: FlaskClient) -> dict[str, str]:
    """Karin's bereavement case, sent now (its declared deadline is a reminder among her
    messages), its step at AGENCY, that message, a page, question and file that exist, and a
    verification token that does not (only an e-mail holds a real one)."""
    bearer = token_for(client, KARIN)
    event = client.get("/api/v1/life-events/bereavement").json
    case = {"life_event": "bereavement", "answers": event["example_answers"], "consent": True}
    created = client.post("/api/v1/cases", json=case, headers=bearer)
    assert created.status_code == 201, created.json
    step = next(step for step in created.json["steps"] if step["agency"] == AGENCY)
    messages = client.get("/api/v1/me/messages", headers=bearer).json
    message = next(found for found in messages if found["case_id"] == created.json["id"])
    return {
        "event_id": "moving",
        "page": "move_date",
        "question_id": "current_municipality",
        "agency": AGENCY,
        "case_id": created.json["id"],
        "step_id": step["id"],
        "message_id": message["id"],
        "filename": "favicon.svg",
        "token": "no-such-token",  # an e-mail's verification link: refused with its page
        "confirmation_id": "no-such-confirmation",  # Karin is asked to confirm nothing: 404
        "organisation_number": "556612-3450",  # a company Karin may not act for
        "power_id": "testpopulationpowerofattorney001",
        "change": "revoke",
    }


def path_of(rule: Rule, arguments: dict[str, str]) -> str:
    """The rule's path with these arguments; a KeyError names an argument a new rule takes
    that `sample_arguments` has no value for yet."""
    return rule.build({name: arguments[name] for name in rule.arguments})[1]
