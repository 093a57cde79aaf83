"""Indexes for the reads and writes that run most.

A citizen's cases newest first (My pages, the API); a submission attaching the journey's
register reads to its case; the recovery sweep looking for open cases among every closed one.
"""

from __future__ import annotations

import sqlalchemy as sa

from .cases import Case, DataShare

CASES_BY_PERSON_NEWEST = sa.Index("ix_cases_person_created", Case.person_id, Case.created_at)
SHARES_BY_PERSON_AND_CASE = sa.Index(
    "ix_data_shares_person_case", DataShare.person_id, DataShare.case_id
)
CASES_BY_STATUS = sa.Index("ix_cases_status", Case.status)
