"""`POST /api/v1/mina-arenden/kundhandelseFragaSynkron`: the query Skatteverket's forwarding
service sends every producer of Mina ärenden.

Who calls is checked before what was sent: no key configured, the endpoint is not offered
(404); a wrong or missing `X-API-Key`, 401 (and counted per address: past the limit, 429);
then the header `skv_client_correlation_id` (400 without it), the content type (415), the
query (400 naming what is wrong). Every error here is `{"message": ...}` only, as the
standard's. The correlation id goes into every log line of the request; personal numbers
into none.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

from flask import Response, current_app, jsonify, request
from flask.views import MethodView
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from contactpoint.api.blueprint import Blueprint
from contactpoint.mina_arenden.answer import Producer, answer
from contactpoint.mina_arenden.answer_schemas import KundhandelseFragaResponse, MinaArendenError
from contactpoint.mina_arenden.keys import matching_key
from contactpoint.mina_arenden.schemas import KundhandelseFragaRequest
from contactpoint.platform.errors import message_only
from contactpoint.platform.i18n import DEFAULT_LANGUAGE, LANGUAGES
from contactpoint.platform.observability.logs import bound
from contactpoint.platform.rate_limits import RateLimited
from contactpoint.platform.rate_limits import current as rate_limits

log = logging.getLogger(__name__)

blp = Blueprint(
    "mina_arenden",
    __name__,
    url_prefix="/api/v1/mina-arenden",
    description="Mina ärenden: customer events for Skatteverket's forwarding service (API key).",
)
SECURITY_SCHEME = "minaArendenApiKey"
CORRELATION_HEADER = "skv_client_correlation_id"
# Printable ASCII, 1 to 200 characters, not only spaces.
CORRELATION_ID = re.compile(r"(?=.*[\x21-\x7e])[\x20-\x7e]{1,200}")
QUERY = KundhandelseFragaRequest()
HEADERS = [
    {
        "in": "header",
        "name": CORRELATION_HEADER,
        "required": True,
        "description": "The call's id along the chain from the consumer through Skatteverket:"
        " printable ASCII, 1 to 200 characters. It is written in every log line of the call.",
        "schema": {"type": "string", "minLength": 1, "maxLength": 200},
    },
    {
        "in": "header",
        "name": "Accept-Language",
        "required": False,
        "description": "The language of `rubrik` and `beskrivning`: `sv` (the default) or `en`.",
        "schema": {"type": "string", "example": "sv"},
    },
]


class Refused(Exception):
    """The call is refused with this status and message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def _refusal(error: Refused) -> Response:
    response = jsonify(message=error.message)
    response.status_code = error.status
    return response


# Every other refusal at this address too (a NUL character refused before the view, the limit
# of wrong keys): the standard's errors hold a message and nothing else.
blp.register_error_handler(HTTPException, message_only)
blp.register_error_handler(RateLimited, message_only)


@blp.route("/kundhandelseFragaSynkron")
class KundhandelseFragaSynkron(MethodView):
    @blp.doc(
        security=[{SECURITY_SCHEME: []}],
        parameters=HEADERS,
        requestBody={
            "required": True,
            "content": {"application/json": {"schema": KundhandelseFragaRequest}},
        },
    )
    @blp.response(200, KundhandelseFragaResponse)
    @blp.alt_response(400, schema=MinaArendenError, description="What is wrong in the query.")
    @blp.alt_response(401, schema=MinaArendenError, description="No key, or a wrong one.")
    @blp.alt_response(404, schema=MinaArendenError, description="No key is configured.")
    @blp.alt_response(415, schema=MinaArendenError, description="Not application/json.")
    @blp.alt_response(
        429,
        schema=MinaArendenError,
        description="Too many wrong keys from this address in a while (Retry-After).",
    )
    def post(self) -> Any:
        """The customer events of each party asked about: the cases they made, or that were
        made on their behalf, filtered, sorted and paged as the query says.

        Answers the query of Skatteverket's API "Mina ärenden kundhändelser" 1.0.0 (standard
        6.1). Each event is a change of a case or of one of its steps, worded as the citizen
        reads it on My pages, in the language of `Accept-Language`.
        """
        try:
            place = _caller()
            correlation_id = _correlation_id()
            with bound(correlation_id=correlation_id):
                body = _answered(place, correlation_id)
            return body, 200, {"Cache-Control": "no-store"}  # a person's cases: kept by none
        except Refused as error:
            return _refusal(error)


def _caller() -> int:
    """The place of the caller's key among those configured; else refused."""
    digests = current_app.config["MINA_ARENDEN_KEY_HASHES"]
    if not digests:
        raise Refused(404, "There is nothing here.")
    address = request.remote_addr or "unknown"
    rate_limits().check("mina_arenden_key_failures", address)
    place = matching_key(request.headers.get("X-API-Key"), digests)
    if place is None:
        rate_limits().count("mina_arenden_key_failures", address)
        log.warning("Mina ärenden query refused: no key or a wrong one in X-API-Key")
        raise Refused(401, "Unauthorized: send a valid key in the header X-API-Key.")
    return place


def _correlation_id() -> str:
    found = request.headers.get(CORRELATION_HEADER, "")
    if not CORRELATION_ID.fullmatch(found):
        raise Refused(
            400,
            f"Bad request: the header {CORRELATION_HEADER} is required: printable ASCII, "
            "1 to 200 characters.",
        )
    return found


def _answered(place: int, correlation_id: str) -> dict[str, Any]:
    """The answer to the query sent, or refused with what is wrong in it."""
    if not request.is_json:
        raise Refused(415, "Unsupported media type: send the query as application/json.")
    body = request.get_json(silent=True)
    if body is None:
        raise Refused(400, "Bad request: the body is not JSON, or nests deeper than 32 levels.")
    try:
        query = QUERY.load(body)
    except ValidationError as error:
        said = "; ".join(_violations(error.messages))
        log.info("Mina ärenden query %s refused: %s", correlation_id, said)
        raise Refused(400, f"Bad request: {said}") from None
    language = request.accept_languages.best_match(LANGUAGES, default=DEFAULT_LANGUAGE)
    config = current_app.config
    producer = Producer(config["MINA_ARENDEN_PRODUCER"], config["MINA_ARENDEN_PREFIX"])
    found = answer(query, language, producer)
    log.info(
        "Mina ärenden query %s answered with key %d: %d parties, %d events",
        correlation_id,
        place,
        len(query["fraga"]["parter"]),
        found.events,
    )
    return found.body


def _violations(messages: Any, place: str = "") -> list[str]:
    """Marshmallow's messages as `fraga.parter[0].kund.identifierare: must be 12 digits`."""
    if isinstance(messages, Mapping):
        found = []
        for key, value in messages.items():
            if key == "_schema":
                below = place
            elif isinstance(key, int):
                below = f"{place}[{key}]"
            else:
                below = f"{place}.{key}" if place else str(key)
            found.extend(_violations(value, below))
        return found
    if isinstance(messages, list | tuple):
        return [item for message in messages for item in _violations(message, place)]
    return [f"{place or 'the query'}: {str(messages).rstrip('.')}"]
