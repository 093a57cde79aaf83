"""The open catalogues: the base registers and the agencies, read-only, no login.

Both are the declarations the code runs on (`agencies/catalogue.py`,
`agencies/registers/catalogue.py`, the life events' definitions), shown as they are: what a
register holds and who keeps it; who an agency is, what it does and which steps it receives.
They change only with a new version, so each answer carries an ETag and may be cached for an
hour (`If-None-Match` gets 304).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from flask import Response, current_app, request
from flask.views import MethodView

from contactpoint.api.blueprint import Blueprint
from contactpoint.api.catalogue_schemas import AgencyEntry, RegisterEntry
from contactpoint.citizen.presenters import agency_name, agency_role
from contactpoint.platform.i18n import current_language, text
from workflows import AGENCIES, REGISTERS, catalogue
from workflows.rules import may_receive

blp = Blueprint(
    "catalogues",
    __name__,
    url_prefix="/api/v1",
    description="The base registers and the agencies (open, no login).",
)
CACHE_CONTROL = "public, max-age=3600"


def _prefills(register: str, fact: str) -> list[dict[str, str]]:
    """The questions of the life events that this fact answers (once only)."""
    return [
        {"life_event": event.id, "question": question.id}
        for event in catalogue().values()
        for question in event.questions
        if question.prefill == f"{register}.{fact}"
    ]


def register_entries(language: str) -> list[dict[str, Any]]:
    """Every base register: its name, who keeps it and the facts it holds."""
    return [
        {
            "id": info.id,
            "name": text(info.name, language),
            "kept_by": {"id": info.agency, "name": agency_name(info.agency, language)},
            "facts": [
                {
                    "id": fact_id,
                    "type": fact.type,
                    "name": text(fact.text, language),
                    "prefills": _prefills(info.id, fact_id),
                }
                for fact_id, fact in info.facts.items()
            ],
        }
        for info in REGISTERS.values()
    ]


def agency_entries(language: str) -> list[dict[str, Any]]:
    """Every agency: its names, what it does, the registers it keeps, the steps it receives."""
    return [
        {
            "id": agency.id,
            "name": agency_name(agency.id, language),
            "role": agency_role(agency.id, language),
            "reference_prefix": agency.reference_prefix,
            "registers": [info.id for info in REGISTERS.values() if info.agency == agency.id],
            "issues": [
                {"field": name, "name": text(words, language)}
                for name, words in agency.issues.items()
            ],
            "steps": [
                {
                    "life_event": event.id,
                    "step": step.id,
                    "title": text(step.title, language),
                    "action": step.action,
                    "handling": step.handling,
                    "fields": list(step.fields),
                }
                for event in catalogue().values()
                for step in event.steps
                if may_receive(agency.id, step)
            ],
        }
        for agency in AGENCIES.values()
    ]


def cached(body: Any) -> Response:
    """The body as JSON with an ETag of its content; 304 when the client has it already."""
    data = json.dumps(body, ensure_ascii=False, sort_keys=True).encode()
    etag = hashlib.sha256(data).hexdigest()[:32]
    unchanged = request.if_none_match.contains(etag)
    return current_app.response_class(
        b"" if unchanged else data,
        status=304 if unchanged else 200,
        mimetype="application/json",
        headers={"ETag": f'"{etag}"', "Cache-Control": CACHE_CONTROL},
    )


@blp.route("/registers")
class Registers(MethodView):
    @blp.response(200, RegisterEntry(many=True))
    @blp.alt_response(304, description="Not modified: the `If-None-Match` ETag is current.")
    def get(self) -> Response:
        """The base registers (`?lang=sv|en`): the facts each holds, who keeps it, and the
        questions each fact answers so that the citizen is not asked."""
        return cached(RegisterEntry(many=True).dump(register_entries(current_language())))


@blp.route("/agencies")
class Agencies(MethodView):
    @blp.response(200, AgencyEntry(many=True))
    @blp.alt_response(304, description="Not modified: the `If-None-Match` ETag is current.")
    def get(self) -> Response:
        """The agencies (`?lang=sv|en`): who they are, what they do, the registers they keep
        and the steps of each life event they receive."""
        return cached(AgencyEntry(many=True).dump(agency_entries(current_language())))
