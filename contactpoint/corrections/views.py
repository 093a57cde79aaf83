"""What a correction means, per agency, as the check page and the API show it."""

from __future__ import annotations

from typing import Any

from contactpoint.citizen.presenters import agency_name
from contactpoint.platform.i18n import text
from workflows import LifeEvent, declared_step
from workflows.corrections import CorrectionPlan


def correction_view(plan: CorrectionPlan, event: LifeEvent, language: str) -> dict[str, Any]:
    """The plan: the answers changed, the corrections each agency receives (changed fields
    only), the steps that now apply and those that no longer do, grouped per agency too."""

    def title(key: str) -> str:
        declared = declared_step(event, key)
        return text(declared.title, language) if declared else key

    corrections = [
        {
            "key": item.key,
            "corrects": item.corrects,
            "title": title(item.corrects),
            "agency": item.agency,
            "fields": list(item.fields),
            "request": item.request,
        }
        for item in plan.corrections
    ]
    added = [
        {"key": p.id, "title": title(p.id), "agency": p.step.agency, "fields": list(p.fields)}
        for p in plan.added
    ]
    removed = [
        {"key": s.key, "title": title(s.key), "agency": s.agency, "told": s.received}
        for s in plan.removed
    ]
    agencies: dict[str, dict[str, Any]] = {}
    parts: tuple[tuple[str, list[dict[str, Any]]], ...] = (
        ("corrections", corrections),
        ("added", added),
        ("removed", removed),
    )
    for part, items in parts:
        for item in items:
            agency = str(item["agency"])
            entry = agencies.setdefault(
                agency,
                {
                    "agency": agency,
                    "agency_name": agency_name(agency, language),
                    "corrections": [],
                    "added": [],
                    "removed": [],
                },
            )
            entry[part].append(item)
    return {
        "changed": list(plan.changed),
        "corrections": corrections,
        "added": added,
        "removed": removed,
        "agencies": list(agencies.values()),
        "digest": plan.digest,
    }
