"""Requests and answers of the case actions in the API: corrections, withdrawal, complements."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from contactpoint.api.request_schemas import JsonBoolean, WithAnswers
from contactpoint.api.schemas import CaseSchema

ANSWER_MAX = 2000


class CorrectionPreviewRequest(WithAnswers):
    pass


class CorrectionRequest(WithAnswers):
    consent = JsonBoolean(
        required=True,
        validate=validate.Equal(True, error="The citizen must consent before anything is sent."),
        metadata={"description": "The citizen consents to each agency receiving its corrections."},
    )
    preview_digest = fields.String(
        load_default=None,
        validate=validate.Length(max=128),
        metadata={"description": "The correction preview's digest: 409 if it has changed."},
    )


class CorrectionItem(Schema):
    key = fields.String(metadata={"description": "The correction's own step key."})
    corrects = fields.String(metadata={"description": "The key of the step it corrects."})
    title = fields.String()
    agency = fields.String()
    fields_ = fields.List(fields.String(), data_key="fields", attribute="fields")
    request = fields.Boolean(
        metadata={"description": "An officer had decided the step: the agency decides again."}
    )


class StepChange(Schema):
    key = fields.String()
    title = fields.String()
    agency = fields.String()
    fields_ = fields.List(fields.String(), data_key="fields", attribute="fields")
    told = fields.Boolean(metadata={"description": "Its agency is told it no longer applies."})


class AgencyPart(Schema):
    agency = fields.String()
    agency_name = fields.String()
    corrections = fields.List(fields.Nested(CorrectionItem))
    added = fields.List(fields.Nested(StepChange))
    removed = fields.List(fields.Nested(StepChange))


class CorrectionPreviewSchema(Schema):
    changed = fields.List(fields.String(), metadata={"description": "The answers changed."})
    corrections = fields.List(fields.Nested(CorrectionItem))
    added = fields.List(fields.Nested(StepChange), metadata={"description": "Steps now applying."})
    removed = fields.List(
        fields.Nested(StepChange), metadata={"description": "Steps no longer applying."}
    )
    agencies = fields.List(fields.Nested(AgencyPart), metadata={"description": "Per agency."})
    digest = fields.String(metadata={"description": "Send it back as `preview_digest`."})


class CorrectedCaseSchema(CaseSchema):
    correction = fields.Nested(CorrectionPreviewSchema)


class ComplementAnswerRequest(Schema):
    answer = fields.String(required=True, validate=validate.Length(min=1, max=ANSWER_MAX))
