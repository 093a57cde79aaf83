"""Kontaktpunkt's tables, one module per aggregate; import models from here."""

from .audit import AuditEntry
from .cases import Case, CaseEvent, DataShare, Draft, Person, Step, new_id, now
from .durability import AgencyCallback
from .feedback import Feedback
from .operations import CASES_BY_PERSON_NEWEST  # noqa: F401  (an index on `cases`)

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
