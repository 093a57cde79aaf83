"""GOV.UK Frontend, unbranded: its Jinja macros for the templates and its assets from npm.

`make install` installs the pinned `govuk-frontend` into node_modules/ (not in git) and
compiles our stylesheet there; this serves both under /assets/, so pages need no CDN.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, abort, current_app, send_from_directory
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader

from contactpoint.platform.i18n import language_url

PROJECT = Path(__file__).resolve().parents[2]
MODULES = PROJECT / "node_modules"
GOVUK_DIST = "govuk-frontend/dist/govuk"
BUILT = ".kontaktpunkt"

bp = Blueprint("frontend", __name__, url_prefix="/assets")


def _modules() -> Path:
    return Path(current_app.config.get("FRONTEND_MODULES") or MODULES)


@bp.get("/kontaktpunkt.css")
def stylesheet() -> Any:
    """Our compiled stylesheet: GOV.UK Frontend with our name, colours and fonts."""
    return send_from_directory(_modules() / BUILT, "kontaktpunkt.css", max_age=3600)


@bp.get("/govuk-frontend.min.js")
def script() -> Any:
    """GOV.UK Frontend's JavaScript (the pages work without it)."""
    return send_from_directory(_modules() / GOVUK_DIST, "govuk-frontend.min.js", max_age=3600)


@bp.get("/<path:filename>")
def asset(filename: str) -> Any:
    """GOV.UK Frontend's images and manifest."""
    if filename.startswith("fonts/"):
        abort(404)  # our own font stack: no GDS Transport
    return send_from_directory(_modules() / GOVUK_DIST / "assets", filename, max_age=3600)


def frontend_ready(app: Flask) -> bool:
    """Whether the assets have been installed and built (`make install`)."""
    modules = Path(app.config.get("FRONTEND_MODULES") or MODULES)
    return (modules / BUILT / "kontaktpunkt.css").is_file() and (modules / GOVUK_DIST).is_dir()


def register_frontend(app: Flask) -> None:
    """Let templates import the GOV.UK macros and serve the assets."""
    assert app.jinja_loader is not None
    app.jinja_loader = ChoiceLoader(
        [
            app.jinja_loader,
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )
    app.register_blueprint(bp)
    app.jinja_env.globals["language_url"] = language_url
    if not frontend_ready(app):
        app.logger.warning("page assets missing: run `make install` to build node_modules/")
