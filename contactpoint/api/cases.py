"""A citizen's own cases: create one with structured answers, list them, read one."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint, abort

from ..auth import api_citizen
from ..cases import (
    AnswerErrors,
    PreviewChanged,
    case_of,
    cases_of,
    life_event_or_none,
    submit_case,
)
from ..i18n import current_language
from ..presenters import case_view
from ..sharing import citizen_case_view
from .prefill import check_corrections
from .schemas import CaseRequest, CaseSchema, CaseSummarySchema

blp = Blueprint(
    "cases",
    __name__,
    url_prefix="/api/v1/cases",
    description="The logged-in citizen's cases (bearer token).",
)
SECURITY = [{"bearerAuth": []}]


@blp.route("")
class Cases(MethodView):
    @blp.doc(security=SECURITY)
    @blp.response(200, CaseSummarySchema(many=True))
    def get(self) -> list[dict[str, Any]]:
        """The caller's cases, newest first."""
        person = api_citizen()
        language = current_language()
        return [case_view(case, language, timeline=False) for case in cases_of(person)]

    @blp.doc(security=SECURITY)
    @blp.arguments(CaseRequest)
    @blp.response(201, CaseSchema)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Submit a case once the citizen has consented; the workflow starts at once."""
        person = api_citizen()
        event = life_event_or_none(body["life_event"])
        if event is None:
            abort(
                422,
                errors={"json": {"life_event": [f"Unknown life event {body['life_event']!r}."]}},
            )
        if not body["consent"]:
            abort(
                422,
                errors={"json": {"consent": ["The citizen must consent before anything is sent."]}},
            )
        corrections = check_corrections(event, body)
        try:
            case = submit_case(
                person,
                event,
                body["answers"],
                corrections=corrections,
                preview_digest=body["preview_digest"],
            )
        except AnswerErrors as error:
            abort(422, errors={"json": {"answers": error.errors}})
        except PreviewChanged:
            abort(409, message="What would be sent has changed since the preview: look again.")
        return citizen_case_view(case, current_language())


@blp.route("/<case_id>")
class CaseDetail(MethodView):
    @blp.doc(security=SECURITY)
    @blp.response(200, CaseSchema)
    def get(self, case_id: str) -> dict[str, Any]:
        """One of the caller's cases with its steps and timeline; another person's is 404."""
        person = api_citizen()
        case = case_of(person, case_id)
        if case is None:
            abort(404, message="There is no such case.")
        return citizen_case_view(case, current_language())
