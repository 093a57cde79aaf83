"""The statistics page, `/statistik`: open to everyone, in Swedish and English."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

from contactpoint.platform.i18n import current_language
from contactpoint.statistics.reads import published_document
from contactpoint.statistics.view import (
    CASE_MEASURES,
    SHOWN_MONTHS,
    STEP_MEASURES,
    life_event_view,
    month_name,
    totals_rows,
)
from workflows.statistics import THRESHOLD

bp = Blueprint("statistics", __name__)


@bp.get("/statistik")
def page() -> Any:
    """Charts of each life event's latest months, each with a table of the same figures."""
    _found, document = published_document()
    language = current_language()
    return render_template(
        "statistics/page.html",
        document=document,
        events=[life_event_view(event, language) for event in document["life_events"]],
        totals=totals_rows(document),
        case_headings=[label for _m, label in CASE_MEASURES],
        step_headings=[label for _m, label in STEP_MEASURES],
        last=month_name(document["last_period"]) if document["last_period"] else None,
        shown_months=SHOWN_MONTHS,
        threshold=THRESHOLD,
    )
