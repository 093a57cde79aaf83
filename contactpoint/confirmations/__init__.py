"""Another person's yes that steps of a case wait for (`workflows.confirmations`): held back
when the case is sent (`holding`), asked in that person's mailbox, answered on a page of
their own or in the API (`decisions`)."""

from __future__ import annotations

from flask import Flask

from contactpoint.confirmations.pages import bp


def register_confirmations(app: Flask) -> None:
    """The page where a person answers."""
    app.register_blueprint(bp)
