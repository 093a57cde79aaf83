"""The query of `kundhandelseFragaSynkron`, as Skatteverket's API "Mina ärenden kundhändelser"
1.0.0 names it: Swedish field names, the standard's limits. The answer: `answer_schemas`.

Fields the standard may add later are left out of what is read (`EXCLUDE`): a producer keeps
answering when the forwarding service sends more than this version knows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

CUSTOMER_TYPES = ("Personnummer", "Organisationsnummer", "Samordningsnummer")
CASE_TYPES = ("Konsumentreferens", "Producentarendereferens", "Diarienummer", "Kvittensnummer")
SORT_ATTRIBUTES = (
    "RUBRIK",
    "BESKRIVNING",
    "PRODUCENT",
    "TIDPUNKT",
    "KUNDHANDELSETYP",
    "PRODUCENTARENDETKRAVERKUNDATGARD",
    "PRODUCENTARENDETKLART",
)
MAX_PARTIES = MAX_TYPES = MAX_TAGS = 100
MAX_LIMIT = 1000
TWELVE_DIGITS = r"^\d{12}$"
DATE = r"^\d{4}-\d{2}-\d{2}$"
# A type asked for: the prefix alone or any part of the way down (`KONTAKTPUNKT.MOVING`).
TYPE_ASKED = r"^[A-Z]+(\.[A-Z0-9_]+)*$"


class Read(Schema):
    class Meta:
        unknown = EXCLUDE


class Kund(Read):
    identifierare = fields.String(
        required=True,
        validate=validate.Regexp(TWELVE_DIGITS, error="must be 12 digits"),
        metadata={"description": "The customer's number, 12 digits.", "example": "198503122387"},
    )
    typ = fields.String(required=True, validate=validate.OneOf(CUSTOMER_TYPES))
    tillagg = fields.String(
        allow_none=True,
        validate=validate.Length(max=20),
        metadata={"description": "Tells several sole traders of one person apart."},
    )


class Arende(Read):
    identifierare = fields.String(required=True, validate=validate.Length(min=1, max=100))
    typ = fields.String(
        required=True,
        validate=validate.OneOf(CASE_TYPES),
        metadata={
            "description": "`Producentarendereferens`: Kontaktpunkt's case reference (KP-…);"
            " `Diarienummer`: the agency's reference of a step. The others match nothing here."
        },
    )


class Part(Read):
    kund = fields.Nested(Kund)
    arende = fields.Nested(Arende)

    @validates_schema
    def names_someone(self, data: dict[str, Any], **_kwargs: Any) -> None:
        """A party is a customer, a case, or both (then both must match)."""
        if not data.get("kund") and not data.get("arende"):
            raise ValidationError("needs a kund, an arende or both")


class Sortering(Read):
    attribut = fields.String(required=True, validate=validate.OneOf(SORT_ATTRIBUTES))
    stigande = fields.Boolean(required=True)


class Paginering(Read):
    offset = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))
    limit = fields.Integer(
        strict=True,
        validate=validate.Range(min=1, max=MAX_LIMIT),
        metadata={"description": "Without it: every event from `offset` on."},
    )


class Behandling(Read):
    sortering = fields.List(
        fields.Nested(Sortering), metadata={"description": "In priority order."}
    )
    paginering = fields.Nested(Paginering, metadata={"description": "Needs a sortering."})

    @validates_schema
    def pages_need_an_order(self, data: dict[str, Any], **_kwargs: Any) -> None:
        """Pages of an unordered list would overlap: pagination needs a sorting."""
        if data.get("paginering") and not data.get("sortering"):
            raise ValidationError({"paginering": ["needs a sortering"]})


class Fraga(Read):
    parter = fields.List(
        fields.Nested(Part),
        required=True,
        validate=validate.Length(min=1, max=MAX_PARTIES),
    )
    kundhandelseTyper = fields.List(
        fields.String(
            validate=[
                validate.Length(max=200),
                validate.Regexp(TYPE_ASKED, error="must be like KONTAKTPUNKT.MOVING"),
            ]
        ),
        validate=validate.Length(max=MAX_TYPES),
        metadata={"description": "A type matches itself and every type under it."},
    )
    taggar = fields.List(
        fields.String(validate=validate.Length(min=1, max=100)),
        validate=validate.Length(max=MAX_TAGS),
        metadata={"description": "At least one of them must be on the event."},
    )
    startDatum = fields.String(
        validate=validate.Regexp(DATE, error="must be a date, YYYY-MM-DD"),
        metadata={"description": "From this date on, inclusive, in Swedish time."},
    )
    slutDatum = fields.String(
        validate=validate.Regexp(DATE, error="must be a date, YYYY-MM-DD"),
        metadata={"description": "Up to this date, inclusive, in Swedish time."},
    )
    behandling = fields.Nested(Behandling)

    @validates_schema
    def dates_in_order(self, data: dict[str, Any], **_kwargs: Any) -> None:
        """Real dates, the start not after the end."""
        found = {}
        for name in ("startDatum", "slutDatum"):
            if data.get(name):
                try:
                    found[name] = dt.date.fromisoformat(data[name])
                except ValueError:
                    raise ValidationError({name: ["is not a date"]}) from None
        if len(found) == 2 and found["startDatum"] > found["slutDatum"]:
            raise ValidationError({"startDatum": ["is after slutDatum"]})


class KundhandelseFragaRequest(Read):
    fraga = fields.Nested(Fraga, required=True)
    anvandare = fields.String(
        required=True,
        validate=validate.Regexp(TWELVE_DIGITS, error="must be 12 digits"),
        metadata={"description": "The person asking: 12 digits. Never logged."},
    )
