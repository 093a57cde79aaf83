"""E-mail settings, and what production must be given of them."""

from __future__ import annotations

from typing import Any

from contactpoint.config.readers import (
    ConfigError,
    count,
    days,
    http_url,
    mail_address,
    require,
    seconds,
    smtp_url,
)


def mail(production: bool) -> dict[str, Any]:
    """E-mail: the SMTP server, the sender, the address links point to, and the limits of
    notifications (`contactpoint.notifications`)."""
    return {
        # smtp://host:25, smtp+starttls://user:pass@host:587 or smtps://host:465; `run` embeds one.
        "SMTP_URL": smtp_url("SMTP_URL"),
        "MAIL_FROM": mail_address(
            "MAIL_FROM", None if production else "Kontaktpunkt <noreply@kontaktpunkt.localhost>"
        ),
        # Where the service is reached: the links in e-mails start with it.
        "PUBLIC_URL": http_url(
            "CONTACTPOINT_PUBLIC_URL", None if production else "http://127.0.0.1:5000"
        ),
        # At most this many notifications to one person an hour; later messages fold into one
        # sent when the hour allows. 0: no limit.
        "NOTIFICATIONS_PER_HOUR": count("CONTACTPOINT_NOTIFICATIONS_PER_HOUR", 5),
        # How long a worker holds a notification it sends before recovery may send it again.
        "NOTIFICATION_LEASE_S": seconds("CONTACTPOINT_NOTIFICATION_LEASE_S", 300, least=1),
        "NOTIFICATION_ATTEMPTS": max(1, count("CONTACTPOINT_NOTIFICATION_ATTEMPTS", 12)),
        # How long a verification link works.
        "VERIFY_LINK_DAYS": days("CONTACTPOINT_VERIFY_LINK_DAYS", 3),
        # /dev-mail lists what `run`'s embedded SMTP server caught (never in production).
        "DEV_MAIL": not production,
    }


def check_mail(config: dict[str, Any]) -> None:
    """Production: a mail server, a sender and the service's address given, no /dev-mail."""
    needed = {
        "SMTP_URL": "SMTP_URL",
        "MAIL_FROM": "MAIL_FROM",
        "CONTACTPOINT_PUBLIC_URL": "PUBLIC_URL",
    }
    require(config, needed, "(e-mail)")
    if config.get("DEV_MAIL"):
        raise ConfigError("/dev-mail cannot be mounted with production settings")
