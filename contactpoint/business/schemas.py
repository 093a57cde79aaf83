"""The business API's schemas: representations, a company's cases, its log, its powers."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from contactpoint.api.schemas import CaseSummarySchema, Moment
from workflows.answer_fields import OrganisationNumber, PersonalNumber


class RepresentationSchema(Schema):
    organisation_number = fields.String(metadata={"example": "556612-3450"})
    name = fields.String()
    basis = fields.String(
        metadata={"description": "`signatory`, `joint_signatory` or `power_of_attorney`."}
    )
    life_events = fields.List(
        fields.String(),
        allow_none=True,
        metadata={"description": "The life events a power of attorney covers; null: all."},
    )
    valid_until = fields.String(allow_none=True, metadata={"description": "YYYY-MM-DD."})
    needs_confirmation = fields.Boolean(
        metadata={"description": "A second signatory must confirm before anything is sent."}
    )


class MadeBy(Schema):
    name = fields.String()
    basis = fields.String(allow_none=True)
    basis_text = fields.String()


class CompanyCaseSchema(CaseSummarySchema):
    made_by = fields.Nested(MadeBy)


class LogEntrySchema(Schema):
    at = Moment()
    kind = fields.String(
        metadata={
            "description": "`case_submitted`, `power_granted`, `power_confirmed`, "
            "`power_revoked`, ..."
        }
    )
    by = fields.String(metadata={"description": "The name of who did it."})
    basis = fields.String()
    basis_text = fields.String()
    case_id = fields.String(allow_none=True)
    detail = fields.Dict()


class PowerRequest(Schema):
    holder = PersonalNumber(required=True, metadata={"example": "19950530-3462"})
    life_events = fields.List(
        fields.String(), required=True, validate=validate.Length(min=1, max=20)
    )
    valid_from = fields.Date(load_default=None)
    valid_until = fields.Date(required=True)


class PowerSchema(Schema):
    id = fields.String()
    organisation_number = fields.String()
    holder_name = fields.String(allow_none=True)
    granted_by_name = fields.String(allow_none=True)
    life_events = fields.List(fields.String())
    valid_from = fields.Date()
    valid_until = fields.Date()
    state = fields.String(
        metadata={
            "description": "`in_force`, `awaiting_confirmation`, `revoked`, `lapsed`, `not_yet`."
        }
    )
    revoked_at = Moment(allow_none=True)


__all__ = ["OrganisationNumber"]
