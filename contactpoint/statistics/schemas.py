"""The published statistics' shape, for the OpenAPI document (the JSON is served as released)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

MARKERS = ("small_counts", "no_cases")


def _count(description: str) -> fields.Integer:
    return fields.Integer(allow_none=True, metadata={"description": description})


class Texts(Schema):
    sv = fields.String()
    en = fields.String()


def _suppressed() -> fields.Dict:
    return fields.Dict(
        keys=fields.String(),
        values=fields.String(validate=validate.OneOf(MARKERS)),
        metadata={
            "description": "Why a figure of this entry is null: `small_counts` (from fewer "
            "than 10 cases, or would reveal such a figure with the totals) or `no_cases` (a "
            "share, mean or time of nothing)."
        },
    )


class CaseCounts(Schema):
    submitted = _count("Cases submitted in the period.")
    completed = _count("Cases closed in the period with every step done.")
    completed_with_problems = _count("Cases closed in the period with a step that failed.")
    withdrawn = _count("Cases withdrawn by the citizen in the period.")
    suppressed = _suppressed()


class StepFigures(Schema):
    step = fields.String(metadata={"description": "The step's id in the life event."})
    agency = fields.String()
    done = _count("Steps done in the month (one per case).")
    median_seconds = fields.Float(
        allow_none=True, metadata={"description": "Median time from submission to done."}
    )
    p90_seconds = fields.Float(
        allow_none=True, metadata={"description": "90th percentile (nearest rank) of the same."}
    )
    suppressed = _suppressed()


class MonthFigures(CaseCounts):
    period = fields.String(metadata={"description": "The month, YYYY-MM, in Swedish time."})
    steps_done = _count("Steps done in the month.")
    steps_failed = _count("Steps that ended failed in the month.")
    steps_retried = _count("Steps ended in the month after more than one attempt.")
    automated_share = fields.Float(
        allow_none=True,
        metadata={"description": "Share of the steps done that no person took part in (0-1)."},
    )
    feedback_responses = _count("Answers to the feedback question given in the month.")
    ease_mean = fields.Float(
        allow_none=True,
        metadata={"description": "Mean ease of those answers: 1 very difficult, 5 very easy."},
    )
    steps = fields.List(fields.Nested(StepFigures))


class TotalMonth(CaseCounts):
    period = fields.String()


class YearFigures(CaseCounts):
    year = fields.String(metadata={"description": "A whole year, YYYY, once it is over."})


class LifeEventStatistics(Schema):
    id = fields.String()
    title = fields.Nested(Texts)
    periods = fields.List(fields.Nested(MonthFigures))
    years = fields.List(fields.Nested(YearFigures))


class AllLifeEvents(Schema):
    periods = fields.List(fields.Nested(TotalMonth))
    years = fields.List(fields.Nested(YearFigures))


class Suppression(Schema):
    threshold = fields.Integer()
    rule = fields.Nested(Texts)
    reasons = fields.Dict(keys=fields.String(), values=fields.Nested(Texts))


class Licence(Schema):
    id = fields.String()
    name = fields.String()
    url = fields.Url()


class StatisticsDocument(Schema):
    title = fields.Nested(Texts)
    released_at = fields.DateTime(allow_none=True)
    first_period = fields.String(allow_none=True)
    last_period = fields.String(allow_none=True)
    life_events = fields.List(fields.Nested(LifeEventStatistics))
    all_life_events = fields.Nested(AllLifeEvents)
    suppression = fields.Nested(Suppression)
    licence = fields.Nested(Licence)
