"""Reading one setting from the environment: each reader checks its value or says what is wrong."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from email.utils import parseaddr
from typing import Any

from limits import RateLimitItem, parse_many

from agencies.catalogue import AGENCIES
from contactpoint.config.smtp import parse_smtp_url
from contactpoint.mina_arenden.keys import key_digests


class ConfigError(RuntimeError):
    """The settings cannot start the app (e.g. production without a secret)."""


def require(config: Mapping[str, Any], needed: Mapping[str, str], where: str) -> None:
    """Every setting of `needed` (its variable's name: its key in `config`) given, or a
    ConfigError that names the variables missing, `where` they belong."""
    missing = [name for name, key in needed.items() if not config.get(key)]
    if missing:
        raise ConfigError(f"production settings need {', '.join(missing)} {where}")


def env(name: str, default: str | None = None) -> str | None:
    """The variable's value; `default` when it is unset or empty."""
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def number(name: str, default: float) -> float:
    """A number, `default` when unset."""
    return float(env(name, str(default)) or default)


def days(name: str, default: int) -> int:
    """A retention period in whole days, at least 1."""
    value = env(name, str(default)) or str(default)
    if not value.isdigit() or int(value) < 1:
        raise ConfigError(f"{name} must be a whole number of days, at least 1 (it is {value!r})")
    return int(value)


def count(name: str, default: int) -> int:
    """A whole number, 0 or more."""
    value = env(name, str(default)) or str(default)
    if not value.isdigit():
        raise ConfigError(f"{name} must be a whole number, 0 or more (it is {value!r})")
    return int(value)


def kilobytes(name: str, default: int, least: int = 16) -> int:
    """A size in whole kilobytes (1024 bytes), `least` or more."""
    value = env(name, str(default)) or str(default)
    if not value.isdigit() or int(value) < least:
        raise ConfigError(
            f"{name} must be a whole number of kilobytes, at least {least} (it is {value!r})"
        )
    return int(value)


def one_of(name: str, choices: tuple[str, ...], default: str) -> str:
    """One of `choices`, in any case."""
    value = (env(name) or default).strip().lower()
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)} (it is {value!r})")
    return value


def seconds(name: str, default: float, least: float = 0) -> float:
    """A length of time in seconds, `least` or more."""
    value = env(name) or str(default)
    try:
        found = float(value)
    except ValueError:
        found = least - 1
    if not least <= found < float("inf"):
        raise ConfigError(
            f"{name} must be a number of seconds, {least:g} or more (it is {value!r})"
        )
    return found


def names(name: str) -> list[str]:
    """A comma-separated list, without blanks."""
    return [item.strip() for item in (env(name) or "").split(",") if item.strip()]


def own_failure_rates(part: str) -> dict[str, str]:
    """`CONTACTPOINT_<PART>_<ID>_FAILURE_RATE` values by lowercase id, beside the shared
    `CONTACTPOINT_<PART>_FAILURE_RATE`: one simulated register or agency of its own."""
    prefix, suffix = f"CONTACTPOINT_{part}_", "_FAILURE_RATE"
    return {
        key.removeprefix(prefix).removesuffix(suffix).lower(): value
        for key, value in os.environ.items()
        if key.startswith(prefix) and key.endswith(suffix) and key != f"{prefix}FAILURE_RATE"
    }


def agency_failure_rates() -> dict[str, float]:
    """The simulated agencies' own failure rates, by agency id (0 to 1)."""
    rates = {}
    for agency, value in own_failure_rates("AGENCY").items():
        key = f"CONTACTPOINT_AGENCY_{agency.upper()}_FAILURE_RATE"
        if agency not in AGENCIES:
            known = ", ".join(sorted(AGENCIES))
            raise ConfigError(f"{key} names no agency (there are {known})")
        try:
            rate = float(value)
        except ValueError:
            rate = -1.0
        if not 0 <= rate <= 1:
            raise ConfigError(f"{key} must be a rate from 0 to 1 (it is {value!r})")
        rates[agency] = rate
    return rates


def limit_windows(value: str) -> list[RateLimitItem]:
    """The windows of a rate limit in `limits`' notation ("20 per hour; 100 per day"), or none
    for "off". Raises ValueError for anything else."""
    return [] if value.strip().lower() == "off" else parse_many(value)


def limit(name: str, default: str) -> str:
    """A rate limit in `limits`' notation, or "off"."""
    value = env(name, default) or default
    try:
        limit_windows(value)
    except ValueError:
        raise ConfigError(
            f"{name} must be a limit such as '20 per hour' or '5/minute; 100/day', "
            f"or 'off' (it is {value!r})"
        ) from None
    return value


def api_keys(name: str, least: int) -> tuple[str, ...]:
    """API keys, comma-separated, each at least `least` characters: held as their digests
    (`mina_arenden.keys`), never as given. The error names the key by its place, not its value."""
    keys = names(name)
    for place, key in enumerate(keys, start=1):
        if len(key) < least:
            raise ConfigError(
                f"{name}: key {place} of {len(keys)} has {len(key)} characters; each needs at"
                f" least {least} (`python -c 'import secrets; print(secrets.token_urlsafe(32))'`)"
            )
    return key_digests(keys)


def upper_word(name: str, default: str) -> str:
    """One word of capital letters A to Z, such as a prefix of event types."""
    value = env(name, default) or default
    if not re.fullmatch(r"[A-Z]+", value):
        raise ConfigError(f"{name} must be capital letters A to Z only (it is {value!r})")
    return value


def smtp_url(name: str) -> str | None:
    """`smtp://`, `smtp+starttls://` or `smtps://[user:pass@]host[:port]`, or unset."""
    value = env(name)
    if value is None:
        return None
    try:
        parse_smtp_url(value)
    except ValueError as error:
        raise ConfigError(
            f"{name} must be an SMTP URL such as smtp+starttls://user:pass@host:587 ({error})"
        ) from None
    return value


def mail_address(name: str, default: str | None) -> str | None:
    """An address to send from, bare or with a name: `Kontaktpunkt <noreply@example.se>`."""
    value = env(name, default)
    if value is None:
        return None
    address = parseaddr(value)[1]
    if "@" not in address or address.startswith("@") or address.endswith("@"):
        raise ConfigError(
            f"{name} must be an e-mail address such as 'Kontaktpunkt <noreply@example.se>'"
            f" (it is {value!r})"
        )
    return value


def http_url(name: str, default: str | None) -> str | None:
    """An http:// or https:// address, without a trailing slash."""
    value = env(name, default)
    if value is None:
        return None
    if not value.startswith(("http://", "https://")) or len(value.split("://", 1)[1]) == 0:
        raise ConfigError(f"{name} must be an http:// or https:// address (it is {value!r})")
    return value.rstrip("/")
