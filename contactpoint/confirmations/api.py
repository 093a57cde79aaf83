"""The caller's confirmations in the API: what waits for their yes, and their answer."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import Schema, fields, validate
from webargs.flaskparser import abort

from contactpoint.api.access import citizen_first
from contactpoint.api.blueprint import Blueprint
from contactpoint.api.schemas import Moment
from contactpoint.auth import api_citizen
from contactpoint.confirmations.decisions import decide
from contactpoint.confirmations.views import confirmation_of, confirmations_of
from contactpoint.platform.i18n import current_language

blp = Blueprint(
    "confirmations_api",
    __name__,
    url_prefix="/api/v1/me/confirmations",
    description="Steps of another person's case that wait for the caller's yes (the other"
    " guardian, a second signatory).",
)
SECURITY: list[dict[str, list[str]]] = [{"bearerAuth": []}]
NOT_FOUND = "There is no such confirmation of yours."


class HeldStepSchema(Schema):
    step = fields.String(metadata={"description": "The step's id in its life event."})
    agency = fields.String()
    agency_name = fields.String()
    title = fields.String()
    reason = fields.String()


class ConfirmationSchema(Schema):
    """One confirmation asked of the caller, in the language asked for."""

    id = fields.String()
    state = fields.String(
        validate=validate.OneOf(["asked", "confirmed", "declined", "void"]),
        metadata={"description": "`void`: the case was withdrawn before it was answered."},
    )
    role = fields.String(metadata={"description": "The caller's role, e.g. `other_guardian`."})
    role_text = fields.String()
    life_event = fields.String()
    life_event_title = fields.String()
    asked_by = fields.String(metadata={"description": "The name of the person who sent it."})
    created_at = Moment()
    decided_at = Moment(allow_none=True)
    steps = fields.List(fields.Nested(HeldStepSchema))


class ConfirmationAnswerSchema(Schema):
    decision = fields.String(
        required=True,
        validate=validate.OneOf(["confirm", "decline"]),
        metadata={"description": "`confirm` sends the steps; `decline` ends them."},
    )


@blp.route("")
class Confirmations(MethodView):
    @blp.doc(security=SECURITY)
    @blp.response(200, ConfirmationSchema(many=True))
    def get(self) -> list[dict[str, Any]]:
        """Everything the caller has been asked to confirm, newest first."""
        return confirmations_of(api_citizen().id, current_language())


@blp.route("/<confirmation_id>")
class ConfirmationAnswer(MethodView):
    @blp.doc(security=SECURITY)
    @blp.response(200, ConfirmationSchema)
    @blp.alt_response(404, description="No such confirmation of the caller's.")
    def get(self, confirmation_id: str) -> dict[str, Any]:
        """One confirmation asked of the caller."""
        found = confirmation_of(api_citizen().id, confirmation_id, current_language())
        if found is None:
            abort(404, message=NOT_FOUND)
        return found

    @blp.doc(security=SECURITY)
    @citizen_first
    @blp.arguments(ConfirmationAnswerSchema)
    @blp.response(200, ConfirmationSchema)
    @blp.alt_response(404, description="No such confirmation of the caller's.")
    @blp.alt_response(409, description="It was answered otherwise before.")
    def post(self, answer: dict[str, str], confirmation_id: str) -> dict[str, Any]:
        """Answer once: `confirm` sends the steps that wait, `decline` ends them and tells the
        sender. The same answer again changes nothing."""
        person = api_citizen()
        outcome = decide(person.id, confirmation_id, answer["decision"])  # type: ignore[arg-type]
        if outcome is None:
            abort(404, message=NOT_FOUND)
        wanted = {"confirm": "confirmed", "decline": "declined"}[answer["decision"]]
        if outcome != wanted:
            abort(409, message=f"It cannot be answered now: it is {outcome}.")
        found = confirmation_of(person.id, confirmation_id, current_language())
        assert found is not None
        return found
