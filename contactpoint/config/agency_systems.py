"""The agencies' side: how the simulated agencies and base registers behave, and each real
agency's adapter, its system's URL and its secrets."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from contactpoint.config.readers import agency_failure_rates, number, own_failure_rates


def simulated_agencies() -> dict[str, Any]:
    """How the simulated agencies and base registers behave."""
    return {
        "AGENCY_LATENCY_MS": number("CONTACTPOINT_AGENCY_LATENCY_MS", 300),
        "AGENCY_FAILURE_RATE": number("CONTACTPOINT_AGENCY_FAILURE_RATE", 0),
        # CONTACTPOINT_AGENCY_<ID>_FAILURE_RATE=1 takes one simulated agency down (a drill).
        "AGENCY_FAILURE_RATES": agency_failure_rates(),
        "AGENCY_TIMEOUT_RATE": number("CONTACTPOINT_AGENCY_TIMEOUT_RATE", 0),
        "AGENCY_COMPLEMENT_RATE": number("CONTACTPOINT_AGENCY_COMPLEMENT_RATE", 0),
        # CONTACTPOINT_REGISTER_<ID>_FAILURE_RATE=1 takes one register down (e.g. POPULATION).
        "REGISTER_LATENCY_MS": number("CONTACTPOINT_REGISTER_LATENCY_MS", 100),
        "REGISTER_FAILURE_RATE": number("CONTACTPOINT_REGISTER_FAILURE_RATE", 0),
        "REGISTER_FAILURE_RATES": {
            name: float(value) for name, value in own_failure_rates("REGISTER").items()
        },
    }


def agency_systems() -> dict[str, Any]:
    """Each agency's adapter, its system's URL and secrets, by agency id."""
    adapters = "CONTACTPOINT_ADAPTER_"
    return {
        # CONTACTPOINT_CALLBACK_SECRET_<AGENCY>: the HMAC secret of its callbacks.
        "CALLBACK_SECRETS": _by_agency("CONTACTPOINT_CALLBACK_SECRET_", lambda key, value: value),
        "CALLBACK_TOLERANCE_S": 300,
        # CONTACTPOINT_ADAPTER_<AGENCY>=http swaps one agency.
        "AGENCY_ADAPTER_OVERRIDES": _by_agency(adapters, lambda key, _: not key.endswith("_URL")),
        "AGENCY_URLS": {
            agency.removesuffix("_url"): url
            for agency, url in _by_agency(adapters, lambda key, _: key.endswith("_URL")).items()
        },
        # CONTACTPOINT_AGENCY_SECRET_<AGENCY>: the client secret of its system (client
        # credentials for the agency API).
        "AGENCY_CLIENT_SECRETS": _by_agency("CONTACTPOINT_AGENCY_SECRET_", lambda key, v: v),
    }


def _by_agency(prefix: str, keep: Callable[[str, str], object]) -> dict[str, str]:
    """`<PREFIX><AGENCY>` variables that `keep` keeps, by lowercase agency id."""
    return {
        key.removeprefix(prefix).lower(): value
        for key, value in os.environ.items()
        if key.startswith(prefix) and keep(key, value)
    }
