"""The public REST API under /api/v1, documented by its OpenAPI document."""

from __future__ import annotations

import swagger_ui_bundle
from flask import Flask, Response, send_from_directory

from contactpoint.api.agencies import blp as agencies_blp
from contactpoint.api.blueprint import Blueprint
from contactpoint.api.callbacks import blp as callbacks_blp
from contactpoint.api.cases import blp as cases_blp
from contactpoint.api.catalogues import blp as catalogues_blp
from contactpoint.api.contact import blp as contact_blp
from contactpoint.api.dev import blp as dev_blp
from contactpoint.api.feedback import blp as feedback_blp
from contactpoint.api.identifiers import register_identifiers
from contactpoint.api.life_events import blp as life_events_blp
from contactpoint.api.me import blp as me_blp
from contactpoint.api.messages import blp as messages_blp
from contactpoint.api.prefill import blp as prefill_blp
from contactpoint.business.api import blp as organisations_blp
from contactpoint.business.api import me as representations_blp
from contactpoint.confirmations.api import blp as confirmations_blp
from contactpoint.corrections.api import blp as case_actions_blp
from contactpoint.extensions import api, csrf
from contactpoint.joint.api import blp as shared_status_blp
from contactpoint.mina_arenden.views import SECURITY_SCHEME as MINA_ARENDEN_KEY
from contactpoint.mina_arenden.views import blp as mina_arenden_blp


def register_api(app: Flask) -> None:
    """Register the API blueprints and the locally served API docs assets."""
    blueprints: tuple[Blueprint, ...] = (
        life_events_blp,
        cases_blp,
        dev_blp,
        feedback_blp,
        callbacks_blp,
        agencies_blp,
    )
    blueprints += (prefill_blp, me_blp, messages_blp, catalogues_blp, mina_arenden_blp)
    blueprints += (contact_blp, confirmations_blp, case_actions_blp, shared_status_blp)
    blueprints += (representations_blp, organisations_blp)
    api.spec.components.security_scheme(
        MINA_ARENDEN_KEY, {"type": "apiKey", "in": "header", "name": "X-API-Key"}
    )
    register_identifiers(app, api)
    for blueprint in blueprints:
        csrf.exempt(blueprint)  # tokens, signatures or API keys, not cookies: no CSRF exposure
        api.register_blueprint(blueprint)

    @app.get("/api/v1/docs/assets/<path:filename>")
    def api_docs_assets(filename: str) -> Response:
        """Swagger UI's files, installed with the package: no CDN."""
        return send_from_directory(swagger_ui_bundle.swagger_ui_path, filename)
