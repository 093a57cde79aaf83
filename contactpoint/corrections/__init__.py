"""After sending: correcting answers, withdrawing, answering an agency's question, through
the API (`api`) and the case page's correction flow (`pages`); `views` shows what a
correction means, per agency, to both."""

from flask import Flask

from contactpoint.corrections.pages import bp


def register_corrections(app: Flask) -> None:
    """The case page's correction flow (the API's part is registered with the API)."""
    app.register_blueprint(bp)
