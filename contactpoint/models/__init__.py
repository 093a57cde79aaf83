"""Kontaktpunkt's tables, one module per aggregate; import models from here."""

from contactpoint.models.audit import AuditEntry
from contactpoint.models.cases import Case, CaseEvent, DataShare, Draft, Person, Step, new_id, now
from contactpoint.models.durability import AgencyCallback
from contactpoint.models.feedback import Feedback
from contactpoint.models.operations import CASES_BY_PERSON_NEWEST  # noqa: F401  (an index on `cases`)

__all__ = [
    "AgencyCallback",
    "AuditEntry",
    "Case",
    "CaseEvent",
    "DataShare",
    "Draft",
    "Feedback",
    "Person",
    "Step",
    "new_id",
    "now",
]
