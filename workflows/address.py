"""The `address` question type: a Swedish postal address in three parts."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from marshmallow import fields

PARTS = ("street", "postal_code", "city")
POSTAL_CODE = re.compile(r"^(\d{3}) ?(\d{2})$")


def is_blank_address(value: Any) -> bool:
    """An address with nothing typed in any part."""
    return isinstance(value, Mapping) and not any(str(value.get(p) or "").strip() for p in PARTS)


class Address(fields.Field):
    """A street address, a five-digit postcode and a postal town, as a mapping of the three."""

    default_error_messages = {
        "invalid": "An address is an object with street, postal_code and city.",
        "street": "Enter the street address.",
        "postal_code": "Enter a postcode of five digits.",
        "city": "Enter the town.",
    }

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> dict[str, str]:
        if not isinstance(value, Mapping) or set(value) - set(PARTS):
            raise self.make_error("invalid")
        street, postal, city = (" ".join(str(value.get(p) or "").split()) for p in PARTS)
        if not street or len(street) > 100:
            raise self.make_error("street")
        match = POSTAL_CODE.match(postal)
        if match is None:
            raise self.make_error("postal_code")
        if not city or len(city) > 60:
            raise self.make_error("city")
        return {"street": street, "postal_code": f"{match[1]} {match[2]}", "city": city}


def display_address(value: Any) -> str:
    """An address on one line, as on an envelope."""
    if not isinstance(value, Mapping):
        return str(value)
    return f"{value.get('street', '')}, {value.get('postal_code', '')} {value.get('city', '')}"
