"""What a field is called, in each language: a question's text, what an agency issues, or a
register's fact. The person's own fields (personal number, name) are the interface's words."""

from __future__ import annotations

from agencies.catalogue import AGENCIES
from agencies.registers.catalogue import fact_text

from .declarations import LifeEvent, Text
from .people import derived_text


def field_text(event: LifeEvent | None, name: str, register: str | None = None) -> Text | None:
    """The name of a field a step receives, or of a fact read from `register`, in each
    language; None when nothing declares it (a person field, or a mistake)."""
    if register:
        return fact_text(f"{register}.{name}")
    if event is None:
        return None
    question = next((q for q in event.questions if q.id == name), None)
    if question is not None:
        return question.text
    if derived_text(name) is not None:
        return derived_text(name)
    for step in event.steps:
        if name in step.produces and step.agency in AGENCIES:
            issued = AGENCIES[step.agency].issues.get(name)
            if issued is not None:
                return issued
    return None
