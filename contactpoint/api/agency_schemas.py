"""Schemas of the agency systems' API: their steps, a step's detail, decisions, tokens."""

from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from contactpoint.api.identifiers import AgencyId
from contactpoint.api.request_schemas import JsonBoolean
from contactpoint.api.schemas import REASON_CODE, STATUS_REASON, Moment
from contactpoint.db.inbox import QUEUES, SORTS


class AgencyStepListArgs(Schema):
    class Meta:
        unknown = EXCLUDE

    queue = fields.String(
        load_default="waiting",
        validate=validate.OneOf(QUEUES),
        metadata={
            "description": "`unreachable`: steps Kontaktpunkt could not deliver to this agency's"
            " system yet; each is tried again by itself at its `retry_at`."
        },
    )
    life_event = fields.String(load_default="", validate=validate.Length(max=80))
    older_than_days = fields.Integer(load_default=None, validate=validate.Range(min=1, max=3650))
    reference = fields.String(load_default="", validate=validate.Length(max=16))
    sort = fields.String(load_default="due", validate=validate.OneOf(SORTS))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=25, validate=validate.Range(min=1, max=100))


def _retry_at() -> fields.DateTime:
    return Moment(
        allow_none=True,
        metadata={
            "description": "When a step not delivered yet (queue `unreachable`: this agency's"
            " system could not be reached) is tried again."
        },
    )


class AgencyStepItem(Schema):
    id = fields.String()
    case_id = fields.String()
    case_reference = fields.String(attribute="reference")
    life_event = fields.String()
    key = fields.String()
    status = fields.String()
    ball = fields.String()
    outcome = fields.String(allow_none=True)
    received_at = Moment(attribute="started_at", allow_none=True)
    due_at = Moment(allow_none=True)
    finished_at = Moment(allow_none=True)
    updated_at = Moment()
    assigned_to = fields.String(allow_none=True)
    retry_at = _retry_at()


class AgencyStepList(Schema):
    items = fields.List(fields.Nested(AgencyStepItem))
    total = fields.Integer()
    page = fields.Integer()
    pages = fields.Integer()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    at_least = fields.List(
        fields.String(),
        metadata={
            "description": "Which of `total` and `counts` stopped counting at 10,000 (the"
            " `all` queue, the agency's whole history): there are more. Pages reach as far;"
            " filters find the others."
        },
    )


class AgencySharedStep(Schema):
    agency = fields.String()
    title = fields.String()
    status = fields.String()
    ball = fields.String()
    started_at = Moment(allow_none=True)
    finished_at = Moment(allow_none=True)
    updated_at = Moment()


class AgencyTimelineEntry(Schema):
    at = Moment()
    kind = fields.String()
    agency = fields.String(allow_none=True)
    detail = fields.Dict()


class ActingForCompany(Schema):
    organisation_number = fields.String()
    name = fields.String(allow_none=True)
    acted_by = fields.String(metadata={"description": "The personal identity number of who acted."})
    acted_by_name = fields.String()
    basis = fields.String(
        metadata={"description": "`signatory`, `joint_signatory` or `power_of_attorney`."}
    )
    basis_text = fields.String()


class AgencyStep(Schema):
    id = fields.String()
    key = fields.String()
    title = fields.String()
    agency = fields.String()
    case_id = fields.String()
    case_reference = fields.String()
    life_event = fields.String()
    manual = fields.Boolean()
    status = fields.String()
    ball = fields.String()
    outcome = fields.String(allow_none=True)
    received_at = Moment(allow_none=True)
    due_at = Moment(allow_none=True)
    overdue = fields.Boolean()
    finished_at = Moment(allow_none=True)
    retry_at = _retry_at()
    next_attempt_at = fields.DateTime(
        allow_none=True,
        metadata={
            "description": "When a running step that this agency's system did not answer is"
            " tried again: seconds away, or at its `retry_at`."
        },
    )
    assigned_to = fields.String(allow_none=True)
    agency_reference = fields.String(allow_none=True)
    status_reason = fields.String(allow_none=True, metadata={"description": STATUS_REASON})
    reason_code = fields.String(allow_none=True, metadata={"description": REASON_CODE})
    complement_question = fields.String(allow_none=True)
    complement_answer = fields.String(allow_none=True)
    company = fields.Nested(
        ActingForCompany,
        allow_none=True,
        metadata={"description": "A company's case: the company, who acted and on what basis."},
    )
    fields_ = fields.Dict(
        data_key="fields",
        metadata={"description": "What this agency received: the step's fields and no others."},
    )
    case_steps = fields.List(
        fields.Nested(AgencySharedStep),
        metadata={"description": "Every agency's step of the case: status only, no data."},
    )
    timeline = fields.List(fields.Nested(AgencyTimelineEntry))


class AgencyDecisionRequest(Schema):
    decision = fields.String(
        required=True, validate=validate.OneOf(["approve", "reject", "complement"])
    )
    reference = fields.String(validate=validate.Length(min=1, max=40))
    reason = fields.String(
        validate=validate.Length(min=1, max=2000),
        metadata={"description": "Why it is rejected; shown to the citizen. Required to reject."},
    )
    question = fields.String(
        validate=validate.Length(min=1, max=2000),
        metadata={"description": "What the citizen must answer. Required to ask for more."},
    )

    @validates_schema
    def needs_its_words(self, data: dict[str, Any], **_kwargs: Any) -> None:
        """A rejection needs a reason, a complement request a question."""
        needed = {"reject": "reason", "complement": "question"}.get(data.get("decision", ""))
        if needed and not (data.get(needed) or "").strip():
            raise ValidationError({needed: [f"Required to {data['decision']}."]})


class AgencyRetryFailedRequest(Schema):
    since = fields.AwareDateTime(
        load_default=None,
        metadata={"description": "Only steps that failed at or after this time."},
    )
    dry_run = JsonBoolean(load_default=False, metadata={"description": "Only count them."})
    limit = fields.Integer(
        strict=True,
        load_default=200,
        validate=validate.Range(min=1, max=1000),
        metadata={
            "description": "At most this many failed steps, the longest failed first: call"
            " again while `remaining` is above 0."
        },
    )


class AgencyRetryFailedResult(Schema):
    steps = fields.Integer(metadata={"description": "How many failed steps went (would go) again."})
    remaining = fields.Integer(
        metadata={"description": "How many failed steps (since `since`) are left for a next call."}
    )
    scheduled = fields.Integer(
        metadata={
            "description": "How many steps waiting for a scheduled retry went (would go) now. "
            "`since` does not apply to them."
        }
    )
    dry_run = fields.Boolean()


class AgencyClientCredentials(Schema):
    grant_type = fields.String(required=True, validate=validate.Equal("client_credentials"))
    client_id = AgencyId(required=True, metadata={"example": "forsakringskassan"})
    client_secret = fields.String(required=True, validate=validate.Length(max=200))
