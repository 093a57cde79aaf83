"""Feedback through the API: a citizen answers for a case; administrators read per life event."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import Schema, fields, validate
from webargs.flaskparser import abort

from contactpoint.api.access import citizen_first
from contactpoint.api.blueprint import Blueprint
from contactpoint.api.schemas import Moment
from contactpoint.auth import api_citizen
from contactpoint.citizen.cases import case_of
from contactpoint.citizen.feedback import (
    COMMENT_MAX,
    EASE_SCALE,
    give_feedback,
    is_admin,
    recent,
    summaries,
)
from contactpoint.platform.i18n import current_language

blp = Blueprint(
    "feedback_api",
    __name__,
    url_prefix="/api/v1",
    description="Feedback at the end of a life event (citizens give it; administrators read it).",
)
SECURITY: list[dict[str, list[str]]] = [{"bearerAuth": []}]


class FeedbackRequest(Schema):
    ease = fields.Integer(
        strict=True,
        required=True,
        validate=validate.OneOf(EASE_SCALE),
        metadata={"description": "How easy it was: 1 (very difficult) to 5 (very easy)."},
    )
    comment = fields.String(load_default="", validate=validate.Length(max=COMMENT_MAX))


class FeedbackGiven(Schema):
    life_event = fields.String()
    ease = fields.Integer()


class FeedbackSummary(Schema):
    life_event = fields.String()
    count = fields.Integer()
    average_ease = fields.Float(allow_none=True)
    by_ease = fields.Dict(keys=fields.String(), values=fields.Integer())


class FeedbackEntry(Schema):
    life_event = fields.String()
    ease = fields.Integer()
    comment = fields.String(allow_none=True)
    language = fields.String()
    at = Moment()


class FeedbackReport(Schema):
    life_events = fields.List(fields.Nested(FeedbackSummary))
    feedback = fields.List(fields.Nested(FeedbackEntry), metadata={"description": "Newest first."})


class FeedbackQuery(Schema):
    life_event = fields.String(load_default=None)


@blp.route("/cases/<case_id>/feedback")
class CaseFeedback(MethodView):
    @blp.doc(security=SECURITY, operationId="giveFeedback")
    @citizen_first
    @blp.arguments(FeedbackRequest)
    @blp.response(201, FeedbackGiven)
    def post(self, body: dict[str, Any], case_id: str) -> dict[str, Any]:
        """Answer the feedback question for one of the caller's cases (once per case: a second
        answer changes nothing and gets the first back)."""
        case = case_of(api_citizen(), case_id)
        if case is None:
            abort(404, message="There is no such case.")
        stored = give_feedback(case, body["ease"], body["comment"], current_language())
        return {"life_event": stored.life_event, "ease": stored.ease}


@blp.route("/admin/feedback")
class AdminFeedback(MethodView):
    @blp.doc(security=SECURITY)
    @citizen_first
    @blp.arguments(FeedbackQuery, location="query")
    @blp.response(200, FeedbackReport)
    @blp.alt_response(403, description="Only administrators read feedback.")
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """Administrators: the feedback per life event and the latest answers, without names."""
        if not is_admin(api_citizen()):
            abort(403, message="Only administrators can read feedback.")
        return {
            "life_events": [
                {
                    "life_event": s.life_event,
                    "count": s.count,
                    "average_ease": s.average_ease,
                    "by_ease": {str(k): v for k, v in s.by_ease.items()},
                }
                for s in summaries()
            ],
            "feedback": recent(query["life_event"]),
        }
