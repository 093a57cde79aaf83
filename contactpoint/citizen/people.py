"""The people a people question offers the citizen, read at the population register, and
the answers to such questions resolved against that list (pages send keys, the API personal
identity numbers or keys): the register decides who may be chosen, never the request."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from marshmallow import ValidationError

from contactpoint.citizen.prefill import people_listed
from contactpoint.db.models import Person
from contactpoint.platform.i18n import text
from workflows import LifeEvent, Question
from workflows.people import (
    NONE,
    PEOPLE_TYPES,
    as_choice,
    keys_of,
    member_text,
    people_text,
    resolve,
)
from workflows.prefill import RegisterRead

REGISTER_SILENT = (
    "The population register is not answering just now, so the people chosen cannot be"
    " checked against it. Try again in a while."
)


def as_asked(
    person: Person,
    event: LifeEvent,
    questions: list[Question],
    typed: dict[str, Any],
    listed: dict[str, list[dict[str, Any]]] | None = None,
) -> list[Question]:
    """The page's questions as asked: a people question becomes a choice of the people the
    register lists, by key (never by personal identity number); `typed` turns from kept
    answers into those keys. The people read go into `listed` when given, so that what is
    posted is resolved against them without reading the register again."""
    asked = []
    for question in questions:
        if question.type in PEOPLE_TYPES:
            found = people_listed(person, event, question)
            if found is not None and listed is not None:
                listed[question.id] = found
            members = found or []
            typed[question.id] = _keys(typed.get(question.id), members)
            question = as_choice(question, members)
        asked.append(question)
    return asked


def _keys(kept: Any, members: list[dict[str, Any]]) -> Any:
    """A kept answer (numbers or people chosen) as the keys of the page's choice."""
    if kept is None or kept == "" or kept == []:
        return kept
    keys = {str(m["personal_number"]): key for key, m in keys_of(members).items()}
    chosen = kept if isinstance(kept, list) else [kept]
    shown = [
        item
        if item == NONE or item in keys.values()
        else keys.get(str(item["personal_number"] if isinstance(item, Mapping) else item), "")
        for item in chosen
    ]
    return shown if isinstance(kept, list) else shown[0]


def resolve_people(
    person: Person,
    event: LifeEvent,
    answers: Mapping[str, Any],
    reads: list[RegisterRead] | None = None,
    listed: Mapping[str, list[dict[str, Any]]] | None = None,
    asked: Iterable[Question] | None = None,
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The answers with each people question's answer resolved against the register, and
    what is wrong (someone not listed for the citizen), by question. A question of several
    people left out is "no one" where the register lists nobody. The people `listed` were
    read already (with the citizen's facts); others are read now, their reads going into
    `reads` when given (logged with the case), else into the sharing log at once. Only the
    questions `asked` are resolved (a page's; by default, all of the life event's)."""
    resolved, errors = dict(answers), {}
    for question in event.questions if asked is None else asked:
        if question.type not in PEOPLE_TYPES:
            continue
        if answers.get(question.id) in (None, "", []):
            alone = [option.value for option in question.options if option.exclusive]
            if alone and _members(person, event, question, listed, reads) == []:
                resolved[question.id] = alone  # nobody listed: "no one", as the pages say
            continue
        members = _members(person, event, question, listed, reads)
        if members is None and answers[question.id] not in (NONE, [NONE]):
            errors[question.id] = [REGISTER_SILENT]  # not theirs to know who is listed now
            continue
        try:
            resolved[question.id] = resolve(question, answers[question.id], members or [])
        except ValidationError as error:
            errors[question.id] = [str(message) for message in _messages(error)]
            acting = event.on_behalf_of
            if acting is not None and acting.question == question.id:  # not theirs to act for
                errors[question.id] = [text(acting.refused)]
    return resolved, errors


def _messages(error: ValidationError) -> list[Any]:
    return error.messages if isinstance(error.messages, list) else [error.messages]


def _members(
    person: Person,
    event: LifeEvent,
    question: Question,
    listed: Mapping[str, list[dict[str, Any]]] | None,
    reads: list[RegisterRead] | None = None,
) -> list[dict[str, Any]] | None:
    """The people a question may name: as read already (`listed`), else read now."""
    known = (listed or {}).get(question.id)
    return known if known is not None else people_listed(person, event, question, reads)


def listed_view(
    person: Person,
    event: LifeEvent,
    language: str,
    listed: Mapping[str, list[dict[str, Any]]] | None = None,
) -> list[dict[str, Any]]:
    """Per people question, the people the register lists for the citizen as the API names
    them: key, first name, year of birth, relation, the page's words; no personal number
    (those `listed` were read already, with the citizen's facts)."""
    view = []
    for question in event.questions:
        if question.type not in PEOPLE_TYPES:
            continue
        members = keys_of(_members(person, event, question, listed) or [])
        people = [
            {"key": key, "first_name": m.get("first_name") or "", "born": m["born"]}
            | {"relation": m["relation"], "text": member_text(m)[language]}
            for key, m in members.items()
        ]
        view.append({"question": question.id, "people": people})
    return view


def not_listed_message(errors: Mapping[str, list[str]]) -> str:
    """The first answer naming someone the register does not list, in one sentence."""
    field, messages = next(iter(errors.items()))
    return f"answers.{field}: {messages[0]}"


def people_chosen(event: LifeEvent | None, answers: Mapping[str, Any], language: str) -> list[Any]:
    """For a case's page: each question of several people with whom it names, by first name,
    year of birth and relation (id, question, people)."""
    if event is None:
        return []
    return [
        (q.id, q.text[language], people_text(q, answers[q.id], language))
        for q in event.questions
        if q.type == "several_people" and answers.get(q.id)
    ]
