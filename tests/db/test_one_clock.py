"""Every moment the database writes or compares comes from the one clock, read when it is
needed: a test that moves `agencies.clock` moves the stored times and what is due with it."""

from __future__ import annotations

import datetime as dt

import pytest

from agencies import clock
from contactpoint.db.models import now


def test_the_models_clock_follows_the_one_clock_when_it_is_moved(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    moved = dt.datetime(2031, 5, 17, 9, 30, tzinfo=dt.UTC)
    monkeypatch.setattr(clock, "now", lambda: moved)
    assert now() == moved
