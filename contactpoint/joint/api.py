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
    joins = fields.Boolean(
        metadata={"description": "Whether this case joined one another person reported first."}
    )
    reported_by = fields.String(
        allow_none=True,
        metadata={"description": "Who reported first, by relation only: the other guardian."},
    )
    status = fields.String(allow_none=True)
    steps = fields.List(fields.Nested(SharedStep), metadata={"description": "Status, no data."})


@blp.route("/<case_id>/shared-status")
class SharedStatus(MethodView):
    @blp.doc(security=[{"bearerAuth": []}], operationId="getSharedStatus")
    @citizen_first
    @blp.response(200, SharedStatusSchema)
    @blp.alt_response(404, description="No such case of the caller's.")
    def get(self, case_id: str) -> dict[str, Any]:
        """Where the first report of the same death or birth stands, when this case joined
        one another person sent; `joins` false (and nothing else) for a case of its own."""
        case = case_of(api_citizen(), case_id)
        if case is None:
            abort(404, message="There is no such case.")
        shared = shared_status(case, current_language())
        if shared is None:
            return {"joins": False, "reported_by": None, "status": None, "steps": []}
        return {"joins": True, **shared}
