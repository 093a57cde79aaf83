"""Request and response schemas of the public API."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate


class Strict(Schema):
    """Unknown fields in a request are an error naming the field (marshmallow's default)."""


class EvaluateRequest(Strict):
    answers = fields.Dict(keys=fields.String(), required=True)


class CaseRequest(Strict):
    life_event = fields.String(required=True, validate=validate.Length(min=1, max=80))
    answers = fields.Dict(keys=fields.String(), required=True)
    consent = fields.Boolean(
        required=True,
        metadata={"description": "The citizen consents to each agency receiving its fields."},
    )


class TokenRequest(Strict):
    personal_number = fields.String(required=True, metadata={"example": "19850312-2387"})


class AgencyTokenRequest(Strict):
    agency = fields.String(required=True, metadata={"example": "skatteverket"})


class TokenResponse(Schema):
    access_token = fields.String()
    token_type = fields.String()
    expires_in = fields.Integer()


class StepSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    id = fields.String()
    key = fields.String()
    title = fields.String()
    agency = fields.String()
    agency_name = fields.String()
    status = fields.String()
    ball = fields.String()
    reason = fields.String(metadata={"description": "Why this step applies, in plain language."})
    status_reason = fields.String(allow_none=True)
    agency_reference = fields.String(allow_none=True)
    depends_on = fields.List(fields.String())
    fields_ = fields.List(fields.String(), data_key="fields")
    updated_at = fields.DateTime()


class TimelineEntry(Schema):
    at = fields.DateTime()
    kind = fields.String()
    step_id = fields.String(allow_none=True)
    detail = fields.Dict()


class CaseSummarySchema(Schema):
    id = fields.String()
    reference = fields.String()
    life_event = fields.String()
    title = fields.String()
    status = fields.String()
    ball = fields.String()
    created_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)
    steps = fields.List(fields.Nested(StepSchema))


class CaseSchema(CaseSummarySchema):
    timeline = fields.List(fields.Nested(TimelineEntry))


class LanguageArgs(Schema):
    class Meta:
        unknown = EXCLUDE

    lang = fields.String(load_default="en", validate=validate.OneOf(["sv", "en"]))
