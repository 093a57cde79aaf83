"""Where the journey goes next: the first page that still asks something, else the check page."""

from __future__ import annotations

from typing import Any

from flask import url_for

from workflows import LifeEvent, applicable_pages


def next_page(event: LifeEvent, answers: dict[str, Any], after: str | None) -> str:
    """The first page after `after` that still has unanswered questions, else the check page."""
    pages = applicable_pages(event, answers)
    keys = [key for key, _ in pages]
    start = keys.index(after) + 1 if after in keys else 0
    for key, questions in pages[start:]:
        if any(question.id not in answers for question in questions):
            return url_for("journey.question", event_id=event.id, page=key)
    return url_for("journey.check", event_id=event.id)
