"""Indexes for the reads and writes that run most.

A citizen's cases newest first (My pages, the API); the cases made on someone's behalf and a
step by its agency's reference (the parties of Mina ärenden); a submission attaching the
journey's register reads to its case; the recovery sweep looking for open cases among every
closed one; the retention pass finding what has expired (partial indexes: a case enters its
index when it closes, a register read leaves its index when a case takes it; a case made for
someone else, or a step its agency has given a reference, enters its own).
"""

from __future__ import annotations

import sqlalchemy as sa

from contactpoint.db.models.audit import AuditEntry
from contactpoint.db.models.cases import Case, DataShare, Step
from contactpoint.db.models.feedback import Feedback

CASES_BY_PERSON_NEWEST = sa.Index("ix_cases_person_created", Case.person_id, Case.created_at)
SHARES_BY_PERSON_AND_CASE = sa.Index(
    "ix_data_shares_person_case", DataShare.person_id, DataShare.case_id
)
CASES_BY_BEHALF = sa.Index(
    "ix_cases_on_behalf_of",
    Case.on_behalf_of,
    postgresql_where=Case.on_behalf_of.isnot(None),
    sqlite_where=Case.on_behalf_of.isnot(None),
)
STEPS_BY_AGENCY_REFERENCE = sa.Index(
    "ix_steps_agency_reference",
    Step.agency_reference,
    postgresql_where=Step.agency_reference.isnot(None),
    sqlite_where=Step.agency_reference.isnot(None),
)
CASES_BY_STATUS = sa.Index("ix_cases_status", Case.status)
CASES_BY_CLOSING = sa.Index(
    "ix_cases_closed_at",
    Case.closed_at,
    postgresql_where=Case.closed_at.isnot(None),
    sqlite_where=Case.closed_at.isnot(None),
)
READS_WITHOUT_CASE = sa.Index(
    "ix_data_shares_unattached_at",
    DataShare.at,
    postgresql_where=DataShare.case_id.is_(None),
    sqlite_where=DataShare.case_id.is_(None),
)
AUDIT_BY_TIME = sa.Index("ix_audit_entries_at", AuditEntry.at)
# The monthly statistics roll-up: a month's submitted cases and its feedback, by time.
CASES_BY_SUBMISSION = sa.Index("ix_cases_created_at", Case.created_at)
FEEDBACK_BY_TIME = sa.Index("ix_feedback_at", Feedback.at)
