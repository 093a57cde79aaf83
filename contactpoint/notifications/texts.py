"""The words of the e-mails, in the language the person gave their address in. A
notification says there is a new message and where to sign in: nothing of what it says."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext

from contactpoint.platform.i18n import in_language


def _link(path: str) -> str:
    return current_app.config["PUBLIC_URL"].rstrip("/") + path


def notification_text(language: str, messages: int) -> tuple[str, str]:
    """Subject and body of a notification that stands for `messages` new messages."""
    with in_language(language):
        subject = ngettext(
            "You have a new message in Kontaktpunkt",
            "You have %(num)d new messages in Kontaktpunkt",
            messages,
        )
        body = "\n\n".join(
            [
                _("Sign in to read it:"),
                _link(f"/my-pages/messages?lang={language}"),
                _("We never send what a message says by e-mail."),
                _("You get this e-mail because you asked for it on My pages."),
            ]
        )
    return str(subject), body


def verification_text(language: str, token: str) -> tuple[str, str]:
    """Subject and body of the e-mail whose link verifies the address."""
    days = int(current_app.config["VERIFY_LINK_DAYS"])
    with in_language(language):
        subject = _("Confirm your e-mail address")
        body = "\n\n".join(
            [
                _(
                    "Open the link to confirm your address."
                    " Then we tell you by e-mail when you have a new message."
                ),
                _link(f"/my-pages/contact/verify/{token}?lang={language}"),
                ngettext(
                    "The link works for %(num)d day.", "The link works for %(num)d days.", days
                ),
                _("Did you not ask for this? Then you can ignore this e-mail."),
            ]
        )
    return str(subject), body
