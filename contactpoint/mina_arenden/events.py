"""A case's customer events (kundhändelser): each change of the case or of a step that its
citizen would want to know of, in the words the citizen reads on My pages.

An event is a line of the case's timeline (`case_events`) with the state right after it
(`workflows.timeline.replay`): its heading is the step's title (the life event's, for the case)
and the status tag it then had; its description is the timeline's sentence and the status's
sentence about who must act. Its id comes from the case's and the line's, so it is the same
at every query; its type is `PREFIX.LIFE_EVENT.EVENT` for the case and
`PREFIX.LIFE_EVENT.STEP.EVENT` for a step, so a consumer asking for `PREFIX.MOVING` gets every
event of moving house and `PREFIX.MOVING.CHANGE_OF_ADDRESS` those of that step.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from typing import Any

from agencies.clock import SWEDEN
from contactpoint.citizen.pages.texts import event_text
from contactpoint.citizen.standing import Standing, case_standing, step_standing
from contactpoint.db.models import utc
from contactpoint.mina_arenden.parties import CaseTimeline
from contactpoint.platform.i18n import in_language, text
from contactpoint.rights import legal_basis_view
from workflows import LifeEvent, Step, StepStatus, catalogue, declared_step
from workflows.timeline import Moment, replay

# The version of the standard the events follow.
STANDARD_VERSION = "6.1"
# The event type of each kind of timeline line that a citizen would want to know of. Left out:
# a call that did not go through and is tried again, and a step sent again after a fault on
# Kontaktpunkt's side; the citizen need not act on them, and the step's next event says how
# it went.
EVENT_TYPES = {
    "case_submitted": "RECEIVED",
    "case_withdrawn": "WITHDRAWN",
    "case_closed": "CLOSED",
    "step_started": "SENT",
    "step_waiting": "WITH_AGENCY",
    "step_done": "DONE",
    "step_approved": "APPROVED",
    "step_rejected": "REJECTED",
    "step_failed": "FAILED",
    "step_cancelled": "CANCELLED",
    "complement_requested": "COMPLEMENT_REQUESTED",
    "complement_answered": "COMPLEMENT_ANSWERED",
    "step_retried": "SENT_AGAIN",
    "withdrawal_sent": "WITHDRAWAL_SENT",
    "withdrawal_failed": "WITHDRAWAL_FAILED",
    "confirmation_asked": "WAITING_FOR_CONFIRMATION",
    "step_confirmed": "CONFIRMED",
    "step_declined": "DECLINED",
    "case_corrected": "CORRECTED",
    "correction_planned": "CORRECTION",
    "step_added": "ADDED",
    "step_no_longer_applies": "NO_LONGER_APPLIES",
}
CASE_KINDS = ("case_submitted", "case_withdrawn", "case_closed", "case_corrected")
# The ids of every event, the same in every installation (a UUID of its own).
NAMESPACE = uuid.UUID("6f1d4c1e-2b7a-5a0e-9c33-4b6e9c0a51d7")


@dataclass(frozen=True)
class CustomerEvent:
    """One customer event, in one language."""

    id: str
    at: dt.datetime
    order: int  # the line's place among all lines: ties of `at` broken the same way each time
    type: str
    heading: str
    description: str
    citizen_must_act: bool
    closed: bool
    references: dict[str, str]
    tags: tuple[str, ...]

    def as_kundhandelse(self, producer: str, language: str) -> dict[str, Any]:
        """The event in the standard's words."""
        return {
            "kundhandelseId": self.id,
            "rubrik": self.heading,
            "beskrivning": self.description,
            "sprak": language,
            "producent": producer,
            "tidpunkt": self.at.astimezone(SWEDEN).isoformat(timespec="seconds"),
            "kundhandelseTyp": self.type,
            "producentarendetKraverKundatgard": self.citizen_must_act,
            "producentarendetKlart": self.closed,
            "version": STANDARD_VERSION,
            "referenser": dict(self.references),
            "taggar": list(self.tags),
        }


def type_part(name: str) -> str:
    """An id of the code as a part of an event type: capitals, digits and `_`."""
    return re.sub(r"[^A-Z0-9]+", "_", name.upper()).strip("_") or "UNKNOWN"


def customer_events(found: CaseTimeline, language: str, prefix: str) -> list[CustomerEvent]:
    """The case's customer events, oldest first, worded in `language`."""
    first = {
        step.id: StepStatus.NOT_NEEDED
        if step.status == StepStatus.NOT_NEEDED
        else StepStatus.PENDING
        for step in found.steps
    }
    case = _Case(found, language, prefix)
    with in_language(language):
        worded = (case.event_of(moment) for moment in replay(first, found.lines))
        return [event for event in worded if event is not None]


class _Case:
    """One case's lines as customer events."""

    def __init__(self, found: CaseTimeline, language: str, prefix: str) -> None:
        self.case, self.language = found.case, language
        self.declared = catalogue().get(found.case.life_event)
        self.steps = {step.id: step for step in found.steps}
        self.kind = f"{prefix}.{type_part(found.case.life_event)}"

    def event_of(self, moment: Moment) -> CustomerEvent | None:
        """The customer event of a line, or None for a line the citizen need not know of."""
        line, case = moment.line, self.case
        word = EVENT_TYPES.get(line.kind)
        step = self.steps.get(line.step_id) if line.step_id else None
        if word is None or (step is None and line.kind not in CASE_KINDS):
            return None
        references = {"Producentarendereferens": case.reference}
        tags: tuple[str, ...]
        if step is None:
            title = text(self.declared.title, self.language) if self.declared else case.life_event
            standing = _case_standing(moment, self.declared, self.steps)
            kind, tags = f"{self.kind}.{word}", (case.life_event,)
        else:
            title = _step_title(self.declared, step.key, self.language)
            assert moment.step is not None
            standing = step_standing(moment.step.status, moment.step.ball, moment.case_status)
            kind, tags = f"{self.kind}.{type_part(step.key)}.{word}", (case.life_event, step.agency)
            if step.agency_reference:
                references["Diarienummer"] = step.agency_reference
        said = event_text({"kind": line.kind, "detail": line.detail or {}}, self.language)
        if line.kind == "step_started" and step is not None:  # on what basis it went
            basis = legal_basis_view(_declared(self.declared, step.key), self.language)
            said = f"{said} {basis['text']}." if basis else said
        return CustomerEvent(
            id=str(uuid.uuid5(NAMESPACE, f"{case.id}/{line.id}")),
            at=utc(line.at) or line.at,
            order=line.id,
            type=kind,
            heading=f"{title}: {standing.label}",
            description=" ".join(part for part in (said, standing.sentence) if part),
            citizen_must_act=moment.citizen_must_act,
            closed=moment.closed,
            references=references,
            tags=tags,
        )


def _declared(event: LifeEvent | None, key: str) -> Step | None:
    return declared_step(event, key)


def _step_title(event: LifeEvent | None, key: str, language: str) -> str:
    declared = _declared(event, key)
    return text(declared.title, language) if declared else key


def _case_standing(moment: Moment, event: LifeEvent | None, steps: dict[str, Any]) -> Standing:
    """Where the case stood after the line, as My pages said it then."""
    shown = []
    for step_id, standing in moment.steps.items():
        declared = _declared(event, steps[step_id].key)
        next_step = bool(declared and declared.next_step)
        shown.append({"status": standing.status, "ball": standing.ball, "next_step": next_step})
    return case_standing(moment.case_status, shown)
