"""Open statistics per life event: the figures, the rule that protects small counts, and the
monthly roll-up that releases them. Nothing here imports Flask or `contactpoint`."""

from .document import (
    LICENCE,
    NO_CASES,
    SMALL_COUNTS,
    SUPPRESSION,
    csv_text,
    document,
    empty_document,
)
from .figures import ALL, CASE_COUNTS, Figure, FigureKey, LifeEventMonth, month_bounds, month_of
from .release import SETTLE, Release, Released, StatisticsStore, due_months, protect, roll_up
from .suppression import THRESHOLD, Line, determined_figures, suppress

__all__ = [
    "ALL",
    "CASE_COUNTS",
    "LICENCE",
    "NO_CASES",
    "SETTLE",
    "SMALL_COUNTS",
    "SUPPRESSION",
    "THRESHOLD",
    "Figure",
    "FigureKey",
    "LifeEventMonth",
    "Line",
    "Release",
    "Released",
    "StatisticsStore",
    "csv_text",
    "determined_figures",
    "document",
    "due_months",
    "empty_document",
    "month_bounds",
    "month_of",
    "protect",
    "roll_up",
    "suppress",
]
