"""Acting for a company: who may, on what basis (the company register's signatories, or a
power of attorney a signatory gave), and for which life events."""

from .rules import (
    BASES,
    PowerOfAttorney,
    Standing,
    acting_for_company,
    co_signatories,
    co_signatory_for,
    company_name,
    may_grant,
    representations,
    signatories,
    standing_for,
)

__all__ = [
    "BASES",
    "PowerOfAttorney",
    "Standing",
    "acting_for_company",
    "co_signatories",
    "co_signatory_for",
    "company_name",
    "may_grant",
    "representations",
    "signatories",
    "standing_for",
]
