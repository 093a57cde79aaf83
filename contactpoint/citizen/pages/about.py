"""About the service itself: accessibility, personal data, cookies, contact; and its icon."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template, send_from_directory

bp = Blueprint("about", __name__)

PAGES = ("accessibility", "privacy", "cookies", "contact")


def _page(name: str) -> str:
    return render_template(
        f"about/{name}.html",
        contact_email=current_app.config.get("CONTACT_EMAIL"),
        cookie_name=current_app.config["SESSION_COOKIE_NAME"],
    )


@bp.get("/accessibility")
def accessibility() -> str:
    """The accessibility statement (tillgänglighetsredogörelse), as the law requires."""
    return _page("accessibility")


@bp.get("/privacy")
def privacy() -> str:
    """Which personal data the service holds, why, who receives it and for how long."""
    return _page("privacy")


@bp.get("/cookies")
def cookies() -> str:
    """The one cookie the service sets."""
    return _page("cookies")


@bp.get("/contact")
def contact() -> str:
    """Whom to ask about a case, and about the service."""
    return _page("contact")


@bp.get("/favicon.ico")
def favicon() -> Any:
    """The service's icon, for browsers that ask for it at the root."""
    assert current_app.static_folder is not None
    return send_from_directory(current_app.static_folder, "favicon.ico", max_age=86400)
