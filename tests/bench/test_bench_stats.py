"""The benchmark's loads take turns, and their slices add up to one result each."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from contactpoint.bench.stats import (
    LATENCY_PARTS,
    LoadResult,
    StepTimes,
    critical_path,
    http_load,
    in_turns,
    latency_parts,
    latency_parts_p50,
)


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


def test_a_cases_latency_is_split_along_the_steps_that_decided_when_it_finished() -> None:
    """A moving case: the change of address, then three steps that need it. The path runs through
    the one of the three that ended last; its parts add up to the case's latency."""
    first = StepTimes("change-of-address", (), started=10.0, finished=10.004)
    school = StepTimes("school-transfer", ("change-of-address",), 10.010, 10.013)
    preschool = StepTimes("preschool-transfer", ("change-of-address",), 10.011, 10.014)
    vehicles = StepTimes("vehicle-register", ("change-of-address",), 10.016, 10.020)
    path = critical_path([school, first, vehicles, preschool])
    assert path == [first, vehicles]
    parts = latency_parts(9.991, path)
    assert parts == pytest.approx(
        {"until_first_step": 0.009, "in_steps": 0.008, "between_steps": 0.012}
    )
    assert sum(parts.values()) == pytest.approx(vehicles.finished - 9.991)
    assert set(parts) == set(LATENCY_PARTS)


def test_the_critical_path_follows_the_last_needed_step_back_and_skips_unrun_ones() -> None:
    """A chain a -> b -> d and c -> d, where c ended after b: the path goes through c. A
    step never run (not needed: no times) is not among the steps and ends the walk."""
    a = StepTimes("a", ("skipped",), 0.0, 1.0)
    b = StepTimes("b", ("a",), 1.5, 2.0)
    c = StepTimes("c", ("a",), 1.2, 3.0)
    d = StepTimes("d", ("b", "c"), 3.5, 4.0)
    assert critical_path([d, c, b, a]) == [a, c, d]
    assert critical_path([a]) == [a]
    two = latency_parts_p50([0.0, 0.0], [[a, c, d], [a]])
    assert two == {
        "latency_until_first_step_ms": 0.0,
        "latency_in_steps_ms": 3300.0,  # of 1 s and 3.3 s, the nearest rank's: the higher
        "latency_between_steps_ms": 700.0,  # 0.2 s after a, 0.5 s after c
    }


@pytest.fixture()
def server() -> Iterator[tuple[int, list[str]]]:
    """A real HTTP server on 127.0.0.1 that answers 200 and records the paths asked for."""
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1], asked
    httpd.shutdown()
    httpd.server_close()


def test_a_warming_load_asks_for_each_number_once_among_its_clients(
    server: tuple[int, list[str]],
) -> None:
    """Warming walks every sampled case: numbers 0 to n - 1 shared among the clients, each
    asked for once, whichever client sends it."""
    port, asked = server
    result = http_load(port, lambda n: ("GET", f"/{n}", {}, None), 4, 60.0, requests=250)
    assert result.requests == 250 and result.errors == 0
    assert sorted(asked, key=lambda path: int(path[1:])) == [f"/{n}" for n in range(250)]
