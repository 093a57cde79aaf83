"""The open life-event catalogue and its rules: no login needed."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from webargs.flaskparser import abort

from contactpoint.api.blueprint import Blueprint
from contactpoint.api.catalogue_schemas import Evaluation, LifeEventDetailSchema, LifeEventSummary
from contactpoint.api.request_schemas import EvaluateRequest
from contactpoint.citizen.presenters import life_event_summary, life_event_view, plan_view
from contactpoint.platform.i18n import current_language
from workflows import LifeEvent, applicable_questions, catalogue, check_answers, plan_steps

blp = Blueprint(
    "life_events",
    __name__,
    url_prefix="/api/v1/life-events",
    description="Life events, their questions, steps and rules (open, no login).",
)


def _event(event_id: str) -> LifeEvent:
    event = catalogue().get(event_id)
    if event is None:
        abort(404, message=f"There is no life event {event_id!r}.")
    return event


@blp.route("")
class LifeEvents(MethodView):
    @blp.response(200, LifeEventSummary(many=True))
    def get(self) -> list[dict[str, Any]]:
        """List the life events (`?lang=sv|en`)."""
        language = current_language()
        return [life_event_summary(event, language) for event in catalogue().values()]


@blp.route("/<life_event:event_id>")
class LifeEventDetail(MethodView):
    @blp.response(200, LifeEventDetailSchema)
    def get(self, event_id: str) -> dict[str, Any]:
        """A life event: questions, steps, the rules deciding them, and example answers."""
        return life_event_view(_event(event_id), current_language())


@blp.route("/<life_event:event_id>/evaluate")
class Evaluate(MethodView):
    @blp.arguments(EvaluateRequest)
    @blp.response(200, Evaluation)
    def post(self, body: dict[str, Any], event_id: str) -> dict[str, Any]:
        """Which questions are asked and which steps apply to these (possibly partial) answers."""
        event = _event(event_id)
        check = check_answers(event, body["answers"])
        if check.invalid:
            abort(422, message="Some answers are not valid.", errors={"answers": check.invalid})
        language = current_language()
        return {
            "life_event": event.id,
            "questions": [q.id for q in applicable_questions(event, check.clean)],
            "unanswered": check.missing,
            "complete": not check.missing,
            "steps": [
                plan_view(plan, language, check.clean) for plan in plan_steps(event, check.clean)
            ],
        }
