"""Once only in the API: what the registers already know, and exactly what each agency receives."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from webargs.flaskparser import abort

from contactpoint.api.access import citizen_first
from contactpoint.api.blueprint import Blueprint
from contactpoint.api.once_only_schemas import PrefillSchema, PreviewSchema
from contactpoint.api.request_schemas import WithAnswers, question_ids
from contactpoint.auth import api_citizen
from contactpoint.citizen.people import listed_view, not_listed_message, resolve_people
from contactpoint.citizen.prefill import log_reads, offers, register_name, resolve_answers
from contactpoint.citizen.sharing import preview_view, source_text
from contactpoint.extensions import db
from contactpoint.joint import joint_plans
from contactpoint.platform.i18n import current_language
from workflows import LifeEvent, catalogue, check_answers, plan_case, sources_for

blp = Blueprint(
    "once_only",
    __name__,
    url_prefix="/api/v1/life-events",
    description="What is already known about the caller, and the preview before consent.",
)
SECURITY: list[dict[str, list[str]]] = [{"bearerAuth": []}]


class PreviewRequest(WithAnswers):
    corrections = question_ids(
        load_default=list,
        metadata={"description": "Prefilled questions the citizen says the register has wrong."},
    )


def _event(event_id: str) -> LifeEvent:
    event = catalogue().get(event_id)
    if event is None:
        abort(404, message=f"There is no life event {event_id!r}.")
    return event


def check_corrections(event: LifeEvent, body: dict[str, Any]) -> list[str]:
    """Corrections name prefilled questions the caller gives their own value for."""
    prefilled = {q.id for q in event.questions if q.prefill}
    wrong = {
        key: ["Only a question a register answers can be corrected, with your own value."]
        for key in body.get("corrections") or []
        if key not in prefilled or key not in body["answers"]
    }
    if wrong:
        abort(422, errors={"json": {"corrections": wrong}})
    return list(body.get("corrections") or [])


@blp.route("/<life_event:event_id>/prefill")
class Prefill(MethodView):
    @blp.doc(security=SECURITY)
    @blp.response(200, PrefillSchema)
    def get(self, event_id: str) -> dict[str, Any]:
        """The facts the registers hold for this life event's questions, with their source.

        The registers are read now, at the source, and each read is logged in the caller's
        sharing log. A register that does not answer is named: its questions are asked.
        """
        person = api_citizen()
        event = _event(event_id)
        language = current_language()
        answers, sources, reads, listed = resolve_answers(person, event, {}, ())
        log_reads(person, reads, event.id)
        people = listed_view(person, event, language, listed)  # other reads logged as well
        db.session.commit()
        facts, unavailable = [], []
        for question in event.questions:
            source = sources.get(question.id) or {}
            if question.id in answers:
                facts.append(
                    {"question": question.id, "value": answers[question.id], "source": source}
                    | {"source_text": source_text(source, language)}
                )
            elif source.get("reason") == "register_unavailable":
                unavailable.append({"question": question.id, "register": source["register"]})
        return {
            "life_event": event.id,
            "facts": facts,
            "unavailable": unavailable,
            "registers_read": [
                {"register": r.register, "name": register_name(r.register, language)}
                | {"agency": r.agency, "facts": list(r.facts), "at": r.at}
                for r in reads
            ],
            "offers": [
                {"question": o.question, "value": o.value, "case_id": o.case_id}
                | {"case_reference": o.case_reference, "life_event": o.life_event}
                for o in offers(person, event, {}).values()
            ],
            "people": people,
        }


@blp.route("/<life_event:event_id>/preview")
class Preview(MethodView):
    @blp.doc(security=SECURITY)
    @citizen_first
    @blp.arguments(PreviewRequest)
    @blp.response(200, PreviewSchema)
    def post(self, body: dict[str, Any], event_id: str) -> dict[str, Any]:
        """Per agency, exactly the fields (and values) each step would receive, and why.

        Send the returned `digest` as `preview_digest` with the case: if what would be sent
        has changed since, the case is refused rather than sent.
        """
        person = api_citizen()
        event = _event(event_id)
        corrections = check_corrections(event, body)
        found = resolve_answers(person, event, body["answers"], corrections)
        answers, not_listed = resolve_people(
            person, event, found.answers, found.reads, found.people
        )
        sources, reads = found.sources, found.reads
        log_reads(person, reads, event.id)
        db.session.commit()
        check = check_answers(event, answers)
        if not_listed:
            errors = {"json": {"answers": not_listed}}
            abort(422, errors=errors, message=not_listed_message(not_listed))
        if check.invalid:
            abort(422, errors={"json": {"answers": check.invalid}})
        sources = sources_for(event, check.clean, sources)
        plans, _first = joint_plans(
            person, event, check.clean, plan_case(event, check.clean, sources)
        )
        view = preview_view(event, plans, check.clean, sources, person, current_language())
        return (
            {"life_event": event.id, "complete": not check.missing}
            | {"unanswered": check.missing}
            | view
        )
