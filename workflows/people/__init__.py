"""Questions answered by choosing people the population register lists for the citizen (the
household that moves along, the child a parent acts for).

A `one_person` or `several_people` question names its list with `people_from`, a register
fact of type `people`. The page offers each person by first name, year of birth and relation,
under an opaque key; the server turns keys (or, in the API, personal identity numbers) back
into the people the register lists. A `one_person` answer is the person's personal identity
number; a `several_people` answer lists the people chosen, or holds the exclusive `none`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from marshmallow import ValidationError
from stdnum.exceptions import ValidationError as NumberError
from stdnum.se import personnummer

from agencies.clock import today
from agencies.population import resident
from agencies.registers.data import PRESCHOOL_AGES, SCHOOL_AGES, age

from ..declarations import Option, Question, Text
from .fields import NOT_LISTED_ANY
from .parsing import KINDS, NONE, PEOPLE_TYPES
from .texts import DERIVED_TEXTS, member_text

ONE, SEVERAL = PEOPLE_TYPES
# Fields a step may name as `<question>.<part>`: a part of the people chosen.
DERIVED = tuple(DERIVED_TEXTS)
NOT_LISTED = "{who} is not among the people the population register lists for you."
Member = Mapping[str, Any]

__all__ = [
    "DERIVED",
    "KINDS",
    "NONE",
    "NOT_LISTED",
    "NOT_LISTED_ANY",
    "PEOPLE_TYPES",
    "as_choice",
    "derived_text",
    "people_text",
    "derived_value",
    "includes",
    "keys_of",
    "member_text",
    "resolve",
    "stored_member",
]


def _number(value: Any) -> str | None:
    """A personal identity number as YYYYMMDD-NNNN, or None if `value` is not one."""
    try:
        typed = str(value).strip()
        personnummer.validate(typed)
    except (NumberError, TypeError):
        return None
    return f"{personnummer.get_birth_date(typed):%Y%m%d}-{personnummer.compact(typed)[-4:]}"


def keys_of(members: Sequence[Member]) -> dict[str, Member]:
    """Each listed person by their key on the page: relation, year of birth and a count,
    never a personal identity number (stable while the register's list is)."""
    keys: dict[str, Member] = {}
    for member in members:
        base = f"{member['relation']}-{member['born']}"
        count = sum(1 for key in keys if key.rsplit("-", 1)[0] == base) + 1
        keys[f"{base}-{count}"] = member
    return keys


def stored_member(member: Member) -> dict[str, Any]:
    """What an answer keeps of a person chosen: the number the agencies need, the name, and
    what the pages show (first name, year of birth, relation)."""
    return {
        "personal_number": str(member["personal_number"]),
        "name": str(member.get("name") or ""),
        "first_name": str(member.get("first_name") or ""),
        "born": int(member["born"]),
        "relation": str(member["relation"]),
    }


def as_choice(question: Question, members: Sequence[Member]) -> Question:
    """The question as the page asks it: a one_of or several_of over the listed people's keys
    (and, for several, the exclusive "no one" option the definition declares)."""
    options = [Option(key, member_text(member)) for key, member in keys_of(members).items()]
    kind = "one_of" if question.type == ONE else "several_of"
    return replace(question, type=kind, options=(*options, *question.options))


def _find(typed: Any, keys: Mapping[str, Member]) -> Member | None:
    """The listed person a typed key, personal identity number or answer entry names."""
    if isinstance(typed, Mapping):
        typed = typed.get("personal_number")
    if str(typed) in keys:
        return keys[str(typed)]
    number = _number(typed)
    return next((m for m in keys.values() if m["personal_number"] == number), None)


def resolve(question: Question, value: Any, members: Sequence[Member]) -> Any:
    """The answer to a people question as it is kept, from keys or personal identity numbers
    (or entries of a kept answer); raises ValidationError naming who is not listed."""
    keys = keys_of(members)
    if question.type == ONE:
        found = _find(value, keys)
        if found is None:
            raise ValidationError(_not_listed(value))
        return str(found["personal_number"])
    chosen = value if isinstance(value, list) else [value]
    kept: list[Any] = []
    for typed in chosen:
        if typed == NONE and any(option.value == NONE for option in question.options):
            kept.append(NONE)
            continue
        found = _find(typed, keys)
        if found is None:
            raise ValidationError(_not_listed(typed))
        kept.append(stored_member(found))
    return kept


def _not_listed(typed: Any) -> str:
    """Who is not listed, named as they were given (a key or a number the caller sent)."""
    who = typed.get("personal_number") if isinstance(typed, Mapping) else typed
    return NOT_LISTED.format(who=who) if isinstance(who, str) and who else NOT_LISTED_ANY


def _kind_of(member: Member, on: dt.date) -> set[str]:
    """What a chosen person is, for a condition: spouse, child, and a child's school ages."""
    kinds = {str(member.get("relation"))}
    if "child" in kinds:
        years = age(str(member["personal_number"]), on)
        kinds |= {"school_age_child"} if years in SCHOOL_AGES else set()
        kinds |= {"preschool_age_child"} if years in PRESCHOOL_AGES else set()
    return kinds


def includes(chosen: Any, kind: str) -> bool:
    """Whether the people chosen include one of `kind` (today's ages)."""
    if not isinstance(chosen, list):
        return False
    on = today()
    return any(isinstance(m, Mapping) and kind in _kind_of(m, on) for m in chosen)


def derived_value(answers: Mapping[str, Any], name: str) -> Any:
    """A field `<question>.children` or `<question>.spouse`: the children or the spouse chosen,
    each with number and name only."""
    question, _, part = name.partition(".")
    chosen = answers.get(question)
    if part not in DERIVED or not isinstance(chosen, list):
        return None
    relation = {"children": "child", "spouse": "spouse"}[part]
    return [
        {"personal_number": m["personal_number"], "name": m.get("name") or ""}
        for m in chosen
        if isinstance(m, Mapping) and m.get("relation") == relation
    ]


def derived_text(name: str) -> Text | None:
    """The words for a field `<question>.<part>`, None for another name."""
    return DERIVED_TEXTS.get(name.partition(".")[2]) if "." in name else None


def people_text(question: Question, kept: Any, language: str) -> str:
    """A kept answer in words: the people chosen by first name, year of birth and relation
    (a one_person answer's number is looked up in the register), or the "no one" option."""
    chosen = kept if isinstance(kept, list) else [kept]
    names = {option.value: option.text[language] for option in question.options}
    said = []
    for item in chosen:
        if isinstance(item, str) and item in names:
            said.append(names[item])
            continue
        member = item if isinstance(item, Mapping) else _registered(str(item))
        said.append(member_text(member)[language])
    return ", ".join(said)


def _registered(number: str) -> dict[str, Any]:
    """A person named by number, as a page may show them (a child the citizen acts for)."""
    found = resident(number)
    name = found.name if found else ""
    return stored_member(
        {"personal_number": number, "name": name, "born": number[:4], "relation": "child"}
        | {"first_name": name.split()[0] if len(name.split()) > 1 else ""}
    )
