"""Development token endpoints: access tokens issued by the simulated provider (its issuer, its
keys), for a person of the test population or an agency's system. Not mounted in production."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView
from webargs.flaskparser import abort

from contactpoint.api.blueprint import Blueprint
from contactpoint.api.request_schemas import AgencyTokenRequest, TokenRequest
from contactpoint.api.schemas import TokenResponse
from contactpoint.auth.claims import personal_number
from contactpoint.auth.identity import person_id_by_number
from contactpoint.devidp import issue
from workflows import AGENCIES

blp = Blueprint(
    "dev",
    __name__,
    url_prefix="/api/v1/dev",
    description="Simulated eID and agency tokens (development only; refused in production).",
)
CITIZEN_CLIENT = "kontaktpunkt-dev-token"


def _simulated_only() -> None:
    if not current_app.config["SIMULATED_EID"]:
        abort(404, message="The simulated eID is not available here.")


@blp.route("/eid/token")
class EidToken(MethodView):
    @blp.arguments(TokenRequest)
    @blp.response(200, TokenResponse)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Sign in as a person of the test population; returns the simulated provider's JWT
        access token for this API."""
        _simulated_only()
        number = personal_number(body["personal_number"])
        if number is None or person_id_by_number(number) is None:
            abort(422, errors={"json": {"personal_number": ["Not in the test population."]}})
        assert number is not None
        return issue.token_response(CITIZEN_CLIENT, issue.citizen_claims(number), "openid")


@blp.route("/agency/token")
class AgencyToken(MethodView):
    @blp.arguments(AgencyTokenRequest)
    @blp.response(200, TokenResponse)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """An agency system's access token, as the simulated provider issues it under client
        credentials (development only)."""
        _simulated_only()
        agency = body["agency"]
        if agency not in AGENCIES:
            abort(422, errors={"json": {"agency": [f"Unknown agency; one of {sorted(AGENCIES)}."]}})
        return issue.token_response(agency, issue.agency_claims(agency), "agency")
