"""A correction is a step of its own: its key is the corrected step's, marked and numbered."""

from __future__ import annotations

from dataclasses import replace

from ..declarations import LifeEvent, Step
from ..prefill import correction_step

CORRECTION_MARK = ".correction-"


def correction_key(step_key: str, number: int) -> str:
    """The key of the `number`th correction of the step `step_key` in a case."""
    return f"{step_key}{CORRECTION_MARK}{number}"


def corrected_key(key: str) -> str | None:
    """The key of the step a correction corrects; None for a key that is no correction."""
    base, mark, number = key.rpartition(CORRECTION_MARK)
    return base if mark and base and number.isdigit() else None


def correction_of(event: LifeEvent | None, key: str) -> Step | None:
    """The declared step a correction stands for: the corrected step's, titled as its
    correction and with the reason a correction goes; None for a key that is no correction."""
    base = corrected_key(key)
    declared = next((step for step in event.steps if step.id == base), None) if event else None
    if declared is None:
        return None
    return replace(
        declared,
        id=key,
        title={
            "sv": f"Rättelse: {declared.title['sv']}",
            "en": f"Correction: {declared.title['en']}",
        },
        reason={
            "sv": "Du har ändrat uppgifter som myndigheten redan har fått. "
            "Den får de ändrade uppgifterna, och inga andra.",
            "en": "You changed facts the agency had already received. "
            "It receives the changed facts, and no others.",
        },
        depends_on=(),
        when=None,
        deadline=None,
        next_step=None,
    )


def declared_step(event: LifeEvent | None, key: str) -> Step | None:
    """The declared step a case's step key stands for: the life event's own, a request to
    correct a register, or a correction of answers sent; None for a key of none of these."""
    declared = next((step for step in event.steps if step.id == key), None) if event else None
    return declared or correction_step(key) or correction_of(event, key)
