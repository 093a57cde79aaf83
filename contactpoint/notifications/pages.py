"""E-post: the person's address for notifications, its verification link, the kinds of
message they want e-mail about, and removing it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, redirect, render_template, request, url_for
from flask_babel import format_time
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from contactpoint.auth import login_required
from contactpoint.notifications import contact as contacts
from contactpoint.notifications.addresses import give_address
from contactpoint.platform.forms import form_errors
from contactpoint.platform.i18n import current_language
from contactpoint.platform.rate_limits import RateLimited
from workflows import MessageKind

bp = Blueprint("contact", __name__, url_prefix="/my-pages/contact")

KIND_LABELS = {
    MessageKind.COMPLEMENT: _l("An agency needs more information from you"),
    MessageKind.DECISION: _l("An agency has decided"),
    MessageKind.REMINDER: _l("Reminders of a deadline"),
    MessageKind.SUGGESTION: _l("Suggestions of what you may want to do"),
    MessageKind.NOTICE: _l("Other messages"),
}


def _page(typed: str = "", errors: dict[str, str] | None = None, said: str | None = None) -> Any:
    errors = errors or {}
    contact = contacts.contact_of(g.person.id)
    return render_template(
        "contact/index.html",
        contact=contacts.contact_view(contact),
        typed=typed,
        errors=errors,
        form_errors=form_errors(errors),
        kinds=[(str(kind), label) for kind, label in KIND_LABELS.items()],
        said=said,
    ), (422 if errors else 200)


@bp.get("")
@login_required
def index() -> Any:
    """The address, whether it is verified or was refused, and what e-mail is sent to it."""
    return _page(said=request.args.get("said"))


@bp.post("")
@login_required
def give() -> Any:
    """Give or change the address; a link to verify it is sent to it. Errors keep what was typed."""
    typed = request.form.get("email", "")
    try:
        owed = give_address(g.person.id, typed, current_language())
    except contacts.AddressError:
        message = _("Enter an e-mail address such as name@example.se")
        return _page(typed, {"email": message})
    except RateLimited as limited:
        message = _(
            "You have asked for many links just now. Try again after %(time)s.",
            time=format_time(limited.until, "HH:mm"),
        )
        shown, _status = _page(typed, {"email": message})
        return shown, 429
    return redirect(url_for("contact.index", said="sent" if owed else "saved"))


@bp.route("/kinds", methods=["GET", "POST"])
@login_required
def kinds() -> Any:
    """Which kinds of message the person wants e-mail about (the others are turned off).
    Fetched (after signing in again on the way), it goes to the page, where the form is."""
    if request.method == "GET":
        return redirect(url_for("contact.index"))
    wanted = set(request.form.getlist("kind"))
    contacts.set_muted(g.person.id, [kind for kind in contacts.KINDS if kind not in wanted])
    return redirect(url_for("contact.index", said="saved"))


@bp.route("/remove", methods=["GET", "POST"])
@login_required
def remove() -> Any:
    """Forget the address: no more e-mail. Fetched, it goes to the page, as `kinds` does."""
    if request.method == "GET":
        return redirect(url_for("contact.index"))
    contacts.remove_address(g.person.id)
    return redirect(url_for("contact.index", said="removed"))


@bp.get("/verify/<token>")
def verify(token: str) -> Any:
    """The link in the verification e-mail (a plain GET, signed in or not)."""
    verified = contacts.verify(token)
    return render_template("contact/verified.html", verified=verified), (200 if verified else 400)
