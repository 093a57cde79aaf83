"""The citizen's pages: one blueprint per file."""

from flask import Flask

from contactpoint.citizen.pages.about import bp as about_bp
from contactpoint.citizen.pages.case_actions import bp as case_actions_bp
from contactpoint.citizen.pages.data import bp as data_bp
from contactpoint.citizen.pages.facts import bp as facts_bp
from contactpoint.citizen.pages.feedback import bp as feedback_bp
from contactpoint.citizen.pages.home import bp as home_bp
from contactpoint.citizen.pages.journey import bp as journey_bp
from contactpoint.citizen.pages.login import bp as login_bp
from contactpoint.citizen.pages.mypages import bp as mypages_bp
from contactpoint.citizen.pages.texts import TEMPLATE_HELPERS

BLUEPRINTS = (
    home_bp,
    about_bp,
    login_bp,
    journey_bp,
    mypages_bp,
    feedback_bp,
    case_actions_bp,
    facts_bp,
)


def register_citizen_pages(app: Flask) -> None:
    """Register the citizen's pages and the words their templates use."""
    for blueprint in (*BLUEPRINTS, data_bp):
        app.register_blueprint(blueprint)
    app.jinja_env.globals.update(TEMPLATE_HELPERS)
