"""Proactive service on the web side: an offer accepted, a rule's message in words, and
`contactpoint sandbox register-event` (the rules themselves are `workflows.proactive`)."""

from __future__ import annotations

from flask import Flask

from contactpoint.proactive.pages import bp


def register_proactive(app: Flask) -> None:
    """The page that accepts an offer."""
    app.register_blueprint(bp)
