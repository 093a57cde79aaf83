"""The messages the rules make: a reminder, an offer to start a life event with answers
proposed, or a suggestion; each keyed so that one person gets it once for one fact."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from agencies.registers.recorded import RegisterEvent

from ..deadlines import deadline_date
from ..declarations import LifeEvent
from ..message_types import MessageAction, MessageKind, NewMessage
from ..rules import holds
from .rules import Rule, of_trigger


@dataclass(frozen=True)
class Watch:
    """A deadline to remind of: written with the case, read by the pass when it is due."""

    rule: str
    person_id: str
    case_id: str
    step_id: str
    deadline: dt.date
    remind_on: dt.date


def _message(
    rule: Rule, key: str, person_id: str, params: dict[str, Any], **where: Any
) -> NewMessage:
    """The rule's message to one person: an offer starts its life event, a suggestion may be
    dismissed, a reminder opens its case where it has one."""
    if rule.kind == "offer":
        kind, action = MessageKind.SUGGESTION, MessageAction.START
    elif rule.kind == "suggestion":
        kind, action = MessageKind.SUGGESTION, MessageAction.DISMISS
    else:
        kind = MessageKind.REMINDER
        action = MessageAction.OPEN_CASE if where.get("case_id") else MessageAction.DISMISS
    return NewMessage(
        key=f"proactive:{rule.id}:{key}",
        kind=kind,
        params={"rule": rule.id, **params},
        person_id=person_id,
        action=action,
        action_life_event=rule.start,
        **where,
    )


def event_facts(event: RegisterEvent) -> dict[str, Any]:
    """What a register event says, by the names an offer's answers may use."""
    first = " ".join(event.name.split()[:-1])
    return {
        "personal_number": event.subject,
        "name": event.name,
        "first_names": first,
        "has_first_names": bool(first),
        "occurred_on": event.occurred_on.isoformat(),
        **event.address,  # a move: street, postal_code, municipality, previous_municipality
    }


def proposed_answers(rule: Rule, facts: Mapping[str, Any]) -> dict[str, Any]:
    """The offer's answers: literal ones as declared, `{event: fact}` from the event (left out
    where the event does not hold it)."""
    answers: dict[str, Any] = {}
    for question, value in rule.answers.items():
        if isinstance(value, dict) and "event" in value:
            found = facts.get(value["event"])
            if found not in (None, ""):
                answers[question] = found
        else:
            answers[question] = value
    return answers


def event_offers(rule: Rule, event: RegisterEvent, people: Mapping[str, str]) -> list[NewMessage]:
    """The offer of a register event to each person it concerns (`people`: personal number to
    person id, the living only)."""
    facts = event_facts(event)
    named = event.name if event.kind != "birth" or facts["has_first_names"] else ""
    params = {
        "date": event.occurred_on.isoformat(),
        "child" if event.kind == "birth" else "person": named,
        "answers": proposed_answers(rule, facts),
    }
    if event.address:
        params["address"] = f"{event.address['street']}, {event.address['postal_code']}"
    return [
        _message(rule, f"{event.id}:{people[number]}", people[number], params)
        for number in event.related
        if number in people
    ]


def fact_key(rule: Rule, person_key: str, when: dt.date) -> str:
    """The key of a reminder of a dated fact: the rule, the date and the person (a keyed
    digest of their number), so that it is made once and found before anything is read."""
    return f"proactive:{rule.id}:{when.isoformat()}:{person_key}"


def fact_reminder(rule: Rule, person_id: str, when: dt.date, person_key: str) -> NewMessage:
    """A reminder of a dated register fact (a passport's last day), once per person and date."""
    message = _message(rule, "", person_id, {"date": when.isoformat()})
    return replace(message, key=fact_key(rule, person_key, when))


def deadline_reminder(rule: Rule, watch: Watch) -> NewMessage:
    """The reminder of a watched step's deadline."""
    params = {"deadline": watch.deadline.isoformat()}
    return _message(
        rule, watch.step_id, watch.person_id, params, case_id=watch.case_id, step_id=watch.step_id
    )


def deadline_watches(
    event: LifeEvent,
    answers: Mapping[str, Any],
    steps: Iterable[tuple[str, str]],
    person_id: str,
    case_id: str,
) -> list[Watch]:
    """For a case just submitted: each of its steps whose deadline a rule watches, with the
    day to remind (`steps`: the case's (step id, declared step id) pairs)."""
    rules = [rule for rule in of_trigger("step_deadline") if rule.life_event == event.id]
    declared = {step.id: step for step in event.steps}
    watches = []
    for step_id, key in steps:
        for rule in (r for r in rules if r.step == key):
            when = deadline_date(declared[key].deadline, answers)
            if when is not None:
                remind = when - dt.timedelta(days=rule.before_days)
                watches.append(Watch(rule.id, person_id, case_id, step_id, when, remind))
    return watches


def case_suggestions(
    event: LifeEvent,
    answers: Mapping[str, Any],
    person_id: str,
    case_id: str,
    only: Rule | None = None,
) -> list[NewMessage]:
    """For a case submitted: the suggestions its answers show eligibility for (of `only` that
    rule, if given), once per person (a second such case suggests nothing again)."""
    return [
        _message(rule, person_id, person_id, {"life_event": event.id}, case_id=case_id)
        for rule in ([only] if only else of_trigger("case"))
        if rule.life_event == event.id and holds(rule.when, answers)
    ]
