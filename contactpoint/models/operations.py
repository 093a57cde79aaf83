"""Indexes for the reads that run most: a citizen's cases newest first (My pages, the API)."""

from __future__ import annotations

import sqlalchemy as sa

from .cases import Case

CASES_BY_PERSON_NEWEST = sa.Index("ix_cases_person_created", Case.person_id, Case.created_at)
