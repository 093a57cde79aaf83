"""Request and response schemas of the public API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from contactpoint.api.identifiers import AgencyId, LifeEventId
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


class JsonBoolean(fields.Boolean):
    """`true` or `false` in a JSON body, as the document says: not 1, "yes" or "on"."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


# What a request's answers may hold. A life event asks a few dozen questions; an answer is a
# text (the longest a question takes is 2,000 characters), a number, yes or no, a date, a list
# of choices or an address: beyond these, 422 names the answer, before anything is checked.
MOST_ANSWERS = 100
LONGEST_ID = 80
LONGEST_TEXT = 2000
MOST_CHOICES = 50
SCALARS = (str, int, float, bool, type(None))
ANSWER_KINDS = (
    "An answer is a text, a number, true or false, a list of choices (or of people) or an address."
)


def _bounded_value(value: Any) -> None:
    """One answer: a scalar, a list of scalars or of mappings of scalars (people chosen), or a
    mapping of scalars (an address)."""
    if isinstance(value, list):
        if len(value) > MOST_CHOICES:
            raise ValidationError(f"At most {MOST_CHOICES} choices.")
        parts: list[Any] = value
    elif isinstance(value, Mapping):
        if len(value) > MOST_CHOICES:
            raise ValidationError(f"At most {MOST_CHOICES} parts.")
        parts = list(value.values())
    else:
        parts = [value]
    for part in parts:
        if isinstance(value, list) and isinstance(part, Mapping):  # a person chosen, as kept
            _bounded_value(dict(part))
            continue
        if not isinstance(part, SCALARS):
            raise ValidationError(ANSWER_KINDS)
        if isinstance(part, str) and len(part) > LONGEST_TEXT:
            raise ValidationError(f"Longer than {LONGEST_TEXT} characters.")


def _too_many(answers: Mapping[str, Any]) -> None:
    if len(answers) > MOST_ANSWERS:
        raise ValidationError(f"At most {MOST_ANSWERS} answers.")


def answers_field(**kwargs: Any) -> fields.Dict:
    """A request's answers by question id, as many as a life event may ask."""
    return fields.Dict(
        keys=fields.String(validate=validate.Length(min=1, max=LONGEST_ID)),
        required=True,
        validate=_too_many,
        **kwargs,
    )


def question_ids(**kwargs: Any) -> fields.List:
    """A list of question ids, as many as there may be answers."""
    return fields.List(
        fields.String(validate=validate.Length(min=1, max=LONGEST_ID)),
        validate=validate.Length(max=MOST_ANSWERS),
        **kwargs,
    )


class Strict(Schema):
    """Unknown fields in a request are an error naming the field (marshmallow's default)."""


class WithAnswers(Strict):
    """A request with answers, each within the bounds above: 422 names each one that is not."""

    answers = answers_field()

    @validates_schema
    def answers_within_bounds(self, data: dict[str, Any], **_kwargs: Any) -> None:
        """Each answer a text, a number, yes or no, a list of choices or an address."""
        refused = {}
        for key, value in data.get("answers", {}).items():
            try:
                _bounded_value(value)
            except ValidationError as error:
                refused[key] = error.messages
        if refused:
            raise ValidationError(refused, field_name="answers")


class EvaluateRequest(WithAnswers):
    pass


class CaseRequest(WithAnswers):
    life_event = LifeEventId(required=True, validate=validate.Length(min=1, max=LONGEST_ID))
    consent = JsonBoolean(
        required=True,
        validate=validate.Equal(True, error="The citizen must consent before anything is sent."),
        metadata={"description": "The citizen consents to each agency receiving its fields."},
    )
    corrections = question_ids(
        load_default=list,
        metadata={
            "description": "Prefilled questions the citizen says the register has wrong: their "
            "own value (in answers) goes to the register's agency as a correction request."
        },
    )
    preview_digest = fields.String(
        load_default=None,
        validate=validate.Length(max=128),
        metadata={"description": "The preview's digest: refused with 409 if it has changed."},
    )


class TokenRequest(Strict):
    personal_number = fields.String(
        required=True, validate=validate.Length(max=20), metadata={"example": "19850312-2387"}
    )


class AgencyTokenRequest(Strict):
    agency = AgencyId(required=True, metadata={"example": "skatteverket"})


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
