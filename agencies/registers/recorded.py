"""The population register's own records: who lives where, who was born and who died, whose
passport runs out when, and the events it publishes (a birth, a death, a change of address).

They are kept in the simulated agencies' storage, apart from Kontaktpunkt's data. The six of
the test population and the people around them are written here on first use; a birth, a
death or a move recorded later (`contactpoint sandbox register-event`) is an event with an id
of its own, which Kontaktpunkt consumes once.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import sqlalchemy as sa

from .. import clock
from ..population import Resident
from .recorded_tables import (
    EVENT_RELATIONS,
    PASSPORTS,
    RegisterEvent,
    adults_at_home,
    events,
    moves,
    people,
    person_row,
    personal_number,
    prepare,
    relations,
)

__all__ = ["PASSPORTS", "PopulationRegister", "RegisterEvent", "people"]


class PopulationRegister:
    """The register's records over the sandbox's engine (`engine`: called on first use)."""

    def __init__(self, engine: Callable[[], sa.Engine]) -> None:
        self._engine_of = engine
        self._ready = False
        self._lock = threading.Lock()

    @property
    def engine(self) -> sa.Engine:
        """The engine, with the register's tables and the test population in it."""
        engine = self._engine_of()
        with self._lock:
            if not self._ready:
                with engine.begin() as connection:
                    prepare(connection)
                self._ready = True
        return engine

    def record_birth(self, parents: list[str], name: str | None = None) -> RegisterEvent:
        """Register a child born today to these guardians, at the first one's address."""
        today = clock.today()
        with self.engine.begin() as connection:
            first = person_row(connection, parents[0])
            taken: set[str] = set(
                connection.scalars(
                    sa.select(people.c.personal_number).where(
                        people.c.personal_number.like(f"{today:%Y%m%d}-%")
                    )
                )
            )
            serial = next(n for n in range(1, 1000) if personal_number(today, n) not in taken)
            child = personal_number(today, serial)
            surname = first.name.split()[-1]  # a child has no first names until they are given
            connection.execute(
                sa.insert(people).values(
                    personal_number=child,
                    name=name or surname,
                    street=first.street,
                    postal_code=first.postal_code,
                    municipality=first.municipality,
                )
            )
            connection.execute(
                sa.insert(relations),
                [{"person": parent, "kind": "guardian", "other": child} for parent in parents],
            )
            return self._publish(connection, "birth", child, today)

    def record_death(
        self, person: str, on: dt.date | None = None, estate: list[str] | None = None
    ) -> RegisterEvent:
        """Register that the person died (today by default). The members of the estate are
        those named, or else the adults who lived with them."""
        day = on or clock.today()
        with self.engine.begin() as connection:
            found = person_row(connection, person)
            connection.execute(
                sa.update(people).where(people.c.personal_number == person).values(died_on=day)
            )
            members = estate if estate is not None else adults_at_home(connection, found, day)
            known: set[str] = set(
                connection.scalars(
                    sa.select(relations.c.person).where(
                        relations.c.other == person, relations.c.kind == "estate_member"
                    )
                )
            )
            added = [m for m in members if m not in known and m != person]
            if added:
                connection.execute(
                    sa.insert(relations),
                    [{"person": m, "kind": "estate_member", "other": person} for m in added],
                )
            return self._publish(connection, "death", person, day)

    def record_move(
        self, person: str, address: dict[str, str], on: dt.date | None = None
    ) -> RegisterEvent:
        """Register that the person moved (today by default) to `address` (`street`,
        `postal_code`, `municipality`: its SCB code)."""
        day = on or clock.today()
        with self.engine.begin() as connection:
            found = person_row(connection, person)
            if found.died_on is not None:
                raise ValueError(f"{person} has died")
            new = {key: address[key] for key in ("street", "postal_code", "municipality")}
            connection.execute(
                sa.update(people).where(people.c.personal_number == person).values(**new)
            )
            moved = {**new, "previous_municipality": found.municipality}
            return self._publish(connection, "change-of-address", person, day, moved)

    def _publish(
        self,
        connection: sa.Connection,
        kind: str,
        subject: str,
        day: dt.date,
        address: dict[str, str] | None = None,
    ) -> RegisterEvent:
        event_id = uuid.uuid4().hex
        connection.execute(
            sa.insert(events).values(
                id=event_id, kind=kind, subject=subject, occurred_on=day, recorded_at=clock.now()
            )
        )
        if address:
            connection.execute(sa.insert(moves).values(event_id=event_id, **address))
        found = self._event(connection, event_id)
        assert found is not None
        return found

    def event(self, event_id: str) -> RegisterEvent | None:
        """The published event with this id, with the people it concerns as they are now."""
        with self.engine.connect() as connection:
            return self._event(connection, event_id)

    def _event(self, connection: sa.Connection, event_id: str) -> RegisterEvent | None:
        row = connection.execute(sa.select(events).where(events.c.id == event_id)).one_or_none()
        if row is None:
            return None
        kind = EVENT_RELATIONS.get(row.kind)
        related: list[str] = [row.subject]
        if kind is not None:
            related = list(
                connection.scalars(
                    sa.select(relations.c.person)
                    .where(relations.c.other == row.subject, relations.c.kind == kind)
                    .order_by(relations.c.person)
                )
            )
        name = connection.scalar(
            sa.select(people.c.name).where(people.c.personal_number == row.subject)
        )
        moved = connection.execute(sa.select(moves).where(moves.c.event_id == row.id)).first()
        address = {k: v for k, v in moved._mapping.items() if k != "event_id"} if moved else {}
        return RegisterEvent(
            row.id, row.kind, row.subject, name or "", row.occurred_on, tuple(related), address
        )

    def events_since(self, moment: dt.datetime, batch: int = 500) -> Iterator[list[str]]:
        """The ids of events recorded at or after `moment`, oldest first, in pages of `batch`
        (a sweep's catch-up)."""
        after: tuple[dt.datetime, str] | None = None
        while True:
            query = sa.select(events.c.recorded_at, events.c.id).where(
                events.c.recorded_at >= moment
            )
            if after is not None:
                query = query.where(
                    sa.tuple_(events.c.recorded_at, events.c.id)
                    > sa.tuple_(
                        sa.literal(after[0], sa.DateTime(timezone=True)), sa.literal(after[1])
                    )
                )
            query = query.order_by(events.c.recorded_at, events.c.id).limit(batch)
            with self.engine.connect() as connection:
                rows = list(connection.execute(query))
            if not rows:
                return
            yield [row.id for row in rows]
            after = (rows[-1].recorded_at, rows[-1].id)

    def passports_expiring(
        self, first: dt.date, last: dt.date, batch: int = 1000
    ) -> Iterator[list[Any]]:
        """The living people whose passport runs out between `first` and `last`, in pages of
        `batch` read by the passport index (keyset: never the whole window at once)."""
        after: tuple[dt.date, str] | None = None
        columns = (people.c.personal_number, people.c.name, people.c.passport_expires_on)
        while True:
            query = sa.select(*columns).where(
                people.c.passport_expires_on.between(first, last), people.c.died_on.is_(None)
            )
            if after is not None:
                query = query.where(
                    sa.tuple_(people.c.passport_expires_on, people.c.personal_number)
                    > sa.tuple_(sa.literal(after[0]), sa.literal(after[1]))
                )
            query = query.order_by(people.c.passport_expires_on, people.c.personal_number)
            with self.engine.connect() as connection:
                rows = list(connection.execute(query.limit(batch)).all())
            if not rows:
                return
            yield rows
            after = (rows[-1].passport_expires_on, rows[-1].personal_number)

    def living(self, numbers: Iterable[str]) -> dict[str, str]:
        """Of these people, the living ones with their names."""
        wanted = list(numbers)
        if not wanted:
            return {}
        query = sa.select(people.c.personal_number, people.c.name).where(
            people.c.personal_number.in_(wanted), people.c.died_on.is_(None)
        )
        with self.engine.connect() as connection:
            return {row.personal_number: row.name for row in connection.execute(query)}

    def deceased(self, numbers: Iterable[str]) -> set[str]:
        """Of these people, those the register records as dead (one query by number)."""
        wanted = list(numbers)
        query = sa.select(people.c.personal_number).where(
            people.c.personal_number.in_(wanted), people.c.died_on.is_not(None)
        )
        with self.engine.connect() as connection:
            return set(connection.scalars(query)) if wanted else set()

    def resident(self, number: str) -> Resident | None:
        """A person the register recorded (for the lookups of `agencies.population`)."""
        return self.residents([number]).get(number)

    def residents(self, numbers: list[str]) -> dict[str, Resident]:
        """The people among `numbers` the register recorded, each with the day of their latest
        recorded move, in one query."""
        latest_move = (
            sa.select(sa.func.max(events.c.occurred_on))
            .where(events.c.subject == people.c.personal_number)
            .where(events.c.kind == "change-of-address")
            .scalar_subquery()
        )
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(people, latest_move.label("moved_on")).where(
                    people.c.personal_number.in_(numbers)
                )
            ).all()
        return {
            row.personal_number: Resident(
                row.personal_number,
                row.name,
                row.street,
                row.postal_code,
                row.municipality,
                {"sv": "", "en": ""},
                died_on=row.died_on.isoformat() if row.died_on else None,
                moved_on=row.moved_on.isoformat() if row.moved_on else None,
            )
            for row in rows
        }

    def is_related(self, person: str, kind: str, other: str) -> bool:
        """Whether the register records the relation."""
        query = sa.select(relations.c.person).where(
            relations.c.person == person, relations.c.kind == kind, relations.c.other == other
        )
        with self.engine.connect() as connection:
            return connection.scalar(query) is not None

    def related_to(self, kind: str, other: str) -> list[str]:
        """Everyone the register records in `kind` to `other` (a child's guardians)."""
        return self._relations(relations.c.person, relations.c.other == other, kind)

    def relations_of(self, person: str, kind: str) -> list[str]:
        """Everyone `person` stands in `kind` to (a guardian's children)."""
        return self._relations(relations.c.other, relations.c.person == person, kind)

    def _relations(self, wanted: Any, where: Any, kind: str) -> list[str]:
        query = sa.select(wanted).where(where, relations.c.kind == kind).order_by(wanted)
        with self.engine.connect() as connection:
            return list(connection.scalars(query))
