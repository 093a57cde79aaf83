"""How a person the register lists is named on a page: first name, year of birth, relation;
a child not yet named by the date of birth. Never by the personal identity number."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..declarations import Text

RELATIONS: dict[str, Text] = {
    "spouse": {"sv": "make, maka eller partner", "en": "spouse or partner"},
    "child": {"sv": "barn", "en": "child"},
}
MONTHS = {
    "sv": "januari februari mars april maj juni juli augusti september oktober november december",
    "en": "January February March April May June July August September October November December",
}
# The words for the fields a step may name as `<question>.<part>`.
DERIVED_TEXTS: dict[str, Text] = {
    "children": {
        "sv": "Barnen som flyttar med: namn och personnummer",
        "en": "The children who move with you: name and personal identity number",
    },
    "spouse": {
        "sv": "Din make, maka eller partner som flyttar med: namn och personnummer",
        "en": "Your spouse or partner who moves with you: name and personal identity number",
    },
}


def _birth_date(member: Mapping[str, Any], language: str) -> str:
    number = str(member.get("personal_number") or "")
    if len(number) < 8 or not number[:8].isdigit():
        return str(member.get("born") or "")
    month = MONTHS[language].split()[int(number[4:6]) - 1]
    return f"{int(number[6:8])} {month} {number[:4]}"


def member_text(member: Mapping[str, Any]) -> Text:
    """ "Maja, född 2015 (barn)"; a child without a first name yet: "Ditt barn, fött 18
    november 2026"."""
    relation = RELATIONS.get(str(member.get("relation")), RELATIONS["child"])
    first = str(member.get("first_name") or "")
    if not first:
        return {
            "sv": f"Ditt barn, fött {_birth_date(member, 'sv')}",
            "en": f"Your child, born {_birth_date(member, 'en')}",
        }
    born = member.get("born")
    return {
        "sv": f"{first}, född {born} ({relation['sv']})",
        "en": f"{first}, born {born} ({relation['en']})",
    }
