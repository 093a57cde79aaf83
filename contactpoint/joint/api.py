"""The shared status of a death or birth another person reported first, in the API."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import Schema, fields
from webargs.flaskparser import abort

from contactpoint.api.access import citizen_first
from contactpoint.api.blueprint import Blueprint
from contactpoint.auth import api_citizen
from contactpoint.citizen.cases import case_of
from contactpoint.joint import shared_status
from contactpoint.platform.i18n import current_language

blp = Blueprint(
    "shared_status_api",
    __name__,
    url_prefix="/api/v1/cases",
    description="One event, one case: the status of the case another person reported first.",
)


class SharedStep(Schema):
    key = fields.String()
    title = fields.String()
    agency = fields.String()
    agency_name = fields.String()
    status = fields.String()
    ball = fields.String()


class SharedStatusSchema(Schema):
    reported_by = fields.String(
        metadata={"description": "Who reported first, by relation only: the other guardian."}
    )
    status = fields.String()
    steps = fields.List(fields.Nested(SharedStep), metadata={"description": "Status, no data."})


@blp.route("/<case_id>/shared-status")
class SharedStatus(MethodView):
    @blp.doc(security=[{"bearerAuth": []}], operationId="getSharedStatus")
    @citizen_first
    @blp.response(200, SharedStatusSchema)
    def get(self, case_id: str) -> dict[str, Any]:
        """Where the first report of the same death or birth stands, when this case joined
        one another person sent (404 when it did not: the case is its own)."""
        case = case_of(api_citizen(), case_id)
        shared = shared_status(case, current_language()) if case is not None else None
        if shared is None:
            abort(404, message="This case joins no case reported by another person.")
        return shared
