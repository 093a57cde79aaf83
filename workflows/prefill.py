"""Once only: facts read at the source answer the questions they can; corrections go back.

A question may declare `prefill: <register>.<fact>`. The evaluator treats a fact like an
answer; each answer keeps its source: `register`, `self_reported` (a fact a register holds
but the citizen gave: the register did not answer, or the citizen said it is wrong) or
`citizen`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from marshmallow import ValidationError

from agencies.registers.base import Register, RegisterUnavailable
from agencies.registers.catalogue import REGISTERS, split_fact

from .behalf import may_act, represented
from .declarations import LifeEvent, Question, Step
from .rules import StepPlan, applicable_questions, clean_answer, plan_steps
from .statuses import StepStatus

Source = dict[str, Any]
CORRECTION_PREFIX = "correction-"


class RegisterLookup(Protocol):
    """Finds the register that answers for a register id."""

    def for_register(self, register: str) -> Register:
        """The register in use for `register`."""


@dataclass(frozen=True)
class RegisterRead:
    """One lookup at a register: which facts were asked for, and when."""

    register: str
    agency: str
    facts: tuple[str, ...]
    at: dt.datetime


@dataclass
class Collected:
    """Facts found for questions, their sources, the reads made, the registers that were down."""

    answers: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    reads: list[RegisterRead] = field(default_factory=list)
    unavailable: set[str] = field(default_factory=set)
    # The people a people question may name (`people_from`), read with the citizen's facts.
    people: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def register_source(register: str, fact: str) -> Source:
    """The source of an answer read at a register."""
    return {"kind": "register", "register": register, "fact": fact}


def self_reported(register: str, fact: str, disputed: bool = False) -> Source:
    """The source of a fact a register holds but the citizen gave."""
    reason = "disputed" if disputed else "register_unavailable"
    return {"kind": "self_reported", "register": register, "fact": fact, "reason": reason}


def collect(
    event: LifeEvent,
    personal_number: str,
    registers: RegisterLookup,
    answers: Mapping[str, Any],
    sources: Mapping[str, Source],
) -> Collected:
    """Read, register by register, the facts that answer the questions that apply now.

    Only unanswered questions whose source is not settled are looked up, so a fact is read
    once; a fact that opens further questions (children at home) leads to a second round.
    """
    found = Collected()
    known = dict(answers)
    tried: set[str] = set(sources)
    while True:
        wanted: dict[tuple[str, str], list[Question]] = {}
        for question in applicable_questions(event, known):
            if question.prefill and question.id not in known and question.id not in tried:
                subject = _subject(event, question, personal_number, known)
                if subject is None:
                    continue  # not yet known whom it is about, or not the citizen's to read
                wanted.setdefault((split_fact(question.prefill)[0], subject), []).append(question)
                tried.add(question.id)
        if not wanted:
            return found
        for (register, subject), questions in wanted.items():
            mine = subject == personal_number
            listing = _people_questions(event, register, known) if mine else {}
            listing = {q: fact for q, fact in listing.items() if q not in found.people}
            asked = {split_fact(q.prefill or "")[1] for q in questions} | set(listing.values())
            facts = tuple(sorted(asked))
            try:
                held = registers.for_register(register).lookup(subject, facts)
            except RegisterUnavailable:
                found.unavailable.add(register)
                for question in questions:
                    fact = split_fact(question.prefill or "")[1]
                    found.sources[question.id] = self_reported(register, fact)
                continue
            at = dt.datetime.now(dt.UTC)
            found.reads.append(RegisterRead(register, REGISTERS[register].agency, facts, at))
            for question_id, fact in listing.items():
                if isinstance(held.get(fact), list):
                    found.people[question_id] = [dict(member) for member in held[fact]]
            for question in questions:
                fact = split_fact(question.prefill or "")[1]
                if fact not in held:
                    continue  # the register does not hold it: the citizen is asked
                try:
                    value = clean_answer(question, held[fact])
                except ValidationError:
                    continue
                known[question.id] = found.answers[question.id] = value
                found.sources[question.id] = register_source(register, fact)


def _people_questions(event: LifeEvent, register: str, known: Mapping[str, Any]) -> dict[str, str]:
    """The people questions asked now whose list this register's fact about the citizen
    gives (read with the citizen's other facts, in one look-up)."""
    return {
        question.id: split_fact(question.people_from)[1]
        for question in applicable_questions(event, known)
        if question.people_from and split_fact(question.people_from)[0] == register
    }


def _subject(
    event: LifeEvent, question: Question, citizen: str, known: Mapping[str, Any]
) -> str | None:
    """Whose fact answers the question: the citizen's own, or (`prefill_of`) the person the
    citizen acts for, only once the register lets the citizen act for them."""
    if question.prefill_of is None:
        return citizen
    other = represented(event.on_behalf_of, known)
    if other is None or not may_act(event.on_behalf_of, known, citizen):
        return None
    return other


def dispute(question: Question) -> Source:
    """The citizen says the register's fact is wrong: they give their own value."""
    register, fact = split_fact(question.prefill or "")
    return self_reported(register, fact, disputed=True)


def correction_step(key: str) -> Step | None:
    """The step that files a correction request with a register's agency, by its key."""
    register = key.removeprefix(CORRECTION_PREFIX)
    info = REGISTERS.get(register) if key.startswith(CORRECTION_PREFIX) else None
    if info is None:
        return None
    return Step(
        id=key,
        agency=info.agency,
        title={
            "sv": f"Begäran om rättelse i {info.name['sv']}",
            "en": f"Request to correct {info.name['en']}",
        },
        reason={
            "sv": "Du har sagt att en uppgift i registret är fel. "
            "Myndigheten får den uppgift du själv har lämnat och utreder saken.",
            "en": "You said a fact in the register is wrong. "
            "The agency receives the fact you gave yourself and looks into it.",
        },
    )


def correction_plans(
    event: LifeEvent, answers: Mapping[str, Any], sources: Mapping[str, Source]
) -> list[StepPlan]:
    """One correction request per register the citizen disputed, carrying their own values."""
    asked = {question.id for question in applicable_questions(event, answers)}
    disputed: dict[str, list[str]] = {}
    for question in event.questions:
        source = sources.get(question.id) or {}
        if question.id in asked and question.id in answers and source.get("reason") == "disputed":
            disputed.setdefault(str(source["register"]), []).append(question.id)
    plans = []
    for register, questions in disputed.items():
        step = correction_step(CORRECTION_PREFIX + register)
        assert step is not None
        fields = ("personal_number", "name", *questions)
        plans.append(StepPlan(step=step, status=StepStatus.PENDING, depends_on=(), fields=fields))
    return plans


def plan_case(
    event: LifeEvent, answers: Mapping[str, Any], sources: Mapping[str, Source]
) -> list[StepPlan]:
    """The steps of a case: the life event's, then any correction requests."""
    return [*plan_steps(event, answers), *correction_plans(event, answers, sources)]


def consent_record(plans: list[StepPlan]) -> dict[str, dict[str, Any]]:
    """What the citizen consents to: for each step sent, its agency and its field names."""
    return {
        plan.id: {"agency": plan.step.agency, "fields": sorted(plan.fields)}
        for plan in plans
        if plan.status != StepStatus.NOT_NEEDED
    }


def consent_digest(record: Mapping[str, Any]) -> str:
    """A short fingerprint of a consent record, to tell whether a preview still holds."""
    canonical = json.dumps(record, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def sources_for(
    event: LifeEvent, answers: Mapping[str, Any], sources: Mapping[str, Source]
) -> dict[str, Source]:
    """Every answer's source; an answer with none recorded is the citizen's own."""
    return {key: dict(sources.get(key) or {"kind": "citizen"}) for key in answers}
