"""The API's blueprints: flask-smorest's, whose arguments read a JSON body within bounds."""

from __future__ import annotations

import flask_smorest

from contactpoint.platform.json_bodies import BoundedArgumentsParser


class Blueprint(flask_smorest.Blueprint):
    """A blueprint of the API; `@blp.arguments` refuses a body nested too deeply with 400."""

    ARGUMENTS_PARSER = BoundedArgumentsParser()
