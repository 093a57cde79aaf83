"""An embedded SMTP server (aiosmtpd) that catches every e-mail: `contactpoint run` sends to it
and /dev-mail lists what it caught; the tests read it to see what was sent."""

from __future__ import annotations

import json
import threading
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from contactpoint.platform.embedded import free_port


def caught(envelope: Envelope) -> dict[str, Any]:
    """One e-mail as caught: who to, its headers that matter, and its text."""
    content = envelope.content or b""
    raw = content.encode() if isinstance(content, str) else bytes(content)
    mail = message_from_bytes(raw, policy=policy.default)
    body = mail.get_body(("plain",)) if hasattr(mail, "get_body") else None
    return {
        "to": list(envelope.rcpt_tos),
        "from": envelope.mail_from,
        "subject": str(mail["Subject"] or ""),
        "message_id": str(mail["Message-ID"] or "").strip(),
        "date": str(mail["Date"] or ""),
        "text": body.get_content() if body is not None else "",
    }


class CatchingHandler:
    """Keeps every e-mail (in memory, and as JSON lines in `file` if given). An address in
    `refuse` is refused with a 550 at RCPT; a message to one in `refuse_content` with a 554
    at DATA, to one in `busy` with a 451 (try later); while `hold` is clear, DATA waits."""

    def __init__(self, file: Path | None = None) -> None:
        self.file = file
        self.mails: list[dict[str, Any]] = []
        self.refuse: set[str] = set()
        self.refuse_content: set[str] = set()
        self.busy: set[str] = set()
        self.hold = threading.Event()
        self.hold.set()
        self.holding = threading.Event()
        self._lock = threading.Lock()

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's name)
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        if address.casefold() in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802 (aiosmtpd's name)
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        to = {address.casefold() for address in envelope.rcpt_tos}
        if to & self.refuse_content:
            return "554 5.6.0 Message content refused"
        if to & self.busy:
            return "451 4.3.0 Try again later"
        if not self.hold.is_set():
            self.holding.set()
            await server.loop.run_in_executor(None, self.hold.wait)
        found = caught(envelope)
        with self._lock:
            self.mails.append(found)
            if self.file is not None:
                with self.file.open("a", encoding="utf-8") as out:
                    out.write(json.dumps(found, ensure_ascii=False) + "\n")
        return "250 Message accepted"


class EmbeddedSmtp:
    """A real SMTP server on 127.0.0.1 (a thread of this process), stopped by `stop()`."""

    def __init__(self, file: Path | None = None, port: int | None = None) -> None:
        self.handler = CatchingHandler(file)
        self.port = port or free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        """The smtp:// URL of this server."""
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> EmbeddedSmtp:
        """Start listening."""
        self.controller.start()
        return self

    def stop(self) -> None:
        """Stop listening (a held DATA is let go first)."""
        self.handler.hold.set()
        self.controller.stop()


def read_caught(file: Path, limit: int = 50) -> list[dict[str, Any]]:
    """The last e-mails caught into `file`, newest first."""
    if not file.exists():
        return []
    lines = file.read_text(encoding="utf-8").splitlines()[-limit:]
    return [json.loads(line) for line in reversed(lines) if line.strip()]
