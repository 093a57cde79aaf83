"""A synthetic population with many cases, written in bulk (for the read benchmark)."""

from __future__ import annotations

import json
import random
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from stdnum import luhn

from contactpoint.bench.ours import automatic_answers
from contactpoint.bench.stats import Progress
from contactpoint.db.models import Case, CaseEvent, Person, Step, new_id
from contactpoint.db.sealed_types import SealedDetail, seals, stored_row
from contactpoint.extensions import db
from workflows import catalogue, plan_steps

FIRST = ["Alva", "Elsa", "Maja", "Ella", "Wilma", "Hugo", "William", "Liam", "Noah", "Oscar"]
LAST = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson"]
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CHUNK = 5000
EMPTY: dict[str, Any] = {}


@dataclass(frozen=True)
class Population:
    """Ids to read: (person id, case id) pairs, and the probe people of few and many cases."""

    cases: list[tuple[str, str]]
    few: tuple[str, str]  # a person with one case of few steps, and that case
    many: tuple[str, str]  # a person with many cases of many steps, and one of them


def personal_number(serial: int) -> str:
    """A valid, unique synthetic personal identity number for `serial` (born 1930-1999)."""
    born = date(1930, 1, 1) + timedelta(days=serial // 900)
    digits = f"{born:%y%m%d}{100 + serial % 900:03d}"
    return f"{born:%Y%m%d}-{digits[6:]}{luhn.calc_check_digit(digits)}"


def _insert(model: Any, rows: list[dict[str, Any]]) -> None:
    """Insert rows in large driver-level batches: per-row type processing dominates otherwise."""
    table = model.__table__
    if any(seals(column) for column in table.columns):  # sealed at rest, each value by itself
        rows = [stored_row(table, row) for row in rows]
    sqlite = db.engine.dialect.name == "sqlite"
    missing = [c for c in table.columns if c.name not in rows[0] and c.default is not None]
    names = [*rows[0], *(c.name for c in missing)]
    kinds = {c.name: type(c.type) for c in table.columns}
    json_at = {i for i, name in enumerate(names) if issubclass(kinds[name], sa.JSON | SealedDetail)}
    time_at = {i for i, name in enumerate(names) if issubclass(kinds[name], sa.DateTime)}
    converted: dict[Any, Any] = {}

    def convert(index: int, value: Any) -> Any:
        if value is None or not (index in json_at or (sqlite and index in time_at)):
            return value
        key = (index, id(value)) if index in json_at else (index, value)
        if key not in converted:
            converted[key] = (
                json.dumps(value) if index in json_at else value.strftime("%Y-%m-%d %H:%M:%S.%f")
            )
        return converted[key]

    def default(column: Any) -> Any:
        return column.default.arg(None) if column.default.is_callable else column.default.arg

    values = [
        tuple(convert(i, v) for i, v in enumerate([*row.values(), *(default(c) for c in missing)]))
        for row in rows
    ]
    marker = "?" if sqlite else "%s"
    quoted = ", ".join(f'"{name}"' for name in names)
    sql = f'INSERT INTO "{table.name}" ({quoted}) VALUES ({", ".join([marker] * len(names))})'
    connection = db.session.connection()
    for start in range(0, len(values), CHUNK):
        connection.exec_driver_sql(sql, values[start : start + CHUNK])


def generate(cases: int, people: int, seed: int = 8, show: bool = True) -> Population:
    """Write `people` synthetic people and `cases` `moving` cases with their steps."""
    rng = random.Random(seed)

    event = catalogue()["moving"]
    answers = automatic_answers()
    plans = plan_steps(event, answers)
    now = datetime.now(UTC)
    person_ids = [new_id() for _ in range(people)]
    _insert(
        Person,
        [
            {
                "id": pid,
                "personal_number": personal_number(n),
                "name": _name(rng),
                "created_at": now,
            }
            for n, pid in enumerate(person_ids)
        ],
    )
    progress = Progress("reads: generate cases", cases, show)
    pairs: list[tuple[str, str]] = []
    for start in range(0, cases, CHUNK):
        size = min(CHUNK, cases - start)
        batch = [(person_ids[(start + i) % people], new_id()) for i in range(size)]
        _write_cases(batch, plans, answers, rng, now)
        pairs.extend(batch)
        progress.update(start + size)
    progress.close()
    few = _probe(1, plans[:2], answers, rng, now)
    many = _probe(20, plans + plans, answers, rng, now)
    db.session.commit()
    return Population(cases=pairs, few=few, many=many)


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _write_cases(
    batch: list[tuple[str, str]], plans: list[Any], answers: Any, rng: random.Random, now: Any
) -> None:
    """One chunk of cases with their steps and their first timeline line."""
    case_rows, step_rows, event_rows = [], [], []
    shared = {plan.id: (list(plan.depends_on), list(plan.fields)) for plan in plans}
    for person_id, case_id in batch:
        closed = rng.random() < 0.7
        created = now - timedelta(minutes=rng.randrange(1, 500_000))
        case_rows.append(
            {
                "id": case_id,
                "reference": "KP-" + "".join(secrets.choice(ALPHABET) for _ in range(10)),
                "person_id": person_id,
                "life_event": "moving",
                "status": "done" if closed else "in_progress",
                "answers": answers,
                "consented_at": created,
                "created_at": created,
                "updated_at": created,
                "closed_at": created if closed else None,
            }
        )
        # Each step done some minutes to days after the case was sent, as the statistics
        # count real ones (time to done per step); a closed case closes with its last step.
        done_after = [timedelta(minutes=rng.randrange(1, 4000)) for _ in plans]
        if closed:
            case_rows[-1]["closed_at"] = created + max(done_after)
        for position, plan in enumerate(plans):
            skipped = plan.status == "not_needed"
            finished = closed or (skipped or rng.random() < 0.5)
            step_rows.append(
                {
                    "id": new_id(),
                    "case_id": case_id,
                    "position": position,
                    "key": plan.id,
                    "agency": plan.step.agency,
                    "status": "not_needed" if skipped else ("done" if finished else "waiting"),
                    "ball": "none" if finished else "agency",
                    "depends_on": shared[plan.id][0],
                    "fields": shared[plan.id][1],
                    "manual": False,
                    "attempts": 0 if skipped else 1,
                    "outputs": EMPTY,
                    "finished_at": created + done_after[position] if finished else None,
                    "updated_at": created,
                }
            )
        event_rows.append(
            {"case_id": case_id, "at": created, "kind": "case_submitted", "detail": EMPTY}
        )
    _insert(Case, case_rows)
    _insert(Step, step_rows)
    _insert(CaseEvent, event_rows)


def _probe(
    count: int, plans: list[Any], answers: Any, rng: random.Random, now: Any
) -> tuple[str, str]:
    """A person of their own with `count` cases of `len(plans)` steps each."""
    person_id = new_id()
    _insert(
        Person,
        [{"id": person_id, "personal_number": personal_number(899_000 + count), "name": "Probe"}],
    )
    batch = [(person_id, new_id()) for _ in range(count)]
    _write_cases(batch, plans, answers, rng, now)
    return batch[0]
