"""The simulated agencies' own storage: what each received, kept apart from Kontaktpunkt's data."""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.schema import CreateIndex, CreateTable

metadata = sa.MetaData()

submissions = sa.Table(
    "sandbox_submissions",
    metadata,
    sa.Column("idempotency_key", sa.String(100), primary_key=True),
    sa.Column("agency", sa.String(40), nullable=False, index=True),
    sa.Column("reference", sa.String(40), nullable=False, unique=True),
    sa.Column("case_id", sa.String(40), nullable=False),
    sa.Column("step_id", sa.String(40), nullable=False),
    sa.Column("step", sa.String(80), nullable=False),
    sa.Column("life_event", sa.String(80), nullable=False),
    sa.Column("on_behalf_of", sa.String(40)),
    sa.Column("payload", sa.JSON, nullable=False),
    # `submission`, or `correction`: changed facts of a step received before (`step`).
    sa.Column("kind", sa.String(16), nullable=False, server_default="submission"),
    sa.Column("times_received", sa.Integer, nullable=False, default=1),
    sa.Column("first_received_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("last_received_at", sa.DateTime(timezone=True), nullable=False),
)


withdrawals = sa.Table(
    "sandbox_withdrawals",
    metadata,
    sa.Column("idempotency_key", sa.String(120), primary_key=True),
    sa.Column("agency", sa.String(40), nullable=False),
    sa.Column("step_id", sa.String(40), nullable=False, index=True),
    sa.Column("times_received", sa.Integer, nullable=False, default=1),
    sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
)


# Columns added since the ledger's first tables: added where an older sandbox lacks them.
LATER_COLUMNS = {"sandbox_submissions": ("kind",)}

# For a company's submission: who acted for it and on what basis, as the agency received it.
acting = sa.Table(
    "sandbox_acting",
    metadata,
    sa.Column("idempotency_key", sa.String(100), primary_key=True),
    sa.Column("organisation_number", sa.String(16), nullable=False),
    sa.Column("acted_by", sa.String(40), nullable=False),
    sa.Column("basis", sa.String(40), nullable=False),
)


@dataclass(frozen=True)
class LedgerEntry:
    """One submission, correction or withdrawal as the agency holds it (`kind`)."""

    agency: str
    idempotency_key: str
    reference: str
    case_id: str
    step_id: str
    step: str
    fields: list[str]
    on_behalf_of: str | None
    times_received: int
    kind: str = "submission"
    acting: dict[str, str] | None = None

    def as_dict(self) -> dict[str, Any]:
        """The entry as printed by `contactpoint sandbox ledger --json`."""
        return {
            "agency": self.agency,
            "idempotency_key": self.idempotency_key,
            "reference": self.reference,
            "case_id": self.case_id,
            "step_id": self.step_id,
            "step": self.step,
            "fields": self.fields,
            "on_behalf_of": self.on_behalf_of,
            "times_received": self.times_received,
            "kind": self.kind,
            "acting": self.acting,
        }


class Ledger:
    """Records submissions idempotently: one row per idempotency key, a count of deliveries."""

    def __init__(self, url: str, engine_options: dict[str, Any] | None = None) -> None:
        """`engine_options`: for its engine (on SQLite by default: wait up to 30 s for a lock)."""
        self.url = url
        self._options = engine_options
        self._engine: sa.Engine | None = None
        self._lock = threading.Lock()

    @property
    def engine(self) -> sa.Engine:
        """Connect on first use, never at import (a forked worker gets its own connection)."""
        with self._lock:
            if self._engine is None:
                options: dict[str, Any] = dict(self._options or {})
                if self._options is None and self.url.startswith("sqlite"):
                    options["connect_args"] = {"timeout": 30}
                self._engine = sa.create_engine(self.url, **options)
                if self.url.startswith("sqlite"):
                    sa.event.listen(self._engine, "connect", _sqlite_wal)
                _create_tables(self._engine)
            return self._engine

    def dispose(self) -> None:
        """Drop pooled connections (after a fork)."""
        if self._engine is not None:
            self._engine.dispose()

    def record(self, agency: str, request: Any, reference: str) -> tuple[str, int]:
        """Store a submission once; return its reference and how many times it has arrived."""
        now = dt.datetime.now(dt.UTC)
        row = {
            "idempotency_key": request.idempotency_key,
            "agency": agency,
            "reference": reference,
            "case_id": request.case_id,
            "step_id": request.step_id,
            "step": request.step,
            "life_event": request.life_event,
            "on_behalf_of": request.on_behalf_of,
            "payload": request.fields,
            "kind": getattr(request, "kind", "submission"),
            "times_received": 1,
            "first_received_at": now,
            "last_received_at": now,
        }
        with self.engine.begin() as conn:
            stored = conn.execute(_upsert(self.engine.dialect.name), row).one()
            company = getattr(request, "acting", None)
            if company and stored.times_received == 1:
                conn.execute(
                    acting.insert(), {"idempotency_key": request.idempotency_key, **company}
                )
        return stored.reference, stored.times_received

    def record_withdrawal(self, agency: str, request: Any) -> int:
        """Store a withdrawal once; return how many times it has arrived."""
        now = dt.datetime.now(dt.UTC)
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        insert = dialect.insert(withdrawals).values(
            idempotency_key=request.idempotency_key,
            agency=agency,
            step_id=request.step_id,
            times_received=1,
            received_at=now,
        )
        upsert = insert.on_conflict_do_update(
            index_elements=["idempotency_key"],
            set_={"times_received": withdrawals.c.times_received + 1},
        ).returning(withdrawals.c.times_received)
        with self.engine.begin() as conn:
            return int(conn.execute(upsert).scalar_one())

    def withdrawn_steps(self) -> dict[str, int]:
        """Step id -> how many times its withdrawal arrived."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(withdrawals.c.step_id, withdrawals.c.times_received))
            return {row.step_id: row.times_received for row in rows}

    def entries(self, agency: str | None = None) -> list[LedgerEntry]:
        """Every submission (or correction) received, oldest first."""
        query = (
            sa.select(submissions, acting.c.organisation_number, acting.c.acted_by, acting.c.basis)
            .outerjoin(acting, acting.c.idempotency_key == submissions.c.idempotency_key)
            .order_by(submissions.c.first_received_at)
        )
        rows = self._rows(query, submissions.c.agency, agency)
        return [
            LedgerEntry(
                agency=row.agency,
                idempotency_key=row.idempotency_key,
                reference=row.reference,
                case_id=row.case_id,
                step_id=row.step_id,
                step=row.step,
                fields=sorted(row.payload),
                on_behalf_of=row.on_behalf_of,
                times_received=row.times_received,
                kind=row.kind,
                acting=(
                    {"organisation_number": row.organisation_number, "acted_by": row.acted_by}
                    | {"basis": row.basis}
                    if row.basis
                    else None
                ),
            )
            for row in rows
        ]

    def withdrawal_entries(self, agency: str | None = None) -> list[LedgerEntry]:
        """Every withdrawal received, with the case and step of the submission it withdraws."""
        query = (
            sa.select(withdrawals, submissions.c.case_id, submissions.c.step)
            .join(submissions, submissions.c.idempotency_key == withdrawals.c.step_id)
            .order_by(withdrawals.c.received_at)
        )
        rows = self._rows(query, withdrawals.c.agency, agency)
        return [
            LedgerEntry(
                agency=row.agency,
                idempotency_key=row.idempotency_key,
                reference="",
                case_id=row.case_id,
                step_id=row.step_id,
                step=row.step,
                fields=[],
                on_behalf_of=None,
                times_received=row.times_received,
                kind="withdrawal",
            )
            for row in rows
        ]

    def _rows(self, query: Any, column: Any, agency: str | None) -> list[Any]:
        """The rows of a query, of one agency's only when `agency` is given."""
        if agency:
            query = query.where(column == agency)
        with self.engine.connect() as conn:
            return list(conn.execute(query).all())

    def everything(self, agency: str | None = None) -> list[LedgerEntry]:
        """Submissions, corrections and withdrawals, each kind oldest first."""
        return [*self.entries(agency), *self.withdrawal_entries(agency)]


@cache
def _upsert(dialect_name: str) -> Any:
    """Insert a submission, or count one more arrival of it; built once per dialect."""
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    insert = dialect.insert(submissions)
    return insert.on_conflict_do_update(
        index_elements=["idempotency_key"],
        set_={
            "times_received": submissions.c.times_received + 1,
            "last_received_at": insert.excluded.last_received_at,
        },
    ).returning(submissions.c.reference, submissions.c.times_received)


def _create_tables(engine: sa.Engine, timeout_s: float = 30.0) -> None:
    """Create the ledger's tables where missing. Worker processes starting together all try:
    IF NOT EXISTS makes that harmless, and a database busy with another's try is tried again
    (SQLite does not wait for its lock when a connection first switches to WAL mode)."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with engine.begin() as connection:
                for table in metadata.sorted_tables:
                    connection.execute(CreateTable(table, if_not_exists=True))
                    for index in table.indexes:
                        connection.execute(CreateIndex(index, if_not_exists=True))
                _add_later_columns(connection)
            return
        except sa.exc.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)  # the other process's creation is a few milliseconds


def _add_later_columns(connection: sa.Connection) -> None:
    """Give a sandbox made before a column was added that column, with its default."""
    inspector = sa.inspect(connection)
    for name, columns in LATER_COLUMNS.items():
        present = {column["name"] for column in inspector.get_columns(name)}
        for column_name in columns:
            if column_name not in present:
                column = metadata.tables[name].c[column_name]
                kind = column.type.compile(dialect=connection.dialect)
                default = f" DEFAULT '{column.server_default.arg}'" if column.server_default else ""  # type: ignore[attr-defined]
                connection.execute(
                    sa.text(f"ALTER TABLE {name} ADD COLUMN {column_name} {kind} NOT NULL{default}")
                )


def _sqlite_wal(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")  # safe in WAL mode against a process crash
    cursor.close()
