"""Response schemas of the public API (its requests' are in `request_schemas`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from marshmallow import EXCLUDE, Schema, fields, validate

from contactpoint.api.request_schemas import (
    Strict,
)
from contactpoint.db.models import utc
from contactpoint.rights import AppealSchema, LegalBasisSchema

# A step's reason, as its citizen and its agency read it.
STATUS_REASON = (
    "Why the step ended as it did, in the reader's language: the words of its agency or"
    " officer, or Kontaktpunkt's own (see `reason_code`)."
)
REASON_CODE = (
    "Kontaktpunkt's own reason as a code: `dependency_failed` (a step this one needs could not"
    " be completed) or `withdrawn` (the citizen withdrew the case); null where the reason is"
    " the agency's."
)


class Moment(fields.DateTime):
    """A time in an answer, ISO 8601 with its offset (SQLite gives back UTC times naive)."""

    def _serialize(self, value: dt.datetime | None, attr: Any, obj: Any, **kwargs: Any) -> Any:
        return super()._serialize(utc(value), attr, obj, **kwargs)


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
    status_reason = fields.String(allow_none=True, metadata={"description": STATUS_REASON})
    reason_code = fields.String(allow_none=True, metadata={"description": REASON_CODE})
    outcome = fields.String(
        allow_none=True, metadata={"description": "A case officer's decision: approved, rejected."}
    )
    agency_reference = fields.String(allow_none=True)
    depends_on = fields.List(fields.String())
    fields_ = fields.List(fields.String(), data_key="fields")
    updated_at = Moment()
    next_attempt_at = Moment(
        allow_none=True,
        metadata={
            "description": "A running step whose agency did not answer: when it is tried again."
        },
    )
    on_behalf_of = fields.String(
        allow_none=True,
        metadata={"description": "The personal identity number of the person acted for."},
    )
    next_step = fields.String(
        allow_none=True, metadata={"description": "What happens or must be done next."}
    )
    deadline = fields.String(
        allow_none=True, metadata={"description": "The next step's deadline, YYYY-MM-DD."}
    )
    legal_basis = fields.Nested(LegalBasisSchema, allow_none=True)
    appeal = fields.Nested(
        AppealSchema,
        allow_none=True,
        metadata={"description": "How to appeal, on a decision against the person."},
    )
    told_by = fields.String(
        allow_none=True,
        metadata={"description": "Told automatically by a base register: nothing is sent."},
    )


class TimelineEntry(Schema):
    at = Moment()
    kind = fields.String()
    step_id = fields.String(allow_none=True)
    detail = fields.Dict()


class ActingFor(Schema):
    personal_number = fields.String()
    name = fields.String(allow_none=True)


class CaseSummarySchema(Schema):
    id = fields.String()
    reference = fields.String()
    life_event = fields.String()
    title = fields.String()
    status = fields.String()
    ball = fields.String()
    created_at = Moment()
    closed_at = Moment(allow_none=True)
    retained_until = Moment(
        allow_none=True,
        metadata={
            "description": "When Kontaktpunkt removes the closed case (the agencies keep their "
            "own records of it); null while the case is open."
        },
    )
    on_behalf_of = fields.Nested(ActingFor, allow_none=True)
    steps = fields.List(fields.Nested(StepSchema))


class AnswerSchema(Schema):
    question = fields.String()
    text = fields.String()
    value = fields.Raw(allow_none=True)
    source = fields.Dict(
        metadata={"description": "kind: register, self_reported or citizen; register; reason."}
    )
    source_text = fields.String()


class CaseSchema(CaseSummarySchema):
    timeline = fields.List(fields.Nested(TimelineEntry))
    answers = fields.List(
        fields.Nested(AnswerSchema), metadata={"description": "Each answer and its source."}
    )
    consented_preview = fields.Dict(
        metadata={"description": "Per step: the agency and field names consented to."}
    )


class LanguageArgs(Schema):
    class Meta:
        unknown = EXCLUDE

    lang = fields.String(load_default="en", validate=validate.OneOf(["sv", "en"]))


class CallbackRequest(Strict):
    id = fields.String(
        required=True,
        validate=validate.Length(min=1, max=100),
        metadata={"description": "Unique per callback; a replay with the same id changes nothing."},
    )
    step_id = fields.String(required=True, validate=validate.Length(min=1, max=32))
    decision = fields.String(
        required=True, validate=validate.OneOf(["approve", "reject", "complement"])
    )
    reference = fields.String(validate=validate.Length(max=40))
    reason = fields.String(validate=validate.Length(max=2000))
    question = fields.String(validate=validate.Length(max=2000))


class CallbackResponse(Schema):
    status = fields.String(metadata={"description": "`applied` or `duplicate`."})
    step_id = fields.String()


# What an entry of the sharing log records.
SHARE_KINDS = ("transfer", "register_read", "view")
READER_ROLES = ("officer", "system")


class DataShareSchema(Schema):
    """One entry of the citizen's sharing log."""

    id = fields.Integer()
    at = Moment(metadata={"description": "When; for a `view` counting several reads, the latest."})
    kind = fields.String(
        validate=validate.OneOf(SHARE_KINDS),
        metadata={
            "description": "`transfer`: the agency received these fields for a step, with the"
            " citizen's consent. `register_read`: Kontaktpunkt read them at the agency's"
            " register, so as not to ask again. `view`: the agency read what it received for"
            " the step: one of its case officers opened the step, or its system read it"
            " through the API (`role`)."
        },
    )
    agency = fields.String(
        metadata={"description": "The agency that received, keeps (a register) or read them."}
    )
    agency_name = fields.String()
    register = fields.String(allow_none=True)
    register_name = fields.String(allow_none=True)
    fields_ = fields.List(
        fields.String(),
        data_key="fields",
        attribute="fields",
        metadata={"description": "Names, never values."},
    )
    field_labels = fields.List(fields.String())
    case_id = fields.String(allow_none=True)
    case_reference = fields.String(allow_none=True)
    life_event = fields.String(allow_none=True)
    step_id = fields.String(allow_none=True)
    step_key = fields.String(allow_none=True)
    step_title = fields.String(allow_none=True)
    basis = fields.String(
        metadata={
            "description": "`consent` or `law` (a transfer: the step's declared legal basis),"
            " `collection` (a register read) or `case_handling` (a view)."
        }
    )
    basis_text = fields.String(metadata={"description": "`basis` in the reader's language."})
    statute = fields.String(
        allow_none=True, metadata={"description": "The law a `law` transfer rests on, named."}
    )
    reference = fields.String(allow_none=True)
    role = fields.String(
        allow_none=True,
        validate=validate.OneOf(READER_ROLES),
        metadata={
            "description": "A `view`'s reader at the agency: `officer` (a case officer) or"
            " `system` (the agency's system); never who. Null for the other kinds."
        },
    )
    times = fields.Integer(
        metadata={
            "description": "How many reads a `view` counts: the same step read by the agency"
            " in the same role within a few minutes (CONTACTPOINT_VIEW_WINDOW_MINUTES) is one"
            " entry. 1 for the other kinds."
        }
    )
