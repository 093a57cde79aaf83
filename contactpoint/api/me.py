"""The caller's own data: the sharing log and the export of everything held about them."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask.views import MethodView
from marshmallow import Schema, fields

from contactpoint.api.access import citizen_first
from contactpoint.api.blueprint import Blueprint
from contactpoint.api.schemas import DataShareSchema
from contactpoint.auth import api_citizen
from contactpoint.citizen.export import export_person, export_schema
from contactpoint.citizen.sharing import data_shares
from contactpoint.platform.i18n import current_language

blp = Blueprint(
    "me",
    __name__,
    url_prefix="/api/v1/me",
    description="The logged-in citizen's own data: who has it, and all of it to take along.",
)
SECURITY: list[dict[str, list[str]]] = [{"bearerAuth": []}]


# The export's own JSON Schema (`/me/export/schema`) says what it holds, field by field.
EXPORT = {"type": "object", "description": "Everything held about the caller."}
JSON_SCHEMA = {"type": "object", "description": "A JSON Schema (2020-12)."}


class ShareArgs(Schema):
    agency = fields.String(
        load_default=None, metadata={"description": "Only entries for this agency."}
    )


@blp.route("/data-shares")
class DataShares(MethodView):
    @blp.doc(security=SECURITY)
    @citizen_first
    @blp.arguments(ShareArgs, location="query")
    @blp.response(200, DataShareSchema(many=True))
    def get(self, args: dict[str, Any]) -> list[dict[str, Any]]:
        """Who has my data: every transfer to an agency, every register read and every read
        at an agency (`kind`: `transfer`, `register_read`, `view`), newest first.

        Each entry names the fields (never their values), when, for which case and step,
        and on what basis; a view names the reader's role at the agency, never the person.
        """
        person = api_citizen()
        return data_shares(person, args.get("agency"), current_language())


@blp.route("/export")
class Export(MethodView):
    @blp.doc(security=SECURITY)
    @blp.alt_response(200, schema=EXPORT, description="The export.", success=True)
    def get(self) -> Any:
        """Everything held about the caller as one JSON document (see `/me/export/schema`)."""
        person = api_citizen()
        response = jsonify(export_person(person, current_language()))
        response.headers["Content-Disposition"] = 'attachment; filename="kontaktpunkt-export.json"'
        response.headers["Cache-Control"] = "no-store"
        return response


@blp.route("/export/schema")
class ExportSchema(MethodView):
    @blp.alt_response(200, schema=JSON_SCHEMA, description="The schema.", success=True)
    def get(self) -> dict[str, Any]:
        """The JSON Schema that documents the export (open, no login)."""
        return export_schema()
