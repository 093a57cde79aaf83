"""The simulated eID and agency logins, for development and tests only."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from webargs.flaskparser import abort

from contactpoint.api.schemas import AgencyTokenRequest, TokenRequest, TokenResponse
from contactpoint.auth import issue_token
from contactpoint.db.models import Person
from contactpoint.extensions import db
from workflows import AGENCIES

blp = Blueprint(
    "dev",
    __name__,
    url_prefix="/api/v1/dev",
    description="Simulated eID and agency tokens (development only; refused in production).",
)


def _simulated_only() -> None:
    if not current_app.config["SIMULATED_EID"]:
        abort(404, message="The simulated eID is not available here.")


def _token(kind: str, subject: str) -> dict[str, Any]:
    return {
        "access_token": issue_token(kind, subject),
        "token_type": "Bearer",
        "expires_in": current_app.config["TOKEN_MAX_AGE_S"],
    }


@blp.route("/eid/token")
class EidToken(MethodView):
    @blp.arguments(TokenRequest)
    @blp.response(200, TokenResponse)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Log in as a person of the test population; returns a citizen bearer token."""
        _simulated_only()
        person = db.session.scalar(
            sa.select(Person).where(Person.personal_number == body["personal_number"].strip())
        )
        if person is None:
            abort(422, errors={"json": {"personal_number": ["Not in the test population."]}})
        return _token("citizen", person.id)


@blp.route("/agency/token")
class AgencyToken(MethodView):
    @blp.arguments(AgencyTokenRequest)
    @blp.response(200, TokenResponse)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """A token for an agency's system (development only)."""
        _simulated_only()
        if body["agency"] not in AGENCIES:
            abort(422, errors={"json": {"agency": [f"Unknown agency; one of {sorted(AGENCIES)}."]}})
        return _token("agency", body["agency"])
