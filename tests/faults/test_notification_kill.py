"""A worker killed (SIGKILL) while its mail server holds the reply to a notification's DATA,
then a new worker: the notification ends sent, and every copy that arrived carries the same
Message-ID (the window between the server's acceptance and the commit, docs/operations.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa

from contactpoint.platform.embedded_mail import EmbeddedSmtp
from tests.conftest import ANNA, token_for, wait_until
from tests.notifications.conftest import (
    give_and_verify,
    mails_to,
    person_id,
    post_notice,
)

LEASE_S = 30


@pytest.fixture()
def held_mail() -> Any:
    server = EmbeddedSmtp().start()
    yield server
    server.stop()


def test_a_worker_killed_mid_send_leaves_one_notification_sent_under_one_message_id(
    cluster_factory: Any, held_mail: EmbeddedSmtp, monkeypatch: pytest.MonkeyPatch
) -> None:
    from agencies import clock
    from contactpoint.db.models import Notification
    from contactpoint.notifications.tasks import recover_notifications

    cluster = cluster_factory(
        SMTP_URL=held_mail.url, CONTACTPOINT_NOTIFICATION_LEASE_S=str(LEASE_S)
    )
    first = cluster.start_worker("first")
    client = cluster.client()
    email = give_and_verify(client, token_for(client, ANNA), held_mail)
    anna = person_id(cluster.app, ANNA)

    held_mail.handler.hold.clear()  # the server takes the message and holds its reply
    post_notice(cluster.app, anna)
    wait_until(held_mail.handler.holding.is_set)
    cluster.kill(first)
    held_mail.handler.hold.set()  # it accepts what the dead worker sent: the window

    def states() -> list[str]:
        return [row.state for row in cluster.query(sa.select(Notification.state))]

    assert states() == ["sending"]
    cluster.start_worker("second")
    later = clock.now() + dt.timedelta(seconds=LEASE_S + 1)  # the dead worker's lease is over
    monkeypatch.setattr(clock, "now", lambda: later)
    with cluster.app.app_context():
        assert recover_notifications.run() == 1
    monkeypatch.undo()
    wait_until(lambda: states() == ["sent"])

    notifications = [
        mail for mail in mails_to(held_mail, email) if "notification-" in mail["message_id"]
    ]
    assert 1 <= len(notifications) <= 2
    assert len({mail["message_id"] for mail in notifications}) == 1
