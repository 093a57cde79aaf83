"""What the tasks run with: the store, the adapters, the dispatcher, the retry and retention
policies; set once by the app."""

from __future__ import annotations

from dataclasses import dataclass, field

from .engine import AdapterLookup
from .retention import Retention
from .retries import RetryPolicy
from .store import Dispatcher, Store


@dataclass
class Runtime:
    """The collaborators of the workflow tasks in this process."""

    store: Store
    adapters: AdapterLookup
    dispatcher: Dispatcher
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    retention: Retention = field(default_factory=Retention)


_current: Runtime | None = None


def configure(runtime: Runtime) -> None:
    """Install the runtime for this process (called by the app factory)."""
    global _current
    _current = runtime


def current() -> Runtime:
    """The runtime installed for this process."""
    if _current is None:
        raise RuntimeError("the workflow runtime is not configured; create the app first")
    return _current
