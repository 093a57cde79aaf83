"""The marshmallow field of one entry of a several_people answer, as it is kept: a person
the register listed (number, name, first name, year of birth, relation), or `none`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import fields
from stdnum.exceptions import ValidationError as NumberError
from stdnum.se import personnummer

from .parsing import NONE
from .texts import RELATIONS

NOT_LISTED_ANY = "Choose from the people the population register lists for you."


class ChosenPerson(fields.Field):
    """One entry of a kept several_people answer; a typed number or key is resolved against
    the register first (`workflows.people.resolve`), never taken on trust here."""

    default_error_messages = {"not_listed": NOT_LISTED_ANY}

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        if value == NONE:
            return NONE
        if not isinstance(value, Mapping) or value.get("relation") not in RELATIONS:
            raise self.make_error("not_listed")
        try:
            number = str(value.get("personal_number") or "")
            personnummer.validate(number)
            born = int(value.get("born") or number[:4])
        except (NumberError, TypeError, ValueError) as error:
            raise self.make_error("not_listed") from error
        return {
            "personal_number": f"{personnummer.get_birth_date(number):%Y%m%d}-{number[-4:]}",
            "name": str(value.get("name") or ""),
            "first_name": str(value.get("first_name") or ""),
            "born": born,
            "relation": str(value["relation"]),
        }
