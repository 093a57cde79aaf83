"""Agency systems: their case steps, one step with what they received, and their decisions.

Authenticated per agency with an agency bearer token (client credentials, or the development
token); another agency's steps are 404, like missing ones. Citizen tokens never reach here.
"""

from __future__ import annotations

import hmac
from typing import Any

from flask import current_app, request
from flask.views import MethodView
from webargs.flaskparser import abort

from contactpoint.api.access import agency_first
from contactpoint.api.agency_schemas import (
    AgencyClientCredentials,
    AgencyDecisionRequest,
    AgencyRetryFailedRequest,
    AgencyRetryFailedResult,
    AgencyStep,
    AgencyStepList,
    AgencyStepListArgs,
)
from contactpoint.api.blueprint import Blueprint
from contactpoint.api.schemas import TokenResponse
from contactpoint.auth import api_agency
from contactpoint.db.inbox import InboxQuery, agency_step, inbox
from contactpoint.db.models import Step
from contactpoint.devidp import issue
from contactpoint.officer import casework, step_view
from contactpoint.platform.i18n import current_language
from contactpoint.platform.rate_limits import current as rate_limits
from workflows import DecisionError

blp = Blueprint(
    "agencies",
    __name__,
    url_prefix="/api/v1/agencies",
    description="Agency systems: their case steps and decisions (agency bearer token).",
)
SECURITY: list[dict[str, list[str]]] = [{"bearerAuth": []}]
ROLE = "system"
# OpenAPI links: a listed step's id leads to the step and to its decision.
LISTED_STEP = {"agency": "$request.path.agency", "step_id": "$response.body#/items/0/id"}
LISTED_STEP_LINKS = {
    "ReadStep": {"operationId": "getAgencyStep", "parameters": LISTED_STEP},
    "DecideStep": {"operationId": "decideAgencyStep", "parameters": LISTED_STEP},
}


def _own_step(agency: str, step_id: str) -> Step:
    step = agency_step(agency, step_id)
    if step is None:
        abort(404, message="There is no such step at this agency.")
    return step


def _detail(step: Step) -> dict[str, Any]:
    detail = step_view.step_detail(step, current_language())
    received = {**detail["citizen"], **{f["name"]: f["raw"] for f in detail["fields"]}}
    return {**detail, "fields_": received}


@blp.route("/token")
class Token(MethodView):
    @blp.arguments(AgencyClientCredentials)
    @blp.response(200, TokenResponse)
    @blp.alt_response(401, description="Unknown client or wrong secret.")
    @blp.alt_response(
        429, description="Too many wrong secrets from this address in a while (Retry-After)."
    )
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """OAuth 2.0 client credentials: an agency system's id and secret for a bearer token
        (development: issued by the simulated provider; in production agency systems ask the
        agencies' provider, OIDC_AGENCY_ISSUER, and this answers 404).

        Wrong secrets are counted per client address (10 a minute unless the operator says
        otherwise); past that the address gets 429 with `Retry-After`, even with the right one.
        """
        if not current_app.config["SIMULATED_EID"]:
            abort(404, message="Get an access token from the agencies' identity provider.")
        address = request.remote_addr or "unknown"
        rate_limits().check("agency_token_failures", address)
        secret = current_app.config["AGENCY_CLIENT_SECRETS"].get(body["client_id"])
        if not secret or not hmac.compare_digest(secret, body["client_secret"]):
            rate_limits().count("agency_token_failures", address)
            abort(401, message="Unknown client or wrong secret.")
        agency = body["client_id"]
        return issue.token_response(agency, issue.agency_claims(agency), "agency")


@blp.route("/<agency:agency>/steps")
class Steps(MethodView):
    @blp.doc(
        security=SECURITY,
        operationId="listAgencySteps",
        responses={200: {"links": LISTED_STEP_LINKS}},
    )
    @agency_first
    @blp.arguments(AgencyStepListArgs, location="query")
    @blp.response(200, AgencyStepList)
    def get(self, args: dict[str, Any], agency: str) -> dict[str, Any]:
        """The agency's steps in a queue (`waiting` by default), a page at a time."""
        api_agency(agency)
        older = args.pop("older_than_days")
        found = inbox(InboxQuery(agency=agency, older_than_days=older, **args))
        return {
            "items": [row._asdict() for row in found.rows],
            "total": found.total,
            "page": found.page,
            "pages": found.pages,
            "counts": found.counts,
            "at_least": sorted(found.at_least),
        }


@blp.route("/<agency:agency>/retry-failed")
class RetryFailed(MethodView):
    @blp.doc(security=SECURITY)
    @agency_first
    @blp.arguments(AgencyRetryFailedRequest, required=False)
    @blp.response(200, AgencyRetryFailedResult)
    def post(self, body: dict[str, Any], agency: str) -> dict[str, Any]:
        """Once this agency's system is back after an outage: send again the steps of its
        `failed` queue (the steps waiting on them resume), up to `limit` a call, and send now,
        not at their next scheduled attempt, all its steps still waiting for a retry."""
        api_agency(agency)
        since, dry_run, limit = body["since"], body["dry_run"], body["limit"]
        actor = f"agency:{agency}"
        sent = casework.retry_failed([agency], since, dry_run, actor, ROLE, limit).get(agency, 0)
        failed = casework.retry_failed([agency], since, dry_run=True).get(agency, 0)
        scheduled = casework.send_scheduled_now([agency], dry_run)
        return {
            "steps": sent,
            "remaining": failed - sent if dry_run else failed,
            "scheduled": scheduled.get(agency, 0),
            "dry_run": dry_run,
        }


@blp.route("/<agency:agency>/steps/<step_id>")
class StepDetail(MethodView):
    @blp.doc(security=SECURITY, operationId="getAgencyStep")
    @blp.response(200, AgencyStep)
    def get(self, agency: str, step_id: str) -> dict[str, Any]:
        """One step: what the agency received, the shared case status, the timeline."""
        api_agency(agency)
        step = _own_step(agency, step_id)
        detail = _detail(step)
        step_view.record_view(step, detail, f"agency:{agency}", ROLE)
        return detail


@blp.route("/<agency:agency>/steps/<step_id>/decision")
class StepDecision(MethodView):
    @blp.doc(security=SECURITY, operationId="decideAgencyStep")
    @agency_first
    @blp.arguments(AgencyDecisionRequest)
    @blp.response(200, AgencyStep)
    @blp.alt_response(409, description="The step is not waiting for this agency's decision.")
    def post(self, body: dict[str, Any], agency: str, step_id: str) -> dict[str, Any]:
        """Approve, reject (with a reason) or ask the citizen (a question); the case resumes."""
        api_agency(agency)
        step = _own_step(agency, step_id)
        kind = body.pop("decision")
        try:
            decided = casework.decide(step, kind, f"agency:{agency}", ROLE, **body)
        except DecisionError as error:
            abort(422, errors={"json": {"decision": [str(error)]}})
        if not decided:
            abort(409, message="The step is not waiting for this agency's decision.")
        step = _own_step(agency, step_id)
        detail = _detail(step)  # what it received, again: a read like the GET's
        step_view.record_view(step, detail, f"agency:{agency}", ROLE)
        return detail
