"""A citizen's own cases: create one with structured answers, list them, read one."""

from __future__ import annotations

from typing import Any, cast

from flask import Response, current_app, request
from flask.views import MethodView
from webargs.flaskparser import abort

from contactpoint.api.access import citizen_first
from contactpoint.api.blueprint import Blueprint
from contactpoint.api.prefill import check_corrections
from contactpoint.api.request_schemas import CaseRequest
from contactpoint.api.schemas import CaseSchema, CaseSummarySchema
from contactpoint.auth import api_citizen, token_person_id
from contactpoint.citizen.cases import (
    AnswerErrors,
    PreviewChanged,
    life_event_or_none,
    submit_case,
)
from contactpoint.citizen.presenters import case_view
from contactpoint.citizen.sharing import citizen_case_view
from contactpoint.db.case_records import case_record, case_records_of
from contactpoint.db.status_reads import rendered_statuses
from contactpoint.platform.i18n import current_language
from contactpoint.platform.rate_limits import current as rate_limits

blp = Blueprint(
    "cases",
    __name__,
    url_prefix="/api/v1/cases",
    description="The logged-in citizen's cases (bearer token).",
)
SECURITY: list[dict[str, list[str]]] = [{"bearerAuth": []}]
CASE = CaseSchema()
# OpenAPI links: where a case's id and its steps' ids lead a client next.
THE_CASE = {"case_id": "$response.body#/id"}
FIRST_STEP = {"agency": "$response.body#/steps/0/agency", "step_id": "$response.body#/steps/0/id"}
NEW_CASE_LINKS = {
    "ReadCase": {"operationId": "getCase", "parameters": THE_CASE},
    "GiveFeedback": {"operationId": "giveFeedback", "parameters": THE_CASE},
    "AgencyReadsStep": {"operationId": "getAgencyStep", "parameters": FIRST_STEP},
    "AgencyDecidesStep": {"operationId": "decideAgencyStep", "parameters": FIRST_STEP},
}
LISTED_CASE_LINKS = {
    "ReadCase": {"operationId": "getCase", "parameters": {"case_id": "$response.body#/0/id"}}
}


def _rendered(case_id: str, language: str) -> dict[str, Any]:
    """A stored case as its citizen reads it."""
    record = case_record(case_id)
    assert record is not None, "cases are never deleted"
    return citizen_case_view(record, language)


@blp.route("")
class Cases(MethodView):
    @blp.doc(
        security=SECURITY, operationId="listCases", responses={200: {"links": LISTED_CASE_LINKS}}
    )
    @blp.response(200, CaseSummarySchema(many=True))
    def get(self) -> list[dict[str, Any]]:
        """The caller's cases, newest first."""
        person = api_citizen()
        language = current_language()
        records = case_records_of(person.id)
        return [case_view(case, language, timeline=False) for case in records]

    @blp.doc(
        security=SECURITY, operationId="createCase", responses={201: {"links": NEW_CASE_LINKS}}
    )
    @citizen_first
    @blp.arguments(CaseRequest)
    @blp.response(201, CaseSchema)
    @blp.alt_response(409, description="What would be sent changed since the preview.")
    @blp.alt_response(
        429, description="The person has sent as many cases as one may in a while (Retry-After)."
    )
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Submit a case once the citizen has consented; the workflow starts at once.

        A person may send a limited number of cases in a while (20 an hour unless the operator
        says otherwise); past it the answer is 429 with `Retry-After`, and nothing is sent.
        """
        person = api_citizen()
        event = life_event_or_none(body["life_event"])
        if event is None:
            abort(
                422,
                errors={"json": {"life_event": [f"Unknown life event {body['life_event']!r}."]}},
            )
        corrections = check_corrections(event, body)
        rate_limits().take("submissions", person.id)
        try:
            record = submit_case(
                person,
                event,
                body["answers"],
                corrections=corrections,
                preview_digest=body["preview_digest"],
            )
        except AnswerErrors as error:
            if error.message:  # someone the registers do not list for the caller
                abort(422, errors={"json": {"answers": error.errors}}, message=error.message)
            abort(422, errors={"json": {"answers": error.errors}})
        except PreviewChanged:
            abort(409, message="What would be sent has changed since the preview: look again.")
        return citizen_case_view(record, current_language())


@blp.route("/<case_id>")
class CaseDetail(MethodView):
    @blp.doc(security=SECURITY, operationId="getCase")
    @blp.response(200, CaseSchema)
    @blp.alt_response(304, description="Not modified since the ETag sent as `If-None-Match`.")
    def get(self, case_id: str) -> Response:
        """One of the caller's cases with its steps and timeline; another person's is 404.

        The response carries an ETag: send it back as `If-None-Match` to get `304 Not
        Modified` while the case has not changed.
        """
        person_id, language = token_person_id(), current_language()

        def render() -> bytes:
            # Flask types json.response() as werkzeug's sansio Response; it is the app's Response
            response = current_app.json.response(CASE.dump(_rendered(case_id, language)))
            return cast(Response, response).get_data()

        status = (
            rendered_statuses().read(case_id, person_id, language, render) if person_id else None
        )
        if status is None:
            api_citizen()  # 401 unless the token names a known citizen
            abort(404, message="There is no such case.")
        etag = f"{status.version}-{language}"
        unchanged = request.if_none_match.contains(etag)
        response = current_app.response_class(
            b"" if unchanged else status.body,
            status=304 if unchanged else 200,
            mimetype="application/json",
            headers={"ETag": f'"{etag}"', "Cache-Control": "private, no-cache"},
        )
        return response
