"""The outbox sweep finds the cases that recovery must advance, and no others.

A case whose next steps wait for a step still under way at its agency (for days, when a case
officer handles it) is not stalled. The sweep takes the oldest candidates first, up to a
limit, so such cases, were they candidates, would fill every pass and hide the newer ones
that are.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask

from contactpoint.extensions import db
from contactpoint.models import Case, CaseEvent, DataShare, Step
from tests.integration.test_step_statements import Collect, new_case
from workflows import engine, recovery, runtime

EVENT = "start-business"  # its first step, the company's registration, comes before the rest


@pytest.fixture()
def cases(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The ids of the cases a test makes; removed afterwards, so that no other test sees them
    waiting at an agency."""
    monkeypatch.setattr(runtime.current(), "dispatcher", Collect())
    made: list[str] = []
    with app.app_context():
        yield made
        db.session.rollback()
        for model in (CaseEvent, DataShare, Step):
            db.session.execute(sa.delete(model).where(model.case_id.in_(made)))
        db.session.execute(sa.delete(Case).where(Case.id.in_(made)))
        db.session.commit()


def _new_case(made: list[str]) -> tuple[str, str]:
    """A new case and the id of its first step (claimed and sent, as a submission does)."""
    case_id = new_case(EVENT)
    made.append(case_id)
    first = db.session.scalar(
        sa.select(Step.id).where(Step.case_id == case_id, Step.dispatched_at.is_not(None))
    )
    assert first is not None
    return case_id, first


def test_the_outbox_skips_cases_whose_next_steps_wait_for_a_step_under_way(
    cases: list[str],
) -> None:
    store = runtime.current().store
    waiting = []
    for _ in range(3):  # the registration is with its agency, not yet decided
        case_id, first = _new_case(cases)
        db.session.execute(
            sa.update(Step).where(Step.id == first).values(status="waiting", ball="agency")
        )
        db.session.commit()
        waiting.append(case_id)
    unsent, first = _new_case(cases)  # its first step's message never reached the broker
    store.release_dispatch([first])
    unadvanced, first = _new_case(cases)  # its first step ended; nothing sent what came next
    current = runtime.current()
    engine.run_step(current.store, current.adapters, first, current.retry, dispatcher=None)
    db.session.rollback()

    found = store.stalled_cases(limit=10_000)

    assert unsent in found and unadvanced in found
    assert not set(waiting) & set(found)
    collect = Collect()
    advanced = recovery.relay_outbox(store, collect, limit=10_000)
    assert unsent in advanced and unadvanced in advanced
    sent_to = set(db.session.scalars(sa.select(Step.case_id).where(Step.id.in_(collect.sent))))
    assert {unsent, unadvanced} <= sent_to and not set(waiting) & sent_to
