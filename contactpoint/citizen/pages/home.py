"""The start page: the life events a citizen can start."""

from __future__ import annotations

from flask import Blueprint, render_template

from workflows import catalogue

bp = Blueprint("home", __name__)


@bp.get("/")
def index() -> str:
    """List the life events."""
    return render_template("index.html", events=list(catalogue().values()))
