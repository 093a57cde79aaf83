"""Agency callbacks: an agency's later decision on a step waiting for it, signed per agency."""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa
from flask import request
from flask.views import MethodView
from marshmallow import ValidationError
from webargs.flaskparser import abort

from contactpoint.api.blueprint import Blueprint
from contactpoint.api.schemas import CallbackRequest, CallbackResponse
from contactpoint.api.signatures import SIGNATURE_HEADER, verify
from contactpoint.db.models import AgencyCallback, Step
from contactpoint.extensions import db
from workflows import AGENCIES, Decision, DecisionError, engine, runtime

log = logging.getLogger(__name__)

blp = Blueprint(
    "callbacks",
    __name__,
    url_prefix="/api/v1/callbacks",
    description=(
        "An agency system's later answer on a step waiting for it. Signed with the agency's "
        f"secret: `{SIGNATURE_HEADER}: t=<unix seconds>,v1=<hex HMAC-SHA256 of '<t>.<body>'>`. "
        "Each callback has an `id`; the same id twice is applied once."
    ),
)


def _seen(agency: str, callback_id: str) -> bool:
    found = db.session.scalar(
        sa.select(AgencyCallback.id).where(
            AgencyCallback.agency == agency, AgencyCallback.callback_id == callback_id
        )
    )
    return found is not None


def _remember(agency: str, body: dict[str, Any]) -> None:
    db.session.add(
        AgencyCallback(
            agency=agency,
            callback_id=body["id"],
            step_id=body["step_id"],
            decision=body["decision"],
        )
    )
    try:
        db.session.commit()
    except sa.exc.IntegrityError:  # the same callback, applied by a concurrent delivery
        db.session.rollback()


@blp.route("/<agency:agency>")
class Callbacks(MethodView):
    @blp.doc(
        requestBody={"content": {"application/json": {"schema": CallbackRequest}}},
        responses={"401": {"description": "Unsigned or wrongly signed."}},
    )
    @blp.response(200, CallbackResponse)
    def post(self, agency: str) -> dict[str, Any]:
        """Apply an agency's decision (approve, reject, complement) to a step waiting for it."""
        if agency not in AGENCIES:
            abort(404, message="There is no such agency.")
        refused = verify(agency, request.headers.get(SIGNATURE_HEADER), request.get_data())
        if refused:
            log.warning("callback from %s refused: %s", agency, refused)
            abort(401, message="The callback is not signed with this agency's secret.")
        try:
            body = CallbackRequest().load(request.get_json(silent=True) or {})
        except ValidationError as error:
            abort(422, errors={"json": error.messages})
        if _seen(agency, body["id"]):
            return {"status": "duplicate", "step_id": body["step_id"]}
        step = db.session.get(Step, body["step_id"])
        if step is None or step.agency != agency:
            abort(404, message="There is no such step for this agency.")
        decision = Decision(
            kind=body["decision"],
            actor=f"agency:{agency}",
            reference=body.get("reference"),
            reason=body.get("reason"),
            question=body.get("question"),
        )
        current = runtime.current()
        try:
            applied = engine.decide(current.store, current.dispatcher, step.id, decision)
        except DecisionError as error:
            abort(422, errors={"json": {"decision": [str(error)]}})
        if not applied:
            abort(409, message="The step is not waiting for this agency's decision.")
        _remember(agency, body)
        log.info("callback %s from %s applied to step %s", body["id"], agency, step.id)
        return {"status": "applied", "step_id": step.id}
