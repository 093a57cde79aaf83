"""The benchmark's loads take turns, and their slices add up to one result each."""

from __future__ import annotations

from collections.abc import Callable

from contactpoint.bench.stats import LoadResult, in_turns


def test_loads_take_turns_forward_then_backward_and_their_slices_add_up() -> None:
    calls: list[tuple[str, float]] = []

    def load(name: str, latency: float) -> Callable[[float], LoadResult]:
        def run(seconds: float) -> LoadResult:
            calls.append((name, seconds))
            latencies = [latency] * int(seconds * 10)
            return LoadResult(len(latencies), 0, 0.0, 0.0, 0.0, seconds, tuple(latencies))

        return run

    found = in_turns({"a": load("a", 0.01), "b": load("b", 0.02)}, duration_s=3.0, turns=3)
    assert [name for name, _ in calls] == ["a", "b", "b", "a", "a", "b"]
    assert all(seconds == 1.0 for _, seconds in calls)
    assert found["a"].requests == 30 and found["a"].elapsed_s == 3.0
    assert found["a"].rps == 10.0 and found["b"].p99_s == 0.02
