"""The public API's requests: answers within bounds, a case to send, tokens to ask for."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from contactpoint.api.identifiers import AgencyId, LifeEventId


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
