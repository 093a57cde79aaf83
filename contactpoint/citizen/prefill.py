"""Once only for the contact point: read registers for a journey, log the reads, offer reuse."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

import sqlalchemy as sa
from flask import current_app
from marshmallow import ValidationError

from agencies.registers.base import RegisterUnavailable
from agencies.registers.catalogue import REGISTERS, split_fact
from agencies.registers.registry import Registers, RegisterSettings
from agencies.registers.simulated import RegisterBehaviour
from contactpoint.citizen.presenters import agency_name
from contactpoint.db.models import Case, Draft, Person
from contactpoint.db.statements import ATTACH_READS, NEW_SHARES, run, run_many
from contactpoint.extensions import db
from contactpoint.platform.i18n import text
from workflows import LifeEvent, Question, applicable_questions, clean_answer, register_key
from workflows.prefill import Collected, RegisterRead, Source, collect, register_source

READ_BASIS = "collection"


def registers() -> Registers:
    """The registers in use, built from the current settings (a changed knob takes effect)."""
    config = current_app.config
    rates: Mapping[str, float] = config.get("REGISTER_FAILURE_RATES") or {}
    latency = float(config.get("REGISTER_LATENCY_MS") or 0)
    shared = RegisterBehaviour(latency, float(config.get("REGISTER_FAILURE_RATE") or 0))
    key = (shared, tuple(sorted(rates.items())))
    built: dict[Any, Registers] = current_app.extensions.setdefault("registers", {})
    if key not in built:
        own = {name: RegisterBehaviour(latency, rate) for name, rate in rates.items()}
        built[key] = Registers(RegisterSettings(behaviour=shared, per_register=own))
    return built[key]


def register_name(register: str, language: str | None = None) -> str:
    """A register's name as citizens know it ("the population register")."""
    info = REGISTERS.get(register)
    return text(info.name, language) if info else register


def register_agency_name(register: str, language: str | None = None) -> str:
    """The name of the agency that keeps a register."""
    info = REGISTERS.get(register)
    return agency_name(info.agency, language) if info else register


def log_reads(
    person: Person, reads: Iterable[RegisterRead], life_event: str, case_id: str | None = None
) -> None:
    """Write one sharing-log entry per register read: which facts, from whom, when, why."""
    rows = read_rows(person, reads, life_event, case_id)
    if rows:
        run_many(NEW_SHARES, rows)


def read_rows(
    person: Person, reads: Iterable[RegisterRead], life_event: str, case_id: str | None = None
) -> list[dict[str, Any]]:
    """The sharing log's entries for register reads, as rows of column values."""
    return [
        {
            "person_id": person.id,
            "kind": "register_read",
            "case_id": case_id,
            "register": read.register,
            "life_event": life_event,
            "recipient": read.agency,
            "fields": list(read.facts),
            "basis": READ_BASIS,
            "at": read.at,
        }
        for read in reads
    ]


def attach_reads(person: Person, life_event: str, case_id: str) -> None:
    """The reads made during the journey now belong to the case it became."""
    run(ATTACH_READS, person=person.id, journey=life_event, new_case_id=case_id)


def prefill_draft(person: Person, event: LifeEvent, draft: Draft) -> Collected:
    """Answer the draft's questions that apply now from the registers, once each."""
    known, settled = draft.answers or {}, draft.sources or {}
    key = register_key(event.on_behalf_of, known, person.personal_number)
    found = collect(event, key, registers(), known, settled) if key else Collected()
    if found.answers or found.sources:
        draft.answers = {**known, **found.answers}
        draft.sources = {**settled, **found.sources}
    log_reads(person, found.reads, event.id)
    _nobody_to_choose(person, event, draft)
    return found


def people_listed(
    person: Person, event: LifeEvent, question: Question, reads: list[RegisterRead] | None = None
) -> list[dict[str, Any]] | None:
    """The people the register lists for a people question (None when it does not answer);
    the read goes in the citizen's sharing log now, or into `reads` for the caller to log."""
    register, fact = split_fact(question.people_from or "")
    try:
        held = registers().for_register(register).lookup(person.personal_number, (fact,))
    except RegisterUnavailable:
        return None
    read = RegisterRead(register, REGISTERS[register].agency, (fact,), dt.datetime.now(dt.UTC))
    if reads is None:
        log_reads(person, [read], event.id)
    else:
        reads.append(read)
    return [dict(member) for member in held.get(fact) or []]


