"""Open statistics per life event: the page `/statistik`, and JSON, CSV and DCAT-AP metadata
in the API. The figures and the rule that protects small counts are `workflows.statistics`."""

from __future__ import annotations

from flask import Flask

from contactpoint import extensions
from contactpoint.statistics.api import blp as api_blueprint
from contactpoint.statistics.pages import bp as page_blueprint


def register_statistics(app: Flask) -> None:
    """The page and the API's statistics endpoints (read only: no CSRF exposure)."""
    app.register_blueprint(page_blueprint)
    extensions.csrf.exempt(api_blueprint)
    extensions.api.register_blueprint(api_blueprint)
