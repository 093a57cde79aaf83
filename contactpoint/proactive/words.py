"""A proactive rule's message put in words: its title, its text and its reason, in the
reader's language, with the dates and names it is about written in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _

from contactpoint.platform.i18n import text
from workflows.proactive import rules

PLACES = ("date", "deadline")  # dates, written as the reader reads them
NAMES = ("child", "person", "address")  # written as the register holds them


def _fill(template: str, params: Mapping[str, Any]) -> str:
    filled = template
    for place in PLACES:
        if params.get(place):
            shown = format_date(dt.date.fromisoformat(params[place]), "long")
            filled = filled.replace("{" + place + "}", shown)
    for place in NAMES:
        name = str(params.get(place) or "")
        if place == "child" and not name:  # a child has no first names until they are given
            name = _("your child")
        filled = filled.replace("{" + place + "}", name)
    return filled


def rule_words(params: Mapping[str, Any], language: str) -> tuple[str, str, str] | None:
    """Title, text and reason of a rule's message; None when it is not a rule's (or the rule
    is no longer shipped)."""
    rule = rules().get(str(params.get("rule") or ""))
    if rule is None:
        return None
    title = _fill(text(rule.title, language), params)
    body = _fill(text(rule.text, language), params)
    return title, body, _fill(text(rule.reason, language), params)
