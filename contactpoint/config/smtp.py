"""The form of an SMTP server's URL (`SMTP_URL`): read by the settings, used by the mailer."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

SCHEMES = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}


@dataclass(frozen=True)
class SmtpServer:
    """Where to send: host and port, TLS (`starttls` or `smtps`), and a login if any."""

    scheme: str
    host: str
    port: int
    user: str | None = None
    password: str | None = None


def parse_smtp_url(url: str) -> SmtpServer:
    """`smtp://[user:pass@]host[:port]` (no TLS, port 25), `smtp+starttls://` (STARTTLS, 587)
    or `smtps://` (TLS from the start, 465). Raises ValueError naming what is wrong."""
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES:
        raise ValueError("the scheme must be smtp://, smtp+starttls:// or smtps://")
    if not parts.hostname:
        raise ValueError("it names no host")
    try:
        port = parts.port or SCHEMES[parts.scheme]
    except ValueError:
        raise ValueError("its port is not a number from 1 to 65535") from None
    user = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password else None
    return SmtpServer(parts.scheme, parts.hostname, port, user, password)
