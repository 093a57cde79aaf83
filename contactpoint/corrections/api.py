"""A sent case's actions in the API: correct answers, withdraw it, answer an agency."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.views import MethodView
from webargs.flaskparser import abort

from contactpoint.api.access import citizen_first
from contactpoint.api.blueprint import Blueprint
from contactpoint.api.schemas import CaseSchema
from contactpoint.auth import api_citizen
from contactpoint.business.cases import may_still_act
from contactpoint.business.log import record_action
from contactpoint.citizen.cases import case_of
from contactpoint.citizen.sharing import citizen_case_view
from contactpoint.corrections.people import people_resolved
from contactpoint.corrections.schemas import (
    ComplementAnswerRequest,
    CorrectedCaseSchema,
    CorrectionPreviewRequest,
    CorrectionPreviewSchema,
    CorrectionRequest,
)
from contactpoint.corrections.views import correction_view
from contactpoint.db.case_records import case_record
from contactpoint.db.models import Case, Step
from contactpoint.extensions import db
from contactpoint.platform.i18n import current_language
from workflows import OPEN_CASE_STATUSES, DecisionError, catalogue, engine, runtime, withdrawal
from workflows.corrections import CorrectionPlan
from workflows.corrections.apply import CorrectionRefused, correct, preview

blp = Blueprint(
    "case_actions_api",
    __name__,
    url_prefix="/api/v1/cases",
    description="What a citizen does with a sent case: correct it, withdraw it, answer an agency.",
)
SECURITY: list[dict[str, list[str]]] = [{"bearerAuth": []}]
WRONG_ANSWERS = "Some answers cannot be used: see `errors`. Nothing was sent."


def _own_case(case_id: str) -> Case:
    """The caller's case; 404 for another person's, as for one that does not exist."""
    found = case_of(api_citizen(), case_id)
    if found is None:
        abort(404, message="There is no such case.")
    if not may_still_act(api_citizen(), found):  # a company's: only while one may act for it
        abort(403, message="You may no longer act for this company.")
    return found


def _case_now(case_id: str) -> dict[str, Any]:
    db.session.rollback()  # read what the action committed
    record = case_record(case_id)
    assert record is not None, "cases are never deleted"
    return citizen_case_view(record, current_language())


def _actor(case: Case) -> str:
    """Who acts on the case, as its timeline names them: the citizen who sent it."""
    return f"citizen:{case.person_id}"


def _changes(case: Case, answers: dict[str, Any]) -> dict[str, Any]:
    """The answers to correct, the people they name resolved against the population register
    (422 naming an answer that names someone it does not list for the caller)."""
    changes, wrong = people_resolved(api_citizen(), catalogue()[case.life_event], answers)
    if wrong:
        abort(422, message=WRONG_ANSWERS, errors={"json": {"answers": wrong}})
    return changes


def _correction(case: Case, draw: Callable[[], CorrectionPlan]) -> dict[str, Any]:
    """What correcting the case's answers means, per agency, as `draw` plans it: 409 where
    the case can no longer be corrected, 422 naming the answers that cannot be used."""
    try:
        plan = draw()
    except CorrectionRefused as error:
        abort(409, message=str(error))
    if plan.errors:
        abort(422, message=WRONG_ANSWERS, errors={"json": {"answers": dict(plan.errors)}})
    return correction_view(plan, catalogue()[case.life_event], current_language())


@blp.route("/<case_id>/corrections/preview")
class CorrectionPreview(MethodView):
    @blp.doc(security=SECURITY, operationId="previewCorrection")
    @citizen_first
    @blp.arguments(CorrectionPreviewRequest)
    @blp.response(200, CorrectionPreviewSchema)
    @blp.alt_response(409, description="The case was withdrawn.")
    def post(self, body: dict[str, Any], case_id: str) -> dict[str, Any]:
        """What correcting these answers would mean, per agency; nothing is sent."""
        case = _own_case(case_id)
        changes = _changes(case, body["answers"])
        return _correction(case, lambda: preview(runtime.current().store, case.id, changes))


@blp.route("/<case_id>/corrections")
class Corrections(MethodView):
    @blp.doc(security=SECURITY, operationId="correctCase")
    @citizen_first
    @blp.arguments(CorrectionRequest)
    @blp.response(200, CorrectedCaseSchema)
    @blp.alt_response(409, description="The case was withdrawn, or the preview changed.")
    def post(self, body: dict[str, Any], case_id: str) -> dict[str, Any]:
        """Correct answers of a sent case: each agency that received a changed field gets a
        correction with the changed fields only; steps that now apply start, steps that no
        longer apply are withdrawn. The rules of the first submission check the answers."""
        case = _own_case(case_id)
        changes = _changes(case, body["answers"])
        current = runtime.current()
        correction = _correction(
            case,
            lambda: correct(
                current.store,
                current.dispatcher,
                case.id,
                changes,
                _actor(case),
                digest=body["preview_digest"],
            ),
        )
        record_action(case, api_citizen(), "case_corrected")
        return {**_case_now(case.id), "correction": correction}


@blp.route("/<case_id>/withdrawal")
class Withdrawal(MethodView):
    @blp.doc(security=SECURITY, operationId="withdrawCase")
    @citizen_first
    @blp.response(200, CaseSchema)
    @blp.alt_response(409, description="The case has already finished or been withdrawn.")
    def post(self, case_id: str) -> dict[str, Any]:
        """Withdraw a case not yet finished: steps not started are cancelled, agencies that
        have a step are told."""
        case = _own_case(case_id)
        current = runtime.current()
        if case.status not in OPEN_CASE_STATUSES or not withdrawal.withdraw(
            current.store, current.dispatcher, case.id, _actor(case)
        ):
            abort(409, message="The case has already finished or been withdrawn.")
        record_action(case, api_citizen(), "case_withdrawn")
        return _case_now(case.id)


@blp.route("/<case_id>/steps/<step_id>/complement")
class Complement(MethodView):
    @blp.doc(security=SECURITY, operationId="answerComplement")
    @citizen_first
    @blp.arguments(ComplementAnswerRequest)
    @blp.response(200, CaseSchema)
    @blp.alt_response(409, description="The question was answered already or no longer applies.")
    def post(self, body: dict[str, Any], case_id: str, step_id: str) -> dict[str, Any]:
        """Answer an agency's question on a step waiting for the citizen; the step resumes."""
        case = _own_case(case_id)
        step = db.session.get(Step, step_id)
        if step is None or step.case_id != case.id:
            abort(404, message="There is no such step in this case.")
        current = runtime.current()
        try:
            applied = engine.answer_complement(
                current.store, current.dispatcher, step_id, body["answer"], _actor(case)
            )
        except DecisionError as error:
            abort(422, message=str(error), errors={"json": {"answer": [str(error)]}})
        if not applied:
            abort(409, message="The question has already been answered or no longer applies.")
        record_action(case, api_citizen(), "complement_answered")
        return _case_now(case.id)
