"""Worker processes share their agencies' open breakers through the real Redis."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import redis

from agencies.base import AgencyTimeout
from contactpoint.platform.breaker_board import DOWN_PREFIX, PREFIX, RedisBoard
from contactpoint.platform.embedded import EmbeddedRedis, free_port
from tests.conftest import redis_database, wait_until
from tests.helpers.fakes import SUBMISSION, FakeAdapters, ScriptedAgency
from workflows.breakers import AgencyCircuitOpen, Breakers

BOARD_DB = 14  # a Redis database of this test's own
AGENCIES = ("kommun_0380", "skatteverket")
REQUEST = SUBMISSION


@pytest.fixture()
def url(redis_server: EmbeddedRedis) -> Iterator[str]:
    with redis_database(redis_server, BOARD_DB) as url:
        yield url


def test_an_opening_reaches_the_other_processes_and_ends_by_itself(url: str) -> None:
    opener, other = RedisBoard(url, AGENCIES), RedisBoard(url, AGENCIES, refresh_s=0.05)
    assert other.open_until("skatteverket") is None
    until = time.time() + 1.5
    opener.opened("skatteverket", until)
    seen = wait_until(lambda: other.open_until("skatteverket"), timeout_s=5)
    assert seen == pytest.approx(until)
    assert other.open_until("kommun_0380") is None
    ttl_ms = redis.Redis.from_url(url).pttl(PREFIX + "skatteverket")
    assert 0 < ttl_ms <= 1500  # Redis forgets it when the trial is due, whoever is left
    wait_until(lambda: other.open_until("skatteverket") is None, timeout_s=5)


def test_an_answer_in_one_process_reopens_the_agency_to_all(url: str) -> None:
    opener, other = RedisBoard(url, AGENCIES), RedisBoard(url, AGENCIES, refresh_s=0.05)
    opener.opened("skatteverket", time.time() + 3600)
    wait_until(lambda: other.open_until("skatteverket"), timeout_s=5)
    opener.closed("skatteverket")
    wait_until(lambda: other.open_until("skatteverket") is None, timeout_s=5)


def test_an_agency_found_down_is_down_for_every_process_until_it_answers(url: str) -> None:
    opener, other = RedisBoard(url, AGENCIES), RedisBoard(url, AGENCIES, refresh_s=0.05)
    opener.opened("skatteverket", time.time() + 3600)  # flaky: its trials have not all failed
    wait_until(lambda: other.open_until("skatteverket"), timeout_s=5)
    assert not other.down("skatteverket")
    opener.opened("skatteverket", time.time() + 3600, down=True)  # they kept failing
    wait_until(lambda: other.down("skatteverket"), timeout_s=5)
    assert not other.down("kommun_0380")
    ttl_ms = redis.Redis.from_url(url).pttl(DOWN_PREFIX + "skatteverket")
    assert 0 < ttl_ms <= 3_600_000  # forgotten with the opening, whoever is left
    opener.closed("skatteverket")
    wait_until(lambda: not other.down("skatteverket"), timeout_s=5)
    assert other.open_until("skatteverket") is None


def test_two_processes_breakers_through_redis_call_a_down_agency_only_as_often_as_one(
    url: str,
) -> None:
    calls = ScriptedAgency("skatteverket", [AgencyTimeout("no answer")] * 10)
    first, second = (
        Breakers(
            FakeAdapters(skatteverket=calls),
            fail_max=3,
            reset_s=3600,
            board=RedisBoard(url, AGENCIES, refresh_s=0.05),
        )
        for _ in range(2)
    )
    for _ in range(3):
        with pytest.raises(AgencyTimeout):
            first.for_agency("skatteverket").submit(REQUEST)

    def skipped() -> bool:
        try:
            second.for_agency("skatteverket").submit(REQUEST)
        except AgencyCircuitOpen:
            return True
        except AgencyTimeout:
            return False
        raise AssertionError("the agency is down")

    wait_until(skipped, timeout_s=5)
    assert len(calls.requests) <= 4  # the first's three, and at most one before the second knew


def test_without_redis_each_process_goes_by_its_own_breakers() -> None:
    board = RedisBoard(f"redis://127.0.0.1:{free_port()}/0", AGENCIES, refresh_s=0)
    calls = ScriptedAgency("skatteverket", [AgencyTimeout("no answer")] * 2)
    breakers = Breakers(FakeAdapters(skatteverket=calls), fail_max=2, reset_s=3600, board=board)
    for _ in range(2):
        with pytest.raises(AgencyTimeout):
            breakers.for_agency("skatteverket").submit(REQUEST)
    with pytest.raises(AgencyCircuitOpen):  # opened: its own breaker, though Redis is away
        breakers.for_agency("skatteverket").submit(REQUEST)
    assert board.open_until("kommun_0380") is None
