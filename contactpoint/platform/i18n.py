"""The language of a request: `?lang=` (remembered in the session), else Swedish."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from urllib.parse import urlencode

from babel.numbers import format_decimal
from flask import has_request_context, request, session
from flask_babel import force_locale, get_locale

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


def locale_of(language: str) -> str:
    """A language's locale for translations and formats: English reads dates the British way."""
    return "en_GB" if language == "en" else language


def format_locale() -> str:
    """The locale for translations and formats of the request's language."""
    return locale_of(current_language())


@contextmanager
def in_language(language: str | None) -> Iterator[None]:
    """Translate and format in `language` inside the block (the request's own when None):
    for a text read in a language other than the request's, such as an export's."""
    if language is None or str(get_locale()) == locale_of(language):
        yield
        return
    with force_locale(locale_of(language)):
        yield


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


def format_number(value: float, language: str | None = None) -> str:
    """A number as the language writes it: 25 000 in Swedish, 25,000 in English; no ".0"."""
    return str(format_decimal(value, locale=locale_of(language or current_language())))
