"""What the loader checks of a people question: its list is a register fact that lists
people; only a several_people question has the exclusive "no one" option; a condition
`includes` asks a several_people question for a kind of person."""

from __future__ import annotations

from typing import Any, Protocol

from agencies.registers.catalogue import fact_type

from ..declarations import DefinitionError, Option, Question, Text
from .texts import DERIVED_TEXTS

PEOPLE_TYPES = ("one_person", "several_people")
KINDS = ("spouse", "child", "school_age_child", "preschool_age_child")
NONE = "none"


class Parsing(Protocol):
    """The definition parser, as these checks use it."""

    def fail(self, place: str, message: str) -> DefinitionError: ...

    def text(self, raw: Any, place: str) -> Text: ...


def people_source(parser: Parsing, raw: dict[str, Any], place: str) -> str | None:
    """The register fact listing the people a people question offers (required of one, and
    of no other question)."""
    asks_people = raw.get("type") in PEOPLE_TYPES
    for key in ("people_from", "nobody_listed"):
        if key in raw and not asks_people:
            raise parser.fail(f"{place}.{key}", "only a one_person or several_people question")
    if not asks_people:
        return None
    reference = str(raw.get("people_from") or "")
    if fact_type(reference) != "people":
        raise parser.fail(
            f"{place}.people_from",
            f"{reference!r} is no register fact that lists people (like population.household)",
        )
    return reference


def people_options(parser: Parsing, raw: dict[str, Any], place: str) -> tuple[Option, ...]:
    """The exclusive "no one" option (`none_option`: its text) of a several_people question."""
    if "none_option" not in raw:
        return ()
    if raw.get("type") != "several_people":
        raise parser.fail(f"{place}.none_option", "only a several_people question has one")
    return (Option(NONE, parser.text(raw["none_option"], f"{place}.none_option"), True),)


def check_includes(parser: Parsing, place: str, operator: str, value: Any, people: bool) -> None:
    """`includes` asks a several_people question whether a kind of person was chosen."""
    if operator != "includes":
        return
    if not people:
        raise parser.fail(place, "'includes' is asked of a several_people question")
    if value not in KINDS:
        raise parser.fail(place, f"'includes' takes one of {', '.join(KINDS)}, not {value!r}")


def derived_fields(questions: tuple[Question, ...]) -> set[str]:
    """The fields a step may name as a part of the people chosen: `<question>.children`,
    `<question>.spouse`."""
    return {
        f"{question.id}.{part}"
        for question in questions
        if question.type == "several_people"
        for part in DERIVED_TEXTS
    }
