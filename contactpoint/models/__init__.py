"""Kontaktpunkt's tables, one module per aggregate; import models from here."""

from .cases import Case, CaseEvent, DataShare, Draft, Person, Step, new_id, now

__all__ = ["Case", "CaseEvent", "DataShare", "Draft", "Person", "Step", "new_id", "now"]
