"""The one interface every base register implements, and what it describes about itself."""

from __future__ import annotations

import abc
from collections.abc import Collection, Mapping
from typing import Any


class RegisterUnavailable(Exception):
    """The register did not answer; the citizen may give the facts themselves."""


class Register(abc.ABC):
    """A source of truth other agencies read: one lookup, only the facts asked for."""

    def __init__(self, register: str) -> None:
        self.register = register

    @abc.abstractmethod
    def lookup(self, personal_number: str, facts: Collection[str]) -> Mapping[str, Any]:
        """The facts asked for that the register holds about the person; raises RegisterUnavailable.

        A fact the register does not hold is left out; a person it does not know gets {}.
        """
