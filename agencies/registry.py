"""Which adapter serves which agency, chosen by configuration alone."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from .base import AgencyAdapter
from .catalogue import AGENCIES
from .http import HttpAgency
from .sandbox import Ledger
from .simulated import Behaviour, SimulatedAgency


@dataclass(frozen=True)
class AdapterSettings:
    """What the factories need: the sandbox ledger, its behaviour (with failure rates of
    some agencies' own), real agencies' URLs."""

    ledger: Ledger
    behaviour: Behaviour = Behaviour()
    urls: Mapping[str, str] = field(default_factory=dict)
    failure_rates: Mapping[str, float] = field(default_factory=dict)

    def behaviour_for(self, agency: str) -> Behaviour:
        """How the simulated `agency` behaves: the shared knobs, its own failure rate."""
        if agency not in self.failure_rates:
            return self.behaviour
        return replace(self.behaviour, failure_rate=self.failure_rates[agency])


AdapterFactory = Callable[[str, AdapterSettings], AgencyAdapter]


class Registry:
    """Adapter factories by name; `register` refuses a name twice."""

    def __init__(self) -> None:
        self._factories: dict[str, AdapterFactory] = {}

    def register(self, name: str) -> Callable[[AdapterFactory], AdapterFactory]:
        """Decorator: add a factory under `name`."""

        def decorate(factory: AdapterFactory) -> AdapterFactory:
            if name in self._factories:
                raise ValueError(f"an adapter named {name!r} is already registered")
            self._factories[name] = factory
            return factory

        return decorate

    def names(self) -> list[str]:
        """The registered adapter names."""
        return sorted(self._factories)

    def build(self, name: str, agency: str, settings: AdapterSettings) -> AgencyAdapter:
        """Make the adapter `name` for `agency`."""
        if name not in self._factories:
            raise ValueError(f"no adapter named {name!r} (known: {', '.join(self.names())})")
        return self._factories[name](agency, settings)


registry = Registry()


@registry.register("simulated")
def _simulated(agency: str, settings: AdapterSettings) -> AgencyAdapter:
    return SimulatedAgency(agency, settings.ledger, settings.behaviour_for(agency))


@registry.register("http")
def _http(agency: str, settings: AdapterSettings) -> AgencyAdapter:
    if agency not in settings.urls:
        variable = f"CONTACTPOINT_ADAPTER_{agency.upper()}_URL"
        raise ValueError(f"the http adapter for {agency} needs {variable}")
    return HttpAgency(agency, settings.urls[agency])


class Adapters:
    """The adapter in use for each agency, built on first use."""

    def __init__(
        self,
        settings: AdapterSettings,
        choices: Mapping[str, str] | None = None,
        default: str = "simulated",
        source: Registry = registry,
    ) -> None:
        self.settings = settings
        self.choices = dict(choices or {})
        self.default = default
        self.source = source
        self._built: dict[str, AgencyAdapter] = {}
        unknown = sorted(set(self.choices) - set(AGENCIES))
        if unknown:
            raise ValueError(f"adapter chosen for unknown agencies: {', '.join(unknown)}")

    def for_agency(self, agency: str) -> AgencyAdapter:
        """The adapter that carries submissions to `agency`."""
        if agency not in self._built:
            name = self.choices.get(agency, self.default)
            self._built[agency] = self.source.build(name, agency, self.settings)
        return self._built[agency]
