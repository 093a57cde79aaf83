"""People, cases, their steps and timeline, data shares, drafts."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from agencies import clock
from contactpoint.db.sealed_types import PersonalNumber, SealedAnswers, SealedDetail
from contactpoint.extensions import db
from workflows.statuses import Ball, CaseStatus, StepStatus

# Every UPDATE through SQLAlchemy, ORM or Core, that does not set `version` itself adds one.
BUMP = sa.text("version + 1")


def now() -> dt.datetime:
    """This moment from the one clock, `agencies.clock`, read when called: every stored moment
    and every "is it due" follows a test that moves that clock."""
    return clock.now()


def utc(moment: dt.datetime | None) -> dt.datetime | None:
    """A stored time as UTC; SQLite gives back naive datetimes that were written in UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=dt.UTC)


def new_id() -> str:
    """A random id that leaks nothing about how many there are."""
    return uuid.uuid4().hex


def new_case_reference() -> str:
    """A short reference a citizen can read out on the phone."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "KP-" + "".join(secrets.choice(alphabet) for _ in range(8))


class Person(db.Model):  # type: ignore[name-defined]
    """Someone who can log in as a citizen."""

    __tablename__ = "people"
    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True, default=new_id)
    # Sealed at rest (`protection`), found by equality all the same.
    personal_number: Mapped[str] = mapped_column(PersonalNumber, unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=now)


class Case(db.Model):  # type: ignore[name-defined]
    """One citizen's run of one life event."""

    __tablename__ = "cases"
    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True, default=new_id)
    reference: Mapped[str] = mapped_column(sa.String(16), unique=True, default=new_case_reference)
    # Looked up by person through ix_cases_person_created (person, created_at).
    person_id: Mapped[str] = mapped_column(sa.ForeignKey("people.id"))
    life_event: Mapped[str] = mapped_column(sa.String(80))
    # The personal identity number of the person the citizen acts for (a child, an estate).
    on_behalf_of: Mapped[str | None] = mapped_column(PersonalNumber)
    # For a company's case: what the person who made it acted on (a signatory, a power of
    # attorney); the agencies receive it with the organisation number.
    acting_basis: Mapped[str | None] = mapped_column(sa.String(40))
    status: Mapped[str] = mapped_column(sa.String(24), default=CaseStatus.RECEIVED)
    # Sealed at rest: among them may be others' personal identity numbers (a child's).
    answers: Mapped[dict[str, Any]] = mapped_column(SealedAnswers, default=dict)
    # Where each answer came from: a register, self-reported, or the citizen (once only).
    sources: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    # Per step sent: the agency and the field names the citizen saw and consented to.
    consented_preview: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    consented_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=now)
    # One more on every change of the row, whoever makes it (see STATUS_VERSION).
    version: Mapped[int] = mapped_column(sa.Integer, default=1, server_default="1", onupdate=BUMP)
    updated_at: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), default=now, onupdate=now
    )
    closed_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # The case of the same event (a death, a birth) another person reported first: this one
    # carries only the steps that are this person's to add.
    joins: Mapped[str | None] = mapped_column(sa.String(32), index=True)

    person: Mapped[Person] = relationship()
    steps: Mapped[list[Step]] = relationship(
        back_populates="case", order_by="Step.position", cascade="all, delete-orphan"
    )
    events: Mapped[list[CaseEvent]] = relationship(
        order_by="CaseEvent.id", cascade="all, delete-orphan"
    )


