"""Kontaktpunkt's tables, one module per aggregate; import models from here."""

from contactpoint.db.models.audit import AuditChainHead, AuditCheckpoint, AuditEntry
from contactpoint.db.models.business import CompanyLogEntry, PowerOfAttorneyRow
from contactpoint.db.models.cases import (
    Case,
    CaseEvent,
    DataShare,
    Draft,
    Person,
    Step,
    new_id,
    now,
    utc,
)
from contactpoint.db.models.confirmations import Confirmation
from contactpoint.db.models.durability import AgencyCallback
from contactpoint.db.models.feedback import Feedback
from contactpoint.db.models.messages import Message
from contactpoint.db.models.notifications import Contact, Notification
from contactpoint.db.models.operations import CASES_BY_PERSON_NEWEST  # noqa: F401  (an index on `cases`)
from contactpoint.db.models.proactive import ConsumedEvent, DeadlineWatch, ProactiveCursor
from contactpoint.db.models.sessions import EndedSession
from contactpoint.db.models.statistics import StatisticsFigure, StatisticsRelease

__all__ = [
    "AgencyCallback",
    "AuditChainHead",
    "AuditCheckpoint",
    "AuditEntry",
    "Case",
    "CaseEvent",
    "CompanyLogEntry",
    "Confirmation",
    "ConsumedEvent",
    "Contact",
    "DataShare",
    "DeadlineWatch",
    "Draft",
    "EndedSession",
    "Feedback",
    "Message",
    "Notification",
    "Person",
    "PowerOfAttorneyRow",
    "ProactiveCursor",
    "StatisticsFigure",
    "StatisticsRelease",
    "Step",
    "new_id",
    "now",
    "utc",
]
