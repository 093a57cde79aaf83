"""The simulated eID: an OpenID Connect provider at /dev-idp, for development and tests only.

The app signs in through it exactly as through a real provider; with production settings it is
not mounted at all.
"""

from __future__ import annotations

from flask import Flask

from contactpoint.devidp.views import bp


def register_devidp(app: Flask) -> None:
    """Mount the simulated provider, outside production only."""
    if not app.config["SIMULATED_EID"]:
        return
    app.register_blueprint(bp)
