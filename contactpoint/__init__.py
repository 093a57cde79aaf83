"""Kontaktpunkt: one contact point for life events that span several public agencies."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

from contactpoint.config import load_config
from contactpoint.platform.errors import register_errorhandlers
from contactpoint.platform.json_bodies import BoundedJSONProvider
from contactpoint.setup import register_blueprints, register_extensions, register_workflow_runtime

PROJECT_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
PACKAGED_TEMPLATES = Path(__file__).resolve().parent / "templates"


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create the Flask app: settings, extensions, the workflow runtime, blueprints."""
    templates = PROJECT_TEMPLATES if PROJECT_TEMPLATES.is_dir() else PACKAGED_TEMPLATES
    app = Flask(
        __name__,
        template_folder=str(templates),
        instance_path=os.environ.get("CONTACTPOINT_INSTANCE_PATH") or None,
    )
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(load_config(app.instance_path, test_config))
    app.json = BoundedJSONProvider(app)

    register_extensions(app)
    register_workflow_runtime(app)
    register_blueprints(app)
    register_errorhandlers(app)
    return app
