"""One event, one case, over the database: finding the first report of the same death or
birth, the shared status the next person reads, and a person's own recent repeat."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from contactpoint.citizen.presenters import agency_name
from contactpoint.db.models import Case, Person, now
from contactpoint.extensions import db
from contactpoint.platform.i18n import text
from workflows import CaseStatus, LifeEvent, StepPlan, catalogue, declared_step, represented
from workflows.joint import JOINED_RELATIONS, RECENT_HOURS, own_plans, reported_by


@dataclass(frozen=True)
class FirstReport:
    """Another person's case of the same event: its id and the step keys it already has."""

    case_id: str
    keys: frozenset[str]
    relation: str


def first_report(person: Person, event: LifeEvent, answers: dict[str, Any]) -> FirstReport | None:
    """The first case of the same death or birth by someone else with the same relation."""
    acting = event.on_behalf_of
    other = represented(acting, answers)
    if acting is None or other is None or acting.relation not in JOINED_RELATIONS:
        return None  # a company's case is its own: its representatives act on it one by one
    found = db.session.scalar(
        sa.select(Case)
        .where(
            Case.life_event == event.id,
            Case.on_behalf_of == other,
            Case.person_id != person.id,
            Case.status != CaseStatus.WITHDRAWN,
            Case.joins.is_(None),
        )
        .order_by(Case.created_at)
        .limit(1)
    )
    if found is None:
        return None
    return FirstReport(found.id, frozenset(step.key for step in found.steps), acting.relation)


def joint_plans(
    person: Person, event: LifeEvent, answers: dict[str, Any], plans: list[StepPlan]
) -> tuple[list[StepPlan], FirstReport | None]:
    """The steps this person's case sends, and the first report it joins (if any)."""
    first = first_report(person, event, answers)
    return (own_plans(plans, first.keys), first) if first else (plans, None)


def shared_status(case: Case | Any, language: str) -> dict[str, Any] | None:
    """The first report's status, as the person whose case joins it reads it: who reported
    only by relation, and each step's standing, never its data or references."""
    if not getattr(case, "joins", None):
        return None
    first = db.session.get(Case, case.joins)
    if first is None:
        return None
    event = catalogue().get(first.life_event)
    acting = event.on_behalf_of if event else None
    steps = []
    for step in first.steps:
        declared = declared_step(event, step.key)
        steps.append(
            {
                "key": step.key,
                "title": text(declared.title, language) if declared else step.key,
                "agency": step.agency,
                "agency_name": agency_name(step.agency, language),
                "status": step.status,
                "ball": step.ball,
            }
        )
    return {
        "reported_by": reported_by(acting.relation if acting else "", language),
        "status": first.status,
        "steps": steps,
    }


def recent_repeat(person: Person, event: LifeEvent) -> Case | None:
    """The person's own case of this life event sent in the last hours, not withdrawn."""
    since = now() - dt.timedelta(hours=RECENT_HOURS)
    return db.session.scalar(
        sa.select(Case)
        .where(
            Case.person_id == person.id,
            Case.life_event == event.id,
            Case.created_at >= since,
            Case.status != CaseStatus.WITHDRAWN,
        )
        .order_by(Case.created_at.desc())
        .limit(1)
    )
