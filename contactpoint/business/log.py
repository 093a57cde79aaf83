"""The company's log: each thing done for it, who did it and on what basis."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from contactpoint.db.models import Case, CompanyLogEntry, Person, now
from contactpoint.extensions import db
from contactpoint.platform.i18n import text
from workflows.representation import BASES


def record(
    organisation_number: str,
    person: Person,
    basis: str,
    kind: str,
    case_id: str | None = None,
    **detail: Any,
) -> None:
    """Add a line to the company's log (committed with the caller's transaction)."""
    db.session.add(
        CompanyLogEntry(
            organisation_number=organisation_number,
            at=now(),
            person_id=person.id,
            basis=basis,
            kind=kind,
            case_id=case_id,
            detail=detail,
        )
    )


def entries(organisation_number: str, language: str | None = None) -> list[dict[str, Any]]:
    """The company's log, newest first, with who did each thing and on what basis."""
    rows = db.session.execute(
        sa.select(CompanyLogEntry, Person.name)
        .join(Person, Person.id == CompanyLogEntry.person_id)
        .where(CompanyLogEntry.organisation_number == organisation_number)
        .order_by(CompanyLogEntry.at.desc())
    ).all()
    return [
        {
            "at": entry.at,
            "kind": entry.kind,
            "by": name,
            "basis": entry.basis,
            "basis_text": text(BASES[entry.basis], language) if entry.basis in BASES else "",
            "case_id": entry.case_id,
            "detail": entry.detail,
        }
        for entry, name in rows
    ]


def record_answer(case: Case, person_id: str, outcome: str) -> None:
    """A second signatory's yes (`confirmed`) or no (`declined`) to a company's case, in the
    company's log (committed with the answer)."""
    if not case.acting_basis or not case.on_behalf_of:
        return
    db.session.add(
        CompanyLogEntry(
            organisation_number=case.on_behalf_of,
            at=now(),
            person_id=person_id,
            basis="joint_signatory",
            kind=f"case_{outcome}",
            case_id=case.id,
            detail={"life_event": case.life_event},
        )
    )


def record_action(case: Case, person: Person, kind: str) -> None:
    """What the person who made a company's case did to it since (withdrew it, answered an
    agency), in the company's log; committed here. Nothing for anyone else's case."""
    if not case.acting_basis or not case.on_behalf_of:
        return
    record(case.on_behalf_of, person, case.acting_basis, kind, case.id, life_event=case.life_event)
    db.session.commit()
