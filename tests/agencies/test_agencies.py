"""Simulated agencies and the HTTP adapter: idempotent by key, transient and permanent errors."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import multiprocessing
import random
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest

from agencies import clock
from agencies.base import AgencyTimeout, PermanentError, SubmissionRequest, TransientError
from agencies.catalogue import AGENCIES
from agencies.http import HttpAgency
from agencies.registers.simulated import SimulatedRegister
from agencies.registry import Adapters, AdapterSettings, Registry
from agencies.sandbox import Ledger
from agencies.simulated import Behaviour, SimulatedAgency


def request(key: str = "step-1", **fields: object) -> SubmissionRequest:
    return SubmissionRequest(
        agency="skatteverket",
        idempotency_key=key,
        case_id="case-1",
        step_id=key,
        step="change-of-address",
        life_event="moving",
        fields=fields or {"personal_number": "19850312-2387"},
    )


@pytest.fixture()
def ledger(tmp_path: Path) -> Ledger:
    return Ledger(f"sqlite:///{tmp_path / 'sandbox.db'}")


def _first_use(url: str, start: Any, number: int) -> None:
    start.wait(timeout=30)
    SimulatedAgency("skatteverket", Ledger(url)).submit(request(f"step-{number}"))


def test_worker_processes_starting_together_all_get_a_working_ledger(tmp_path: Path) -> None:
    """Each creates the ledger's tables on first use, at the same moment as the others."""
    url = f"sqlite:///{tmp_path / 'sandbox.db'}"
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(4)
    workers = [context.Process(target=_first_use, args=(url, start, n)) for n in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert [worker.exitcode for worker in workers] == [0, 0, 0, 0]
    assert sorted(entry.step_id for entry in Ledger(url).entries()) == [
        f"step-{n}" for n in range(4)
    ]


def test_the_same_key_twice_gives_the_same_receipt_and_one_registration(ledger: Ledger) -> None:
    agency = SimulatedAgency("skatteverket", ledger)
    first, second = agency.submit(request()), agency.submit(request())
    assert first.reference == second.reference and first.reference.startswith("SKV-")
    [entry] = ledger.entries()
    assert entry.times_received == 2
    assert entry.fields == ["personal_number"]


def test_different_keys_are_different_registrations(ledger: Ledger) -> None:
    agency = SimulatedAgency("skatteverket", ledger)
    assert agency.submit(request("a")).reference != agency.submit(request("b")).reference
    assert len(ledger.entries("skatteverket")) == 2


def test_a_failing_agency_raises_a_transient_error_and_registers_nothing(ledger: Ledger) -> None:
    agency = SimulatedAgency("skatteverket", ledger, Behaviour(failure_rate=1.0))
    with pytest.raises(TransientError):
        agency.submit(request())
    assert ledger.entries() == []


def test_a_timeout_registers_but_loses_the_answer(ledger: Ledger) -> None:
    agency = SimulatedAgency("skatteverket", ledger, Behaviour(timeout_rate=1.0))
    with pytest.raises(AgencyTimeout):
        agency.submit(request())
    assert len(ledger.entries()) == 1


def test_failure_rate_is_a_share_of_calls(ledger: Ledger) -> None:
    agency = SimulatedAgency("skatteverket", ledger, Behaviour(failure_rate=0.3), random.Random(7))
    failures = 0
    for index in range(200):
        try:
            agency.submit(request(f"k{index}"))
        except TransientError:
            failures += 1
    assert 35 <= failures <= 85


def test_bolagsverket_answers_with_a_valid_organisation_number(ledger: Ledger) -> None:
    from stdnum.se import orgnr

    receipt = SimulatedAgency("bolagsverket", ledger).submit(request())
    assert orgnr.is_valid(receipt.outputs["organisation_number"])


def test_manual_steps_wait_for_a_person(ledger: Ledger) -> None:
    manual = SubmissionRequest(**{**request().__dict__, "manual": True})
    assert SimulatedAgency("kommun_0380", ledger).submit(manual).status == "waiting"


def test_a_registry_refuses_a_name_twice() -> None:
    registry = Registry()
    registry.register("x")(lambda agency, settings: SimulatedAgency(agency, settings.ledger))
    with pytest.raises(ValueError, match="already registered"):
        registry.register("x")(lambda agency, settings: SimulatedAgency(agency, settings.ledger))


class _AgencyHandler(BaseHTTPRequestHandler):
    received: list[tuple[str, dict[str, object]]] = []
    status = 200

    def do_POST(self) -> None:  # noqa: N802 - the http.server interface
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).received.append((self.headers["Idempotency-Key"], body))
        self.send_response(type(self).status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps({"status": "done", "reference": "REAL-1"}).encode())

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def agency_server() -> Iterator[str]:
    _AgencyHandler.received = []
    _AgencyHandler.status = 200
    server = HTTPServer(("127.0.0.1", 0), _AgencyHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/submissions"
    server.shutdown()
    server.server_close()


def test_configuration_alone_swaps_a_simulated_agency_for_a_real_one(
    agency_server: str, ledger: Ledger
) -> None:
    adapters = Adapters(
        AdapterSettings(ledger=ledger, urls={"skatteverket": agency_server}),
        choices={"skatteverket": "http"},
    )
    assert isinstance(adapters.for_agency("kommun_0380"), SimulatedAgency)
    receipt = adapters.for_agency("skatteverket").submit(request())
    assert receipt.reference == "REAL-1"
    key, body = _AgencyHandler.received[0]
    assert key == "step-1" and body["fields"] == {"personal_number": "19850312-2387"}


def test_one_municipality_is_given_its_real_system_by_configuration_alone(
    agency_server: str, ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    from contactpoint.config import load_config

    monkeypatch.setenv("CONTACTPOINT_ADAPTER_KOMMUN_0380", "http")
    monkeypatch.setenv("CONTACTPOINT_ADAPTER_KOMMUN_0380_URL", agency_server)
    config = load_config("/tmp")
    adapters = Adapters(
        AdapterSettings(ledger=ledger, urls=config["AGENCY_URLS"]),
        choices=config["AGENCY_ADAPTER_OVERRIDES"],
    )
    assert isinstance(adapters.for_agency("kommun_0380"), HttpAgency)  # Uppsala's own system
    assert isinstance(adapters.for_agency("kommun_0180"), SimulatedAgency)  # Stockholm's not
    uppsala = dataclasses.replace(request(), agency="kommun_0380")
    assert adapters.for_agency("kommun_0380").submit(uppsala).reference == "REAL-1"


@pytest.mark.parametrize(("status", "error"), [(503, TransientError), (400, PermanentError)])
def test_http_errors_are_transient_or_permanent(
    agency_server: str, status: int, error: type
) -> None:
    _AgencyHandler.status = status
    with pytest.raises(error):
        HttpAgency("skatteverket", agency_server).submit(request())


def test_an_unreachable_agency_is_transient() -> None:
    with pytest.raises(TransientError):
        HttpAgency("skatteverket", "http://127.0.0.1:9/none", timeout_s=1).submit(request())


def test_one_simulated_agency_down_while_the_others_answer(ledger: Ledger) -> None:
    settings = AdapterSettings(
        ledger=ledger, behaviour=Behaviour(complement_rate=0.0), failure_rates={"kommun_0380": 1.0}
    )
    adapters = Adapters(settings)
    with pytest.raises(TransientError, match="kommun_0380 is temporarily unavailable"):
        adapters.for_agency("kommun_0380").submit(request())
    assert adapters.for_agency("skatteverket").submit(request()).status == "done"


def test_the_agencies_keep_swedens_calendar_not_the_hosts(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 00:30 on New Year's Day in Sweden, UTC still has the old year: a registration's
    reference carries Sweden's year, and a register reads ages on Sweden's date."""
    new_years_eve = dt.datetime(2024, 12, 31, 23, 30, tzinfo=dt.UTC)  # past: not the host's
    monkeypatch.setattr(clock, "now", lambda: new_years_eve)
    assert clock.today() == dt.date(2025, 1, 1)
    receipt = SimulatedAgency("skatteverket", ledger).submit(request())
    assert receipt.reference.startswith(f"{AGENCIES['skatteverket'].reference_prefix}-2025-")
    assert SimulatedRegister("population").today() == dt.date(2025, 1, 1)
