"""Which implementation serves which register, chosen by configuration alone."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from .base import Register
from .catalogue import REGISTERS
from .simulated import RegisterBehaviour, SimulatedRegister


@dataclass(frozen=True)
class RegisterSettings:
    """What the factories need: each simulated register's behaviour."""

    behaviour: RegisterBehaviour = RegisterBehaviour()
    per_register: Mapping[str, RegisterBehaviour] = field(default_factory=dict)

    def behaviour_of(self, register: str) -> RegisterBehaviour:
        """The behaviour of one register: its own knobs, else the shared ones."""
        return self.per_register.get(register, self.behaviour)


RegisterFactory = Callable[[str, RegisterSettings], Register]


class RegisterRegistry:
    """Register factories by name; `register` refuses a name twice."""

    def __init__(self) -> None:
        self._factories: dict[str, RegisterFactory] = {}

    def register(self, name: str) -> Callable[[RegisterFactory], RegisterFactory]:
        """Decorator: add a factory under `name`."""

        def decorate(factory: RegisterFactory) -> RegisterFactory:
            if name in self._factories:
                raise ValueError(f"a register implementation named {name!r} is already registered")
            self._factories[name] = factory
            return factory

        return decorate

    def build(self, name: str, register: str, settings: RegisterSettings) -> Register:
        """Make the implementation `name` of `register`."""
        if name not in self._factories:
            raise ValueError(f"no register implementation named {name!r}")
        return self._factories[name](register, settings)


registry = RegisterRegistry()


@registry.register("simulated")
def _simulated(register: str, settings: RegisterSettings) -> Register:
    return SimulatedRegister(register, settings.behaviour_of(register))


class Registers:
    """The register in use for each register id, built on first use."""

    def __init__(
        self,
        settings: RegisterSettings,
        choices: Mapping[str, str] | None = None,
        default: str = "simulated",
        source: RegisterRegistry = registry,
    ) -> None:
        self.settings = settings
        self.choices = dict(choices or {})
        self.default = default
        self.source = source
        self._built: dict[str, Register] = {}
        unknown = sorted(set(self.choices) - set(REGISTERS))
        if unknown:
            raise ValueError(f"implementation chosen for unknown registers: {', '.join(unknown)}")

    def for_register(self, register: str) -> Register:
        """The register that answers lookups for `register`."""
        if register not in REGISTERS:
            raise ValueError(f"unknown register {register!r}")
        if register not in self._built:
            name = self.choices.get(register, self.default)
            self._built[register] = self.source.build(name, register, self.settings)
        return self._built[register]
