"""The answer of `kundhandelseFragaSynkron` in the standard's words: the customer events of
each party, the query echoed back, and a subquery's outcome per party."""

from __future__ import annotations

from marshmallow import Schema, fields

from contactpoint.mina_arenden.schemas import Behandling, Part

# A customer event's own type: the prefix, the case type, the event type and deeper.
EVENT_TYPE = r"^[A-Z]+(\.[A-Z0-9_]+){2,}$"


class Kundhandelse(Schema):
    kundhandelseId = fields.String(
        metadata={"description": "Stable: the same event has the same id at every query."}
    )
    rubrik = fields.String(metadata={"description": "The step (or life event) and its status."})
    beskrivning = fields.String(metadata={"description": "What happened, and who must act."})
    sprak = fields.String(metadata={"example": "sv"})
    producent = fields.String(metadata={"example": "Kontaktpunkt"})
    tidpunkt = fields.String(
        metadata={"description": "RFC 3339, Swedish time.", "example": "2026-11-25T10:15:00+01:00"}
    )
    kundhandelseTyp = fields.String(
        metadata={
            "description": "PREFIX.LIFE_EVENT.EVENT for the case, PREFIX.LIFE_EVENT.STEP.EVENT"
            " for a step.",
            "example": "KONTAKTPUNKT.MOVING.CHANGE_OF_ADDRESS.DONE",
            "pattern": EVENT_TYPE,
        }
    )
    producentarendetKraverKundatgard = fields.Boolean(
        metadata={"description": "The ball was with the citizen after this event."}
    )
    producentarendetKlart = fields.Boolean(
        metadata={"description": "The case had ended after this event."}
    )
    version = fields.String(metadata={"description": "The standard's version.", "example": "6.1"})
    referenser = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        metadata={
            "description": "`Producentarendereferens`: the case's reference;"
            " `Diarienummer`: the agency's reference of the event's step, once it has one."
        },
    )
    taggar = fields.List(
        fields.String(), metadata={"description": "The life event's id, and the step's agency."}
    )


class KundhandelserForPart(Schema):
    part = fields.Nested(Part)
    totaltAntalKundhandelser = fields.Integer(
        metadata={"description": "How many events match, before pagination."}
    )
    kundhandelserForPart = fields.List(fields.Nested(Kundhandelse))


class Metadata(Schema):
    parter = fields.List(fields.Nested(Part))
    kundhandelseTyper = fields.List(fields.String())
    taggar = fields.List(fields.String())
    startDatum = fields.String()
    slutDatum = fields.String()
    onskatSprak = fields.String(
        metadata={"description": "The language answered in, from Accept-Language: sv or en."}
    )
    behandling = fields.Nested(Behandling)


class Delfraga(Schema):
    producent = fields.String()
    part = fields.Nested(Part)
    status = fields.String(metadata={"example": "OK"})
    httpCode = fields.Integer(metadata={"example": 200})


class KundhandelseFragaResponse(Schema):
    kundhandelser = fields.List(fields.Nested(KundhandelserForPart))
    metadata = fields.Nested(Metadata)
    delfragor = fields.List(fields.Nested(Delfraga))


class MinaArendenError(Schema):
    message = fields.String(
        metadata={"example": "Bad request: fraga.parter[0].kund.identifierare: must be 12 digits"}
    )
