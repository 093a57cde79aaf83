"""Citizen pages: one blueprint per file."""

from flask import Flask


def register_pages(app: Flask) -> None:
    """Register the citizen pages."""
    from .home import bp as home_bp
    from .journey import bp as journey_bp
    from .login import bp as login_bp
    from .mypages import bp as mypages_bp
    from .texts import TEMPLATE_HELPERS

    for blueprint in (home_bp, login_bp, journey_bp, mypages_bp):
        app.register_blueprint(blueprint)
    app.jinja_env.globals.update(TEMPLATE_HELPERS)
