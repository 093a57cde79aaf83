"""Phases 2 and 5: `moving` cases through the service layer, the real workflow and worker."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from flask import Flask

from contactpoint.auth import known_person
from contactpoint.bench.runtime import BenchError, BenchRuntime, wait_for
from contactpoint.bench.stats import (
    Progress,
    StepTimes,
    critical_path,
    latency_parts_p50,
    submit_batch,
    throughput_and_latency,
)
from contactpoint.citizen.cases import submit_case
from contactpoint.db.models import Case, Person, Step
from contactpoint.extensions import db
from contactpoint.platform.celery_app import all_queues
from workflows import CaseStatus, catalogue, plan_steps

EVENT = "moving"
CLOSED = (CaseStatus.DONE, CaseStatus.DONE_WITH_PROBLEMS)  # ended by its agencies


def automatic_answers(event_id: str = EVENT) -> dict[str, Any]:
    """The life event's example answers, turned so that no step waits for a person.

    A step handled by a person at the agency never ends by itself; the benchmark measures the
    orchestration, so a yes/no answer that brings in such a step is answered no.
    """
    event = catalogue()[event_id]
    answers = dict(event.example_answers)
    for plan in plan_steps(event, answers):
        when = plan.step.when
        if plan.status != "not_needed" and plan.step.handling == "manual":
            if when is None or when.kind != "compare" or when.value is not True:
                raise BenchError(f"step {plan.id} of {event_id} always waits for a person")
            answers[when.answer] = False
    return answers


def steps_per_case() -> tuple[int, int]:
    """The steps of the benchmark's `moving` case, and how many of them go to an agency."""
    plans = plan_steps(catalogue()[EVENT], automatic_answers())
    return len(plans), sum(1 for plan in plans if plan.status != "not_needed")


def _chunks(ids: list[str], size: int = 500) -> list[list[str]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def _closed(ids: list[str]) -> set[str]:
    """Which of these cases are closed."""
    closed: set[str] = set()
    for chunk in _chunks(ids):
        closed.update(
            db.session.scalars(
                sa.select(Case.id).where(Case.id.in_(chunk), Case.status.in_(CLOSED))
            )
        )
    db.session.rollback()  # end the read so the next poll sees new commits
    return closed


def _paths(ids: list[str]) -> dict[str, list[StepTimes]]:
    """Each case's critical path: the steps, each with its start and end, that decided
    when it finished (the last of them finished last)."""
    steps: dict[str, list[StepTimes]] = {}
    for chunk in _chunks(ids):
        rows = db.session.execute(
            sa.select(
                Step.case_id, Step.key, Step.depends_on, Step.started_at, Step.finished_at
            ).where(
                Step.case_id.in_(chunk), Step.started_at.is_not(None), Step.finished_at.is_not(None)
            )
        )
        for case_id, key, needs, started, finished in rows:
            assert started is not None and finished is not None, "the query leaves out None"
            times = StepTimes(key, tuple(needs), _epoch(started), _epoch(finished))
            steps.setdefault(case_id, []).append(times)
    db.session.rollback()
    return {case_id: critical_path(times) for case_id, times in steps.items()}


def _epoch(at: dt.datetime | str) -> float:
    """A stored moment in epoch seconds (SQLite may hand back the stored text)."""
    if isinstance(at, str):
        at = dt.datetime.fromisoformat(at)
    return (at if at.tzinfo else at.replace(tzinfo=dt.UTC)).timestamp()


def run_cases(
    app: Flask, count: int, rate: float | None, label: str, show: bool
) -> dict[str, float]:
    """Submit `count` cases as the API does and wait until every one is closed."""
    event = catalogue()[EVENT]
    with app.app_context():
        person = db.session.scalar(
            sa.select(Person).where(Person.personal_number == event.example_person)
        )
        assert person is not None, "the test population is not seeded"

        answers = automatic_answers()
        person_id = person.id
        db.session.remove()

        def submit(_n: int) -> str:  # as the API does it: a request's person, read anew
            try:
                who = known_person(person_id)
                assert who is not None
                return str(submit_case(who, event, dict(answers)).id)
            finally:
                db.session.remove()  # as a request ends: the committed person not kept

        submitted, ids = submit_batch(submit, count, rate, Progress(label, count, show))
        progress = Progress(label.replace("submit", "done"), count, show)

        still_open = list(ids)

        def all_closed() -> bool:  # asks only about the cases still open: each poll is cheaper
            closed = _closed(still_open)
            still_open[:] = [case_id for case_id in still_open if case_id not in closed]
            progress.update(count - len(still_open))
            return not still_open

        wait_for(all_closed, 120 + count, f"{count} cases to close", 0.1)
        progress.close()
        found = _paths(ids)
        paths = [found[case_id] for case_id in ids]
    finished = [path[-1].finished for path in paths]
    return throughput_and_latency(submitted, finished) | latency_parts_p50(submitted, paths)


@contextmanager
def our_workers(runtime: BenchRuntime, workers: int) -> Iterator[int]:
    """Kontaktpunkt's worker processes on every queue, warmed up; yields the worker's pid."""
    with runtime.celery_worker("worker", all_queues(), workers) as pid:
        run_cases(runtime.app(), 20, None, "ours: warm-up", False)
        yield pid


def measure_saturation(runtime: BenchRuntime, cases: int, workers: int, show: bool) -> float:
    """Cases per second at saturation with `workers` worker processes."""
    app = runtime.app()
    with runtime.celery_worker("worker", all_queues(), workers):
        run_cases(app, min(cases, 10), None, "warm-up", False)
        label = f"scale: submit ({workers} worker{'s' if workers > 1 else ''})"
        return run_cases(app, cases, None, label, show)["cases_per_s"]
