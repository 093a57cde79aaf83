"""The retention pass: what expires when, and removing it a chunk at a time until none is left."""

from __future__ import annotations

import datetime as dt

import pytest

from workflows.retention import KINDS, Retention, expiring, purge

MOMENT = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)


class ExpiredRows:
    """A fake store holding some expired items of each kind."""

    def __init__(self, **expired: int) -> None:
        self.expired = {kind: expired.get(kind, 0) for kind in KINDS}
        self.calls: list[tuple[str, dt.datetime, int]] = []

    def remove_expired(self, kind: str, before: dt.datetime, limit: int) -> int:
        self.calls.append((kind, before, limit))
        gone = min(limit, self.expired[kind])
        self.expired[kind] -= gone
        return gone

    def count_expired(self, kind: str, before: dt.datetime) -> int:
        return self.expired[kind]


def test_each_kind_expires_after_its_own_period() -> None:
    periods = Retention(closed_case_days=365, draft_days=30, audit_days=1825, message_days=90)
    cutoffs = periods.cutoffs(MOMENT)
    assert list(cutoffs) == list(KINDS)
    assert MOMENT - cutoffs["cases"] == dt.timedelta(days=365)
    assert MOMENT - cutoffs["register_reads"] == dt.timedelta(days=365)
    assert MOMENT - cutoffs["drafts"] == dt.timedelta(days=30)
    assert MOMENT - cutoffs["audit"] == dt.timedelta(days=1825)
    assert MOMENT - cutoffs["messages"] == dt.timedelta(days=90)


def test_a_closed_case_is_kept_until_its_period_ends_and_an_open_one_has_no_end() -> None:
    retention = Retention(closed_case_days=10)
    assert retention.case_kept_until(MOMENT) == MOMENT + dt.timedelta(days=10)
    assert retention.case_kept_until(None) is None


@pytest.mark.parametrize("name", ["closed_case_days", "draft_days", "audit_days", "message_days"])
def test_a_period_is_at_least_a_day(name: str) -> None:
    with pytest.raises(ValueError, match=name):
        Retention(**{name: 0})


def test_a_pass_removes_chunk_by_chunk_until_a_chunk_is_short() -> None:
    store = ExpiredRows(cases=5, drafts=2, audit=4, messages=1)
    assert expiring(store, Retention(), MOMENT) == {
        "cases": 5,
        "drafts": 2,
        "register_reads": 0,
        "audit": 4,
        "messages": 1,
    }

    removed = purge(store, Retention(), MOMENT, chunk=2)

    assert removed == {"cases": 5, "drafts": 2, "register_reads": 0, "audit": 4, "messages": 1}
    assert [kind for kind, _before, _limit in store.calls] == [
        *["cases"] * 3,
        *["drafts"] * 2,  # a full chunk: one more call to find none left
        "register_reads",
        *["audit"] * 3,
        "messages",
    ]
    assert all(limit == 2 for _kind, _before, limit in store.calls)
    assert store.expired == dict.fromkeys(KINDS, 0)
