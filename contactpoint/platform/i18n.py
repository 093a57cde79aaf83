"""The language of a request: `?lang=` (remembered in the session), else Swedish."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

from flask import has_request_context, request, session

LANGUAGES = ("sv", "en")
DEFAULT_LANGUAGE = "sv"


def current_language() -> str:
    """The language to answer in."""
    if not has_request_context():
        return DEFAULT_LANGUAGE
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        if not request.path.startswith("/api/"):
            session["lang"] = asked
        return asked
    remembered = session.get("lang") if not request.path.startswith("/api/") else None
    return remembered if remembered in LANGUAGES else DEFAULT_LANGUAGE


def format_locale() -> str:
    """The locale for translations and formats: English reads dates the British way here."""
    language = current_language()
    return "en_GB" if language == "en" else language


def language_url(language: str) -> str:
    """This page's address in another language, keeping its other query arguments."""
    arguments = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
    return f"{request.path}?{urlencode([*arguments, ('lang', language)])}"


def text(value: Mapping[str, str] | None, language: str | None = None) -> str:
    """A definition's text in the language, falling back to Swedish."""
    if not value:
        return ""
    language = language or current_language()
    return value.get(language) or value.get(DEFAULT_LANGUAGE, "")
