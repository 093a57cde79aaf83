"""/dev-mail: what `contactpoint run`'s embedded SMTP server caught (outside production only)."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask, current_app, render_template

from contactpoint.platform.embedded_mail import read_caught

bp = Blueprint("devmail", __name__, url_prefix="/dev-mail")


def caught_file(instance_path: str) -> Path:
    """Where the embedded SMTP server writes what it catches."""
    return Path(instance_path) / "mail" / "caught.jsonl"


@bp.get("")
def index() -> str:
    """The e-mails caught, newest first."""
    mails = read_caught(caught_file(current_app.instance_path))
    return render_template("devmail/index.html", mails=mails)


def register_devmail(app: Flask) -> None:
    """Mount /dev-mail, outside production only."""
    if app.config.get("DEV_MAIL"):
        app.register_blueprint(bp)
