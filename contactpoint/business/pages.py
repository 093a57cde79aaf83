"""The company's My pages: the companies one may act for, and per company its cases (seen by
everyone who may act for it), its log and its powers of attorney."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, Flask, abort, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from agencies.clock import today
from agencies.registers.data import company
from contactpoint.auth import login_required
from contactpoint.business import powers
from contactpoint.business.cases import company_cases
from contactpoint.business.log import entries
from contactpoint.business.standing import (
    business_events,
    power_view,
    powers_of,
    representations_of,
    standing,
)
from contactpoint.platform.forms import form_errors
from contactpoint.platform.i18n import current_language
from workflows import catalogue
from workflows.answer_fields import PersonalNumber
from workflows.representation import BASES, may_grant

bp = Blueprint("companies", __name__, url_prefix="/my-pages/companies")
FIELDS = ("holder", "life_events", "valid_until")


@bp.get("")
@login_required
def index() -> str:
    """The companies the person may act for, and on what basis."""
    return render_template(
        "companies/index.html", representations=representations_of(g.person), bases=BASES
    )


def _company_page(number: str, status: int = 200, **form: Any) -> tuple[str, int]:
    """The company's page; a person with no right to act for it is refused in plain words."""
    found = company(number)
    if found is None:
        abort(404)
    mine = standing(g.person, found.organisation_number, None)
    if mine is None:
        return render_template("companies/refused.html", company=found), 403
    language = current_language()
    events = [catalogue()[event_id] for event_id in business_events()]
    rows = powers_of(found.organisation_number)
    return render_template(
        "companies/show.html",
        company=found,
        standing=mine,
        bases=BASES,
        events=[event for event in events if mine.covers(event.id)],
        all_events=events,
        cases=company_cases(found.organisation_number, language, g.person.id),
        log=entries(found.organisation_number, language),
        powers=[power_view(row) for row in rows],
        given_by_me={row.id for row in rows if row.granted_by == g.person.personal_number},
        signatory=may_grant(g.person.personal_number, found.organisation_number),
        typed=form.get("typed") or {"valid_until": (today() + dt.timedelta(days=365)).isoformat()},
        errors=form.get("errors") or {},
        form_errors=form_errors(form.get("errors") or {}),
    ), status


@bp.get("/<organisation_number>")
@login_required
def show(organisation_number: str) -> Any:
    """One company: its cases and their steps, its powers of attorney, its log."""
    return _company_page(organisation_number)


@bp.route("/<organisation_number>/powers", methods=["GET", "POST"])
@login_required
def grant(organisation_number: str) -> Any:
    """A signatory gives a power of attorney; what was typed is kept when something is wrong.
    Fetched (after signing in again on the way), it goes to the company, where the form is."""
    if request.method == "GET":
        return redirect(url_for("companies.show", organisation_number=organisation_number))
    typed: dict[str, Any] = {
        "holder": request.form.get("holder", "").strip(),
        "life_events": request.form.getlist("life_events"),
        "valid_until": request.form.get("valid_until", "").strip(),
    }
    errors: dict[str, str] = {}
    until: dt.date | None = None
    holder = ""
    try:
        holder = PersonalNumber().deserialize(typed["holder"])
    except ValidationError:
        errors["holder"] = _("Write all 12 digits of the number, for example 19950530-3462.")
    try:
        until = dt.date.fromisoformat(typed["valid_until"])
    except ValueError:
        errors["valid_until"] = _("Write the day like this: 2027-12-31.")
    if not errors and until is not None:
        try:
            powers.grant(g.person, organisation_number, holder, typed["life_events"], None, until)
        except powers.Refused as refused:
            if refused.status != 422:
                return _company_page(organisation_number)
            errors[refused.field] = refused.message
    if errors:
        return _company_page(organisation_number, 422, typed=typed, errors=errors)
    return redirect(url_for("companies.show", organisation_number=organisation_number) + "#powers")


@bp.route("/<organisation_number>/powers/<power_id>/<change>", methods=["GET", "POST"])
@login_required
def change(organisation_number: str, power_id: str, change: str) -> Any:
    """A signatory confirms or revokes a power of attorney (fetched: the company's page)."""
    if request.method == "GET":
        return redirect(url_for("companies.show", organisation_number=organisation_number))
    act = {"confirm": powers.confirm, "revoke": powers.revoke}.get(change)
    if act is None:
        abort(404)
    try:
        act(g.person, organisation_number, power_id)
    except powers.Refused:
        return _company_page(organisation_number)
    return redirect(url_for("companies.show", organisation_number=organisation_number) + "#powers")


def register_business(app: Flask) -> None:
    """The company's My pages."""
    app.register_blueprint(bp)
