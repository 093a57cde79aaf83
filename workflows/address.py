"""The `address` question type: a Swedish postal address in three parts."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from marshmallow import fields

PARTS = ("street", "postal_code", "city")
# The longest street and town a part may be (a postcode is five digits).
LONGEST = {"street": 100, "city": 60}
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
        "street_long": f"A street address has at most {LONGEST['street']} characters.",
        "city_long": f"A town has at most {LONGEST['city']} characters.",
    }

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> dict[str, str]:
        if not isinstance(value, Mapping) or set(value) - set(PARTS):
            raise self.make_error("invalid")
        street, postal, city = (" ".join(str(value.get(p) or "").split()) for p in PARTS)
        if not street:
            raise self.make_error("street")
        if len(street) > LONGEST["street"]:
            raise self.make_error("street_long")
        match = POSTAL_CODE.match(postal)
        if match is None:
            raise self.make_error("postal_code")
        if not city:
            raise self.make_error("city")
        if len(city) > LONGEST["city"]:
            raise self.make_error("city_long")
        return {"street": street, "postal_code": f"{match[1]} {match[2]}", "city": city}


def display_address(value: Any) -> str:
    """An address on one line, as on an envelope."""
    if not isinstance(value, Mapping):
        return str(value)
    return f"{value.get('street', '')}, {value.get('postal_code', '')} {value.get('city', '')}"
