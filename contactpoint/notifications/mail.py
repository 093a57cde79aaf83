"""Sending one e-mail through the SMTP server of SMTP_URL, with the standard library."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate

from contactpoint.config.smtp import SmtpServer

TIMEOUT_S = 30


class RecipientRefused(Exception):
    """The server refused the address for good (a 5xx reply to RCPT)."""


class MessageRefused(Exception):
    """The server refused the message itself for good (a 5xx reply to MAIL FROM or DATA)."""


def send(server: SmtpServer, message: EmailMessage) -> None:
    """Send one message; RecipientRefused for a 5xx to its recipient, MessageRefused for a
    5xx to the sender or the content, else smtplib's and the socket's errors (try again
    later)."""
    context = ssl.create_default_context()
    if server.scheme == "smtps":
        connection: smtplib.SMTP = smtplib.SMTP_SSL(
            server.host, server.port, timeout=TIMEOUT_S, context=context
        )
    else:
        connection = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT_S)
    with connection:
        if server.scheme == "smtp+starttls":
            connection.starttls(context=context)
        if server.user:
            connection.login(server.user, server.password or "")
        try:
            connection.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            if all(500 <= code < 600 for code in codes):
                raise RecipientRefused(str(codes)) from None
            raise
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as error:
            if 500 <= error.smtp_code < 600:
                raise MessageRefused(str(error.smtp_code)) from None
            raise


def message(
    sender: str, to: str, subject: str, body: str, message_id: str | None = None
) -> EmailMessage:
    """A plain-text e-mail; `message_id` lets a receiving server see a copy sent twice."""
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = sender, to, subject
    mail["Date"] = formatdate(localtime=False)
    if message_id:
        mail["Message-ID"] = message_id
    mail.set_content(body)
    return mail