def _nobody_to_choose(person: Person, event: LifeEvent, draft: Draft) -> None:
    """Where the register lists nobody for a question of several people that may be answered
    "no one", that is its answer, from the register: the citizen is not asked. Where it lists
    people, that is noted (`listed`), so the register is not read again on every page."""
    known, sources = dict(draft.answers or {}), dict(draft.sources or {})
    for question in applicable_questions(event, known):
        alone = [option.value for option in question.options if option.exclusive]
        if question.type != "several_people" or question.id in sources or not alone:
            continue
        register, fact = split_fact(question.people_from or "")
        listed = people_listed(person, event, question)
        if listed is None:
            continue  # the register did not answer: the citizen is asked
        if listed:
            sources[question.id] = {"kind": "listed", "register": register, "fact": fact}
        else:
            known[question.id], sources[question.id] = alone, register_source(register, fact)
    draft.answers, draft.sources = known, sources


def record_typed(draft: Draft, question_ids: Iterable[str]) -> None:
    """Questions the citizen answered on a page: their own, or self-reported register facts."""
    sources = dict(draft.sources or {})
    for question_id in question_ids:
        if (sources.get(question_id) or {}).get("kind") not in ("self_reported",):
            sources[question_id] = {"kind": "citizen"}
    draft.sources = sources


class Resolved(NamedTuple):
    """API answers completed from the registers: each answer's source, the reads made, and
    the people each people question may name, read with the citizen's facts."""

    answers: dict[str, Any]
    sources: dict[str, Source]
    reads: list[RegisterRead]
    people: dict[str, list[dict[str, Any]]]


def resolve_answers(
    person: Person, event: LifeEvent, answers: Mapping[str, Any], corrections: Iterable[str]
) -> Resolved:
    """API answers completed from the registers, with each answer's source.

    A prefilled question left out is answered by its register; a value given that differs
    from the register's is the citizen's own (self-reported); one listed in `corrections`
    also files a correction request with the register's agency.
    """
    prefilled = {q.id for q in event.questions if q.prefill}
    own = {key: value for key, value in answers.items() if key not in prefilled}
    key = register_key(event.on_behalf_of, own, person.personal_number)
    found = collect(event, key, registers(), own, {}) if key else Collected()
    merged = {**found.answers, **answers}
    sources: dict[str, Source] = {}
    disputed = set(corrections)
    for question in event.questions:
        if not question.prefill:
            continue
        source = found.sources.get(question.id)
        register, _, fact = question.prefill.partition(".")
        if question.id in answers and _clean(question, answers[question.id]) != found.answers.get(
            question.id
        ):
            reason = "disputed" if question.id in disputed else "given"
            if register in found.unavailable:
                reason = "register_unavailable"
            sources[question.id] = {
                "kind": "self_reported",
                "register": register,
                "fact": fact,
                "reason": reason,
            }
        elif source is not None:
            sources[question.id] = source
        elif question.id in answers:
            sources[question.id] = register_source(register, fact)
    people = found.people if key == person.personal_number else {}
    return Resolved(merged, sources, found.reads, people)


def _clean(question: Question, value: Any) -> Any:
    try:
        return clean_answer(question, value)
    except ValidationError:
        return value


@dataclass(frozen=True)
class Offer:
    """An answer the citizen gave in an earlier case, offered again for the same question."""

    question: str
    value: Any
    case_id: str
    case_reference: str
    life_event: str
    given_at: Any


def offers(person: Person, event: LifeEvent, answers: Mapping[str, Any]) -> dict[str, Offer]:
    """Earlier answers to this journey's reusable questions that apply and are not answered."""
    wanted = {q.id for q in applicable_questions(event, answers) if q.reuse} - set(answers)
    found: dict[str, Offer] = {}
    if not wanted:
        return found
    cases = db.session.scalars(
        sa.select(Case).where(Case.person_id == person.id).order_by(Case.created_at.desc())
    )
    for case in cases:
        for question in sorted(wanted - set(found)):
            source = (case.sources or {}).get(question) or {"kind": "citizen"}
            if question in case.answers and source.get("kind") != "register":
                found[question] = Offer(
                    question,
                    case.answers[question],
                    case.id,
                    case.reference,
                    case.life_event,
                    case.created_at,
                )
    return found
