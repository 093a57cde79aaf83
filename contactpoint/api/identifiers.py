"""The ids a client names in the API, listed in the OpenAPI document: life events, agencies.

A path segment or a body field that takes one documents the catalogue's ids as an enum, so a
client (and a generator of requests) knows the valid ones. Routing still takes any segment:
the view answers an unknown id with its own 404 or 422, as before.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_smorest import Api
from marshmallow import fields
from werkzeug.routing import BaseConverter

from workflows import AGENCIES, catalogue


class LifeEventSegment(BaseConverter):
    """`<life_event:event_id>`: a life event's id in a path."""


class AgencySegment(BaseConverter):
    """`<agency:agency>`: an agency's id in a path."""


class LifeEventId(fields.String):
    """A body field that names a life event."""


class AgencyId(fields.String):
    """A body field that names an agency."""


def life_event_ids() -> list[str]:
    """Every life event's id, in the catalogue's order."""
    return list(catalogue())


def agency_ids() -> list[str]:
    """Every agency's id."""
    return sorted(AGENCIES)


def _enum(ids: list[str]) -> dict[str, Any]:
    return {"type": "string", "enum": ids}


def _id_field(_converter: Any, field: fields.Field, **_kwargs: Any) -> dict[str, Any]:
    if isinstance(field, LifeEventId):
        return {"enum": life_event_ids()}
    if isinstance(field, AgencyId):
        return {"enum": agency_ids()}
    return {}


def register_identifiers(app: Flask, api: Api) -> None:
    """Route the segments, and document them and the fields as enums of the catalogue's ids.

    Before the blueprints are registered: their rules use the segments, and their documents
    are written as they are registered.
    """
    app.url_map.converters["life_event"] = LifeEventSegment
    app.url_map.converters["agency"] = AgencySegment
    api.flask_plugin.register_converter(LifeEventSegment, lambda _c: _enum(life_event_ids()))
    api.flask_plugin.register_converter(AgencySegment, lambda _c: _enum(agency_ids()))
    api.ma_plugin.converter.add_attribute_function(_id_field)