class Step(db.Model):  # type: ignore[name-defined]
    """One agency's part of a case."""

    __tablename__ = "steps"
    __table_args__ = (
        # A case officer's inbox: one agency's steps by status and ball, by due date (and by
        # agency and status alone, as its leading columns).
        sa.Index("ix_steps_inbox", "agency", "status", "ball", "due_at"),
        sa.Index("ix_steps_agency_finished", "agency", "finished_at"),
        sa.Index("ix_steps_status_lease", "status", "lease_expires_at"),
    )
    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    position: Mapped[int] = mapped_column(sa.Integer)
    key: Mapped[str] = mapped_column(sa.String(80))
    agency: Mapped[str] = mapped_column(sa.String(40))
    status: Mapped[str] = mapped_column(sa.String(16), default=StepStatus.PENDING)
    ball: Mapped[str] = mapped_column(sa.String(16), default=Ball.AGENCY)
    depends_on: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    fields: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    manual: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    attempts: Mapped[int] = mapped_column(sa.Integer, default=0)
    dispatched_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    started_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    finished_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    agency_reference: Mapped[str | None] = mapped_column(sa.String(40))
    outputs: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    # Why a step was rejected or could not be done, in the words of its agency or an officer:
    # sealed, as it may name anyone. A reason of Kontaktpunkt's own is a code instead
    # (`reason_code`: dependency_failed, withdrawn), which SQL compares and readers translate.
    status_reason: Mapped[str | None] = mapped_column(SealedAnswers)
    reason_code: Mapped[str | None] = mapped_column(sa.String(32))
    outcome: Mapped[str | None] = mapped_column(sa.String(16))
    # Free text between an officer and the citizen: sealed, as it may name anyone.
    complement_question: Mapped[str | None] = mapped_column(SealedAnswers)
    complement_answer: Mapped[str | None] = mapped_column(SealedAnswers)
    # Until when the current attempt owns the step; past it, recovery may drive it again.
    lease_expires_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # When a step whose agency stayed unreachable is tried again (its lease runs as long):
    # recovery sends it then. None for an attempt under way or a retry Celery holds.
    retry_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # When a running step waiting for a retry is tried again, whether the broker holds the
    # retry or the database does (`retry_at`); None while an attempt is under way.
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    withdrawal: Mapped[str | None] = mapped_column(sa.String(8))  # None, "due" or "sent"
    due_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    assigned_to: Mapped[str | None] = mapped_column(sa.String(64))
    assigned_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # The confirmation (another person's yes) the step waits for, with the ball on them.
    confirmation_id: Mapped[str | None] = mapped_column(sa.String(32), index=True)
    version: Mapped[int] = mapped_column(sa.Integer, default=1, server_default="1", onupdate=BUMP)
    updated_at: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), default=now, onupdate=now
    )

    case: Mapped[Case] = relationship(back_populates="steps")


class CaseEvent(db.Model):  # type: ignore[name-defined]
    """One line of a case's timeline; written, never changed."""

    __tablename__ = "case_events"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    step_id: Mapped[str | None] = mapped_column(sa.String(32))
    at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=now)
    kind: Mapped[str] = mapped_column(sa.String(40))
    # Its free text (a reason, a question) sealed, as in `steps`.
    detail: Mapped[dict[str, Any]] = mapped_column(SealedDetail, default=dict)


TRANSFER = sa.text("kind = 'transfer'")
VIEW = sa.text("kind = 'view'")


class DataShare(db.Model):  # type: ignore[name-defined]
    """A record that a set of fields about a person went to an agency, was read at a register,
    or was read at the agency that has them (a view)."""

    __tablename__ = "data_shares"
    __table_args__ = (
        # A step's transfer is written once, however often the step is sent.
        sa.Index(
            "ix_data_shares_transfer_step",
            "step_id",
            unique=True,
            postgresql_where=TRANSFER,
            sqlite_where=TRANSFER,
        ),
        # A step's reads by its agency in one role within one window are one entry.
        sa.Index(
            "ix_data_shares_view_window",
            "step_id",
            "role",
            "window_start",
            unique=True,
            postgresql_where=VIEW,
            sqlite_where=VIEW,
        ),
    )
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    # Looked up by person through ix_data_shares_person_case (person, case).
    person_id: Mapped[str] = mapped_column(sa.ForeignKey("people.id"))
    # `transfer` (to an agency, for a step), `register_read` (from a register, for a journey)
    # or `view` (the step's agency read what it received: an officer or its system).
    kind: Mapped[str] = mapped_column(sa.String(16), default="transfer")
    case_id: Mapped[str | None] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    step_id: Mapped[str | None] = mapped_column(sa.String(32))
    register: Mapped[str | None] = mapped_column(sa.String(40))
    life_event: Mapped[str | None] = mapped_column(sa.String(80))
    # The agency the fields went to, or the agency keeping the register read.
    recipient: Mapped[str] = mapped_column(sa.String(40))
    fields: Mapped[list[str]] = mapped_column(sa.JSON)
    basis: Mapped[str] = mapped_column(sa.String(40), default="consent")
    reference: Mapped[str | None] = mapped_column(sa.String(40))
    # The latest time; for a view, of the latest read its entry counts.
    at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=now)
    # A view's reader at the agency: `officer` or `system` (never who); None otherwise.
    role: Mapped[str | None] = mapped_column(sa.String(16))
    # How many reads a view's entry counts: those within its window (`window_start`).
    times: Mapped[int] = mapped_column(sa.Integer, default=1, server_default="1")
    window_start: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))


class Draft(db.Model):  # type: ignore[name-defined]
    """A journey started but not submitted, kept for the logged-in citizen."""

    __tablename__ = "drafts"
    __table_args__ = (sa.UniqueConstraint("person_id", "life_event"),)
    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True, default=new_id)
    # Looked up by person through the unique (person, life event) above.
    person_id: Mapped[str] = mapped_column(sa.ForeignKey("people.id"))
    life_event: Mapped[str] = mapped_column(sa.String(80))
    answers: Mapped[dict[str, Any]] = mapped_column(SealedAnswers, default=dict)  # sealed
    sources: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    updated_at: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), default=now, onupdate=now
    )
