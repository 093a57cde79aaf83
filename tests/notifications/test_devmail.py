"""/dev-mail: what the embedded SMTP server caught, listed outside production."""

from __future__ import annotations

import smtplib
from pathlib import Path

import pytest
from flask import Flask

from contactpoint.notifications.devmail import caught_file
from contactpoint.notifications.mail import message
from contactpoint.platform.embedded_mail import EmbeddedSmtp


def test_what_the_embedded_server_catches_is_listed_at_dev_mail(
    app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    file = caught_file(app.instance_path)
    file.parent.mkdir(parents=True)
    server = EmbeddedSmtp(file).start()
    try:
        with smtplib.SMTP("127.0.0.1", server.port, timeout=10) as connection:
            mail = message(
                "noreply@example.se",
                "someone@example.se",
                "Hej där",
                "Rad ett\nhttps://example.se/x",
            )
            connection.send_message(mail)
    finally:
        server.stop()
    page = app.test_client().get("/dev-mail").get_data(as_text=True)
    assert "Hej där" in page and "someone@example.se" in page
    assert 'href="https://example.se/x"' in page
