"""The benchmark's scaling factor: one worker process against two, measured in turns."""

from __future__ import annotations

from typing import Any, cast

import pytest

from contactpoint.bench import throughput


def test_one_worker_and_two_take_turns_and_the_factor_is_the_median_of_the_pairs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    order: list[int] = []
    rates = iter([10.0, 15.0, 18.0, 9.0, 10.0, 20.0])  # 1, 2 | 2, 1 | 1, 2 workers

    def saturation(_runtime: Any, _cases: int, workers: int, _show: bool) -> float:
        order.append(workers)
        return next(rates)

    monkeypatch.setattr(throughput, "measure_saturation", saturation)
    figures = throughput.measure_scale(cast(Any, None), 100, False)
    assert order == [1, 2, 2, 1, 1, 2]  # the drift favours neither
    assert figures == {
        "cases_per_s_1_worker": 10.0,
        "cases_per_s_2_workers": 18.0,
        "scale_factor_2_workers": 2.0,  # the pairs' 1.5, 2.0 and 2.0
    }
