"""The open statistics as released: each month's figures, kept once counted, and the documents."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from contactpoint.extensions import db


class StatisticsRelease(db.Model):  # type: ignore[name-defined]
    """One roll-up: the months it released, and the published JSON document and CSV over every
    month released so far (served as they are: a read is one row)."""

    __tablename__ = "statistics_releases"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    released_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    periods: Mapped[list[str]] = mapped_column(sa.JSON)
    document: Mapped[str] = mapped_column(sa.Text)
    csv: Mapped[str] = mapped_column(sa.Text)
    # The same, gzipped once here for the clients that accept it (most do).
    document_gzip: Mapped[bytes] = mapped_column(sa.LargeBinary)
    csv_gzip: Mapped[bytes] = mapped_column(sa.LargeBinary)


class StatisticsFigure(db.Model):  # type: ignore[name-defined]
    """One released figure: counts of cases, never anything about a person. A figure left out
    keeps its value here, for the totals and the suppression of later releases; it is never
    served."""

    __tablename__ = "statistics_figures"
    life_event: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    period: Mapped[str] = mapped_column(sa.String(7), primary_key=True)
    measure: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    step: Mapped[str] = mapped_column(sa.String(80), primary_key=True, default="")
    agency: Mapped[str] = mapped_column(sa.String(40), primary_key=True, default="")
    value: Mapped[float | None] = mapped_column(sa.Float)
    base: Mapped[int] = mapped_column(sa.Integer)
    hidden: Mapped[bool] = mapped_column(sa.Boolean)
    release_id: Mapped[int] = mapped_column(sa.ForeignKey("statistics_releases.id"))
