"""Extension instances, created here and bound to the app in the factory."""

from collections.abc import Callable
from typing import Any

from flask import current_app
from flask_babel import Babel
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Declarative base for Kontaktpunkt's models."""


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
api = Api()
babel = Babel()


def per_app(name: str, make: Callable[[], Any]) -> Any:
    """The current app's one `name` object, made by `make` the first time it is asked for."""
    made = current_app.extensions.get(name)
    if made is None:
        made = current_app.extensions[name] = make()
    return made
