"""The case officers' pages: a workspace of their own, apart from the citizens'."""

from flask import Flask

from contactpoint.officer.pages.audit import bp as audit_bp
from contactpoint.officer.pages.inbox import bp as inbox_bp
from contactpoint.officer.pages.login import bp as login_bp
from contactpoint.officer.pages.step import bp as step_bp
from contactpoint.officer.pages.texts import OFFICER_HELPERS


def register_officer_pages(app: Flask) -> None:
    """Register the case officers' pages and the words their templates use."""
    for blueprint in (login_bp, inbox_bp, step_bp, audit_bp):
        app.register_blueprint(blueprint)
    app.jinja_env.globals.update(OFFICER_HELPERS)
