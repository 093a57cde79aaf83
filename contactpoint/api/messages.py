"""The caller's messages: their mailbox, newest first, and marking one read."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import Schema, fields, validate
from webargs.flaskparser import abort

from contactpoint.api.blueprint import Blueprint
from contactpoint.api.schemas import Moment
from contactpoint.auth import api_citizen
from contactpoint.db.mailbox import mark_read, message_of, messages_of
from contactpoint.messages.presenters import message_view
from contactpoint.platform.i18n import current_language
from workflows import MessageAction, MessageKind

blp = Blueprint(
    "messages_api",
    __name__,
    url_prefix="/api/v1/me/messages",
    description="The logged-in citizen's messages: requests, decisions, reminders, offers.",
)
SECURITY: list[dict[str, list[str]]] = [{"bearerAuth": []}]


class ActionSchema(Schema):
    """The one thing the person can do about a message."""

    type = fields.String(
        validate=validate.OneOf([str(action) for action in MessageAction]),
        metadata={
            "description": "`answer`: answer the agency's question on the case's page;"
            " `open_case`: read the case; `start`: start the life event `life_event`;"
            " `dismiss`: put the message away."
        },
    )
    label = fields.String(metadata={"description": "What to call it, in the reader's language."})
    url = fields.String(metadata={"description": "The page where it is done."})
    life_event = fields.String(metadata={"description": "For `start`: the life event's id."})
    answers = fields.Dict(
        metadata={
            "description": "For an offer: the answers the registers gave, to send with"
            " `POST /api/v1/cases` (after the person has checked them)."
        }
    )


class MessageSchema(Schema):
    """One message to the caller, in the language asked for."""

    id = fields.String()
    kind = fields.String(
        validate=validate.OneOf([str(kind) for kind in MessageKind]),
        metadata={
            "description": "`complement`: an agency asks for more; `decision`: an agency"
            " approved (with its reference) or rejected (with its reason) a step;"
            " `reminder`: a deadline; `suggestion`: an offer to start a life event;"
            " `notice`: anything else."
        },
    )
    title = fields.String()
    text = fields.String()
    created_at = Moment()
    read_at = Moment(allow_none=True, metadata={"description": "When it was read; null: unread."})
    case_id = fields.String(allow_none=True, metadata={"description": "The case it concerns."})
    step_id = fields.String(allow_none=True, metadata={"description": "The step it concerns."})
    action = fields.Nested(ActionSchema, allow_none=True)
    reason = fields.String(
        allow_none=True,
        metadata={"description": "For a proactive message: why it was sent, in plain words."},
    )


@blp.route("")
class Messages(MethodView):
    @blp.doc(security=SECURITY)
    @blp.response(200, MessageSchema(many=True))
    def get(self) -> list[dict[str, Any]]:
        """Every message to the caller, newest first (`read_at` null: unread)."""
        person = api_citizen()
        language = current_language()
        return [message_view(row, language) for row in messages_of(person.id)]


@blp.route("/<message_id>/read")
class MessageRead(MethodView):
    @blp.doc(security=SECURITY)
    @blp.response(200, MessageSchema)
    @blp.alt_response(404, description="No such message of the caller's.")
    def post(self, message_id: str) -> dict[str, Any]:
        """Mark one of the caller's messages read; marking it again changes nothing."""
        person = api_citizen()
        if not mark_read(person.id, message_id):
            abort(404, message="There is no such message.")
        row = message_of(person.id, message_id)
        if row is None:
            abort(404, message="There is no such message.")
        return message_view(row, current_language())
