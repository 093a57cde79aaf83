"""Schemas of the once-only answers: what the registers know, and the preview before consent."""

from __future__ import annotations

from marshmallow import Schema, fields

from contactpoint.api.schemas import Moment

SOURCE = "kind: register, self_reported or citizen; register; fact; reason."


class KnownFact(Schema):
    question = fields.String()
    value = fields.Raw(allow_none=True)
    source = fields.Dict(metadata={"description": SOURCE})
    source_text = fields.String()


class UnavailableRegister(Schema):
    question = fields.String()
    register = fields.String()


class RegisterRead(Schema):
    register = fields.String()
    name = fields.String()
    agency = fields.String()
    facts = fields.List(fields.String())
    at = Moment()


class EarlierAnswer(Schema):
    question = fields.String()
    value = fields.Raw(allow_none=True)
    case_id = fields.String()
    case_reference = fields.String()
    life_event = fields.String()


class ListedPerson(Schema):
    key = fields.String(metadata={"description": "Send it (or the personal number) as the answer."})
    first_name = fields.String(metadata={"description": "Empty for a child not yet named."})
    born = fields.Integer(metadata={"description": "The year of birth."})
    relation = fields.String(metadata={"description": "spouse or child"})
    text = fields.String(
        metadata={"description": "As a page shows them, in the caller's language."}
    )


class PeopleToChoose(Schema):
    question = fields.String()
    people = fields.List(fields.Nested(ListedPerson))


class PrefillSchema(Schema):
    life_event = fields.String()
    facts = fields.List(fields.Nested(KnownFact))
    unavailable = fields.List(
        fields.Nested(UnavailableRegister),
        metadata={"description": "Registers that did not answer: their questions are asked."},
    )
    registers_read = fields.List(fields.Nested(RegisterRead))
    offers = fields.List(
        fields.Nested(EarlierAnswer),
        metadata={"description": "Answers from the caller's earlier cases, used if chosen."},
    )
    people = fields.List(
        fields.Nested(PeopleToChoose),
        metadata={
            "description": "For each question answered by choosing people, those the population"
            " register lists for the caller (never by personal identity number)."
        },
    )


class SentField(Schema):
    name = fields.String()
    label = fields.String()
    value = fields.Raw(allow_none=True)
    display = fields.Raw(
        allow_none=True, metadata={"description": "The value as a person reads it."}
    )
    source_text = fields.String()


class PreviewStep(Schema):
    id = fields.String()
    title = fields.String()
    reason = fields.String()
    sent = fields.Boolean(metadata={"description": "False for a step that sends nothing."})
    fields_ = fields.List(fields.Nested(SentField), data_key="fields", attribute="fields")


class PreviewAgency(Schema):
    agency = fields.String()
    agency_name = fields.String()
    steps = fields.List(fields.Nested(PreviewStep))


class ConsentedStep(Schema):
    agency = fields.String()
    fields_ = fields.List(fields.String(), data_key="fields", attribute="fields")


class PreviewSchema(Schema):
    life_event = fields.String()
    complete = fields.Boolean()
    unanswered = fields.List(fields.String())
    agencies = fields.List(fields.Nested(PreviewAgency))
    consent = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(ConsentedStep),
        metadata={"description": "Per step: the agency and the field names consented to."},
    )
    digest = fields.String(metadata={"description": "Send it as the case's `preview_digest`."})
