"""Schemas of the open catalogues' answers: life events, their questions, steps and rules; the
base registers; the agencies."""

from __future__ import annotations

from marshmallow import Schema, fields

from contactpoint.api.identifiers import AgencyId, LifeEventId
from contactpoint.rights import LegalBasisSchema

CONDITION = (
    "A rule as the definition writes it: `{answer, equals | contains: value}`, or"
    " `{all | any: [rules]}`, or `{not: rule}`."
)


def _condition() -> fields.Dict:
    return fields.Dict(allow_none=True, metadata={"description": CONDITION})


class LifeEventSummary(Schema):
    id = fields.String()
    title = fields.String()
    description = fields.String()
    agencies = fields.List(fields.String(), metadata={"description": "The agencies it may reach."})


class QuestionOption(Schema):
    value = fields.Raw()
    text = fields.String()


class DateWindow(Schema):
    days_before = fields.Integer(
        allow_none=True, metadata={"description": "The earliest date: today minus these days."}
    )
    days_after = fields.Integer(
        allow_none=True, metadata={"description": "The latest date: today plus these days."}
    )
    reason = fields.String(metadata={"description": "The rule behind the window, in plain words."})


class LifeEventQuestion(Schema):
    id = fields.String()
    type = fields.String()
    text = fields.String()
    hint = fields.String(allow_none=True)
    group = fields.String(
        allow_none=True, metadata={"description": "Questions of one group share a page."}
    )
    when = _condition()
    window = fields.Nested(
        DateWindow,
        allow_none=True,
        metadata={"description": "A date question's accepted dates around today, and why."},
    )
    people_from = fields.String(
        allow_none=True,
        metadata={
            "description": "For one_person and several_people: the register fact listing the"
            " people to choose among (the caller's prefill names them)."
        },
    )
    options = fields.List(fields.Nested(QuestionOption))


class Deadline(Schema):
    from_ = fields.String(
        data_key="from",
        attribute="from",
        metadata={"description": "The date question it counts from."},
    )
    months = fields.Integer()
    days = fields.Integer()


class LifeEventStep(Schema):
    id = fields.String()
    agency = fields.String()
    agency_name = fields.String()
    municipality = fields.String(
        allow_none=True,
        metadata={
            "description": "For agency `kommun`: the municipality question whose answer (an SCB"
            " code) names the municipality that receives the step, or a fixed code; the"
            " evaluated step's `agency` is then `kommun_<code>`."
        },
    )
    title = fields.String()
    reason = fields.String()
    fields_ = fields.List(fields.String(), data_key="fields", attribute="fields")
    depends_on = fields.List(fields.String())
    when = _condition()
    action = fields.String(metadata={"description": "`submit`, or `inform`: shown, nothing sent."})
    handling = fields.String(metadata={"description": "`automatic` or `manual`."})
    produces = fields.List(fields.String())
    next_step = fields.String(allow_none=True)
    deadline = fields.Nested(Deadline, allow_none=True)
    legal_basis = fields.Dict(
        allow_none=True,
        metadata={"description": "`{kind: consent}` or `{kind: law, statute: {sv, en}}`."},
    )
    appeal = fields.Dict(
        allow_none=True,
        metadata={"description": "How a decision against the person is appealed: `weeks`."},
    )


class OnBehalfOf(Schema):
    question = fields.String()
    relation = fields.String()


class LifeEventDetailSchema(LifeEventSummary):
    questions = fields.List(fields.Nested(LifeEventQuestion))
    pages = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        metadata={"description": "The title of each group's page."},
    )
    steps = fields.List(fields.Nested(LifeEventStep))
    on_behalf_of = fields.Nested(OnBehalfOf, allow_none=True)
    example_answers = fields.Dict(
        keys=fields.String(), metadata={"description": "A complete answer set that passes."}
    )
    example_person = fields.String(
        metadata={"description": "The test-population personal number the example fits."}
    )


class PlannedStep(Schema):
    id = fields.String()
    agency = fields.String()
    agency_name = fields.String()
    title = fields.String()
    reason = fields.String()
    status = fields.String(metadata={"description": "`pending`, or `not_needed`."})
    depends_on = fields.List(fields.String())
    fields_ = fields.List(
        fields.String(),
        data_key="fields",
        attribute="fields",
        metadata={"description": "Exactly the fields its agency would receive."},
    )
    next_step = fields.String(allow_none=True)
    deadline = fields.String(allow_none=True, metadata={"description": "YYYY-MM-DD."})
    legal_basis = fields.Nested(LegalBasisSchema, allow_none=True)
    told_by = fields.String(
        allow_none=True,
        metadata={"description": "Told automatically by a base register: nothing is sent."},
    )


class Evaluation(Schema):
    life_event = fields.String()
    questions = fields.List(fields.String(), metadata={"description": "The questions asked."})
    unanswered = fields.List(fields.String())
    complete = fields.Boolean()
    steps = fields.List(fields.Nested(PlannedStep))


class AnsweredQuestion(Schema):
    life_event = LifeEventId()
    question = fields.String(metadata={"example": "current_municipality"})


class RegisterFact(Schema):
    id = fields.String(metadata={"example": "municipality"})
    type = fields.String(
        metadata={
            "description": "The question type the fact answers; `list` facts are shown and"
            " exported, never asked."
        }
    )
    name = fields.String()
    prefills = fields.List(
        fields.Nested(AnsweredQuestion),
        metadata={"description": "The questions this fact answers, so they are not asked."},
    )


class Keeper(Schema):
    id = AgencyId()
    name = fields.String()


class RegisterEntry(Schema):
    id = fields.String(metadata={"example": "population"})
    name = fields.String()
    kept_by = fields.Nested(
        Keeper,
        metadata={
            "description": "The agency that keeps the register, and receives requests"
            " to correct it."
        },
    )
    facts = fields.List(fields.Nested(RegisterFact))


class IssuedField(Schema):
    field = fields.String(metadata={"example": "organisation_number"})
    name = fields.String()


class ReceivedStep(Schema):
    life_event = LifeEventId()
    step = fields.String(metadata={"example": "change-of-address"})
    title = fields.String()
    action = fields.String(
        metadata={
            "description": "`submit`: the agency receives `fields`; `inform`: the citizen is"
            " told, nothing is sent."
        }
    )
    handling = fields.String(
        metadata={"description": "`automatic`, or `manual`: a case officer decides."}
    )
    fields_ = fields.List(fields.String(), data_key="fields", attribute="fields")


class AgencyEntry(Schema):
    id = AgencyId()
    name = fields.String()
    role = fields.String(metadata={"description": "What the agency does, in a few words."})
    reference_prefix = fields.String(
        metadata={"description": "How the agency's references of steps begin."}
    )
    registers = fields.List(
        fields.String(), metadata={"description": "The base registers the agency keeps."}
    )
    issues = fields.List(
        fields.Nested(IssuedField),
        metadata={"description": "What the agency issues for later steps (its answer carries it)."},
    )
    steps = fields.List(
        fields.Nested(ReceivedStep),
        metadata={"description": "Every step of every life event that goes to the agency."},
    )
