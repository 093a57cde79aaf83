"""The business API: whom the caller may act for, and per company its cases, its log and its
powers of attorney (given, confirmed and revoked by its signatories)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_babel import gettext as _
from webargs.flaskparser import abort

from agencies.registers.data import company
from contactpoint.api.access import citizen_first
from contactpoint.api.blueprint import Blueprint
from contactpoint.auth import api_citizen
from contactpoint.business import powers
from contactpoint.business.cases import company_cases
from contactpoint.business.log import entries
from contactpoint.business.schemas import (
    CompanyCaseSchema,
    LogEntrySchema,
    PowerRequest,
    PowerSchema,
    RepresentationSchema,
)
from contactpoint.business.standing import power_view, powers_of, representations_of, standing
from contactpoint.db.models import Person
from contactpoint.platform.i18n import current_language

SECURITY: list[dict[str, list[str]]] = [{"bearerAuth": []}]

me = Blueprint(
    "representations",
    __name__,
    url_prefix="/api/v1/me",
    description="The companies the caller may act for.",
)
blp = Blueprint(
    "organisations",
    __name__,
    url_prefix="/api/v1/organisations",
    description="A company's cases, log and powers of attorney, for those who may act for it.",
)


@me.route("/representations")
class Representations(MethodView):
    @me.doc(security=SECURITY)
    @me.response(200, RepresentationSchema(many=True))
    def get(self) -> list[dict[str, Any]]:
        """The organisations the caller may act for: as a signatory (alone or jointly, as the
        company register says) or with a power of attorney in force."""
        return [standing.as_dict() for standing in representations_of(api_citizen())]


def representative(organisation_number: str) -> tuple[Person, str]:
    """The caller and the company's number as registered; 404 for no such company, 403 with
    a plain refusal for a caller who may not act for it."""
    person = api_citizen()
    found = company(organisation_number)
    if found is None:
        abort(404, message="No company with that organisation number is registered.")
    number = found.organisation_number
    if standing(person, number, None) is None:
        refusal = _(
            "You may not act for this company. You do not sign for it, and you hold no power of "
            "attorney for it."
        )
        abort(403, message=refusal, errors={"organisation_number": ["no_right"]})
    return person, number


@blp.route("/<organisation_number>/cases")
class CompanyCases(MethodView):
    @blp.doc(security=SECURITY)
    @blp.response(200, CompanyCaseSchema(many=True))
    def get(self, organisation_number: str) -> list[dict[str, Any]]:
        """The company's cases, newest first, with their steps and who made each on what basis;
        for everyone who may act for the company."""
        _person, number = representative(organisation_number)
        return company_cases(number, current_language())


@blp.route("/<organisation_number>/log")
class CompanyLog(MethodView):
    @blp.doc(security=SECURITY)
    @blp.response(200, LogEntrySchema(many=True))
    def get(self, organisation_number: str) -> list[dict[str, Any]]:
        """What was done for the company, newest first: who, on what basis, what."""
        _person, number = representative(organisation_number)
        return entries(number, current_language())


def _refused(error: powers.Refused) -> None:
    abort(error.status, message=error.message, errors={error.field: [error.message]})


@blp.route("/<organisation_number>/powers-of-attorney")
class Powers(MethodView):
    @blp.doc(security=SECURITY)
    @blp.response(200, PowerSchema(many=True))
    def get(self, organisation_number: str) -> list[dict[str, Any]]:
        """The company's powers of attorney, newest first, in force or not."""
        _person, number = representative(organisation_number)
        return [power_view(row) for row in powers_of(number)]

    @blp.doc(security=SECURITY)
    @citizen_first
    @blp.arguments(PowerRequest)
    @blp.response(201, PowerSchema)
    def post(self, body: dict[str, Any], organisation_number: str) -> dict[str, Any]:
        """A signatory gives a person a power of attorney for named life events and a period.

        Where the company signs jointly, it holds once another signatory has confirmed it."""
        person, number = representative(organisation_number)
        try:
            row = powers.grant(
                person,
                number,
                body["holder"],
                body["life_events"],
                body["valid_from"],
                body["valid_until"],
            )
        except powers.Refused as error:
            _refused(error)
        return power_view(row)


def _change(change: Any, organisation_number: str, power_id: str) -> dict[str, Any]:
    person, number = representative(organisation_number)
    try:
        return power_view(change(person, number, power_id))
    except powers.Refused as error:
        _refused(error)
        raise


@blp.route("/<organisation_number>/powers-of-attorney/<power_id>/confirm")
class ConfirmPower(MethodView):
    @blp.doc(security=SECURITY)
    @blp.response(200, PowerSchema)
    def post(self, organisation_number: str, power_id: str) -> dict[str, Any]:
        """A second signatory confirms a power of attorney (a company signed jointly)."""
        return _change(powers.confirm, organisation_number, power_id)


@blp.route("/<organisation_number>/powers-of-attorney/<power_id>/revoke")
class RevokePower(MethodView):
    @blp.doc(security=SECURITY)
    @blp.response(200, PowerSchema)
    def post(self, organisation_number: str, power_id: str) -> dict[str, Any]:
        """A signatory revokes a power of attorney: what was done with it stays done."""
        return _change(powers.revoke, organisation_number, power_id)
