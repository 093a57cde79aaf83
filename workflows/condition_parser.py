"""A condition in a life event's definition (`when`, `all`, `any`, `not`, one comparison),
parsed and checked against the questions declared before it."""

from __future__ import annotations

from typing import Any, Literal, Protocol

from agencies.municipalities import is_code

from .declarations import OPERATORS, Condition
from .people.parsing import Parsing, check_includes


class ConditionParsing(Parsing, Protocol):
    """The definition parser, as a condition's parsing uses it."""

    people_questions: set[str]
    municipality_questions: set[str]


def parse_condition(
    parser: ConditionParsing, raw: Any, place: str, questions: set[str]
) -> Condition:
    """Parse a condition; it may only read questions declared before it."""
    if not isinstance(raw, dict) or len(raw) == 0:
        raise parser.fail(place, "a condition is a mapping")
    if "all" in raw or "any" in raw:
        kind: Literal["all", "any"] = "all" if "all" in raw else "any"
        items = raw[kind]
        if not isinstance(items, list) or not items:
            raise parser.fail(place, f"'{kind}' needs a list of conditions")
        children = tuple(
            parse_condition(parser, item, f"{place}.{kind}[{i}]", questions)
            for i, item in enumerate(items)
        )
        return Condition(kind=kind, children=children)
    if "not" in raw:
        return Condition(
            kind="not", children=(parse_condition(parser, raw["not"], f"{place}.not", questions),)
        )
    answer = raw.get("answer")
    if answer not in questions:
        raise parser.fail(place, f"condition on unknown question {answer!r}")
    operators = [key for key in raw if key != "answer"]
    if len(operators) != 1 or operators[0] not in OPERATORS:
        raise parser.fail(place, f"a condition needs one of {', '.join(OPERATORS)}")
    value = raw[operators[0]]
    check_includes(parser, place, operators[0], value, answer in parser.people_questions)
    if answer in parser.municipality_questions:
        codes = value if isinstance(value, list) else [value]
        unknown = [code for code in codes if not is_code(code)]
        if unknown:
            raise parser.fail(place, f"unknown municipality code {unknown[0]!r}")
    return Condition(kind="compare", answer=answer, operator=operators[0], value=value)
