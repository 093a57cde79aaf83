"""Citizen pages: one blueprint per file."""

from flask import Flask


def register_pages(app: Flask) -> None:
    """Register the citizen pages."""
    from contactpoint.web.case_actions import bp as case_actions_bp
    from contactpoint.web.data import bp as data_bp
    from contactpoint.web.facts import bp as facts_bp
    from contactpoint.web.feedback import bp as feedback_bp
    from contactpoint.web.home import bp as home_bp
    from contactpoint.web.journey import bp as journey_bp
    from contactpoint.web.login import bp as login_bp
    from contactpoint.web.mypages import bp as mypages_bp
    from contactpoint.web.texts import TEMPLATE_HELPERS

    for blueprint in (home_bp, login_bp, journey_bp, mypages_bp, feedback_bp, case_actions_bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(facts_bp)
    app.register_blueprint(data_bp)
    app.jinja_env.globals.update(TEMPLATE_HELPERS)
    register_officer_pages(app)


def register_officer_pages(app: Flask) -> None:
    """Register the case officers' pages (a workspace of their own, apart from citizens')."""
    from contactpoint.web.officer_audit import bp as officer_audit_bp
    from contactpoint.web.officer_inbox import bp as officer_inbox_bp
    from contactpoint.web.officer_login import bp as officer_login_bp
    from contactpoint.web.officer_step import bp as officer_step_bp
    from contactpoint.web.officer_texts import OFFICER_HELPERS

    for blueprint in (officer_login_bp, officer_inbox_bp, officer_step_bp, officer_audit_bp):
        app.register_blueprint(blueprint)
    app.jinja_env.globals.update(OFFICER_HELPERS)
