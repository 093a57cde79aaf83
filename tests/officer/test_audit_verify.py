"""`contactpoint audit verify` walks the audit trail's hash chain: it holds on an intact
trail, and names the first entry changed, removed or inserted behind the app's back (by
someone who drops the database's guards); a chain rewritten whole, or cut short with its
head, shows against a head published earlier. The head is published: logged by a pass beat
sends, and served on /metrics."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from contactpoint.audit.chain import CONTENT, entry_hash
from contactpoint.audit.head import current_head, publish_head
from contactpoint.cli import main
from contactpoint.db.models import AuditEntry
from contactpoint.db.protection import seal_answers
from contactpoint.extensions import db
from tests.helpers.audit import as_attacker, chain_app, database_of_its_own, verified, write


@pytest.fixture(params=["sqlite", "postgresql"])
def trail(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """The app on a database of its own, migrated, in its app context."""
    with chain_app(database_of_its_own(request, tmp_path), tmp_path) as app:
        yield app


def _broken(said: dict[str, object]) -> tuple[object, object, object]:
    broken = said["broken"]
    assert isinstance(broken, dict), said
    return broken["kind"], broken["position"], broken["id"]


def _hash_again(after: int) -> None:
    """As an attacker who knows how the chain is hashed: every entry from position `after`
    on hashed again, and the head moved to the last."""
    previous = db.session.scalar(
        sa.select(AuditEntry.entry_hash).where(AuditEntry.position == after - 1)
    )
    entries = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.position >= after).order_by(AuditEntry.position)
    ).all()
    changes = []
    for entry in entries:
        content = {name: getattr(entry, name) for name in CONTENT}
        digest = entry_hash(str(previous), entry.position, content)
        changes.append({"p": entry.position, "previous": previous, "digest": digest})
        previous = digest
    db.session.rollback()
    connection = db.session.connection()
    for change in changes:
        connection.execute(
            sa.text("UPDATE audit_entries SET previous_hash = :previous, entry_hash = :digest"
                    " WHERE position = :p"), change)  # fmt: skip
    connection.execute(
        sa.text("UPDATE audit_chain_head SET position = :p, entry_hash = :digest"), changes[-1]
    )
    db.session.commit()


def test_an_intact_chain_holds_and_verify_names_its_head(trail: Flask) -> None:
    entries = write(5)
    last = entries[-1]
    code, said = verified(trail)
    assert code == 0, said
    assert said["holds"] is True and said["checked"] == 5 and said["broken"] is None
    assert said["head"] == {"position": 5, "hash": last.entry_hash}
    assert said["checkpoint"] is None
    [(stored,)] = db.session.execute(sa.text("SELECT detail FROM audit_entries WHERE position = 2"))
    stored = json.loads(stored) if isinstance(stored, str) else stored
    assert "Leo" not in json.dumps(stored)  # the words are sealed; the chain covers them open
    printed = trail.test_cli_runner().invoke(main, ["audit", "verify"])
    assert printed.exit_code == 0, printed.output
    assert printed.output.startswith("The audit trail holds: 5 entries checked.")
    assert f"Head: position 5, hash {last.entry_hash}" in printed.output


def test_an_entry_changed_is_named(trail: Flask) -> None:
    entries = write(5)
    as_attacker("UPDATE audit_entries SET actor = 'officer-9' WHERE position = 3")
    code, said = verified(trail)
    assert code == 1 and said["holds"] is False
    assert _broken(said) == ("changed", 3, entries[2].id)
    assert said["checked"] == 2 and said["held_to"]["position"] == 2
    assert said["head"]["position"] == 5
    printed = trail.test_cli_runner().invoke(main, ["audit", "verify"])
    assert printed.exit_code == 1
    assert f"changed at position 3 (entry {entries[2].id})" in printed.output


def test_words_changed_under_their_seal_are_named(trail: Flask) -> None:
    entries = write(5)
    stored = db.session.scalar(sa.text("SELECT detail FROM audit_entries WHERE position = 2"))
    detail: dict[str, str] = json.loads(stored) if isinstance(stored, str) else stored
    detail["question"] = seal_answers("Which school will Alva go to?")  # sealed as the app seals
    postgresql = db.engine.dialect.name == "postgresql"
    as_attacker(
        f"UPDATE audit_entries SET detail = {'CAST(:detail AS json)' if postgresql else ':detail'}"
        " WHERE position = 2",
        detail=json.dumps(detail),
    )
    code, said = verified(trail)
    assert code == 1 and _broken(said) == ("changed", 2, entries[1].id)


def test_an_entry_removed_is_named(trail: Flask) -> None:
    entries = write(5)
    as_attacker("DELETE FROM audit_entries WHERE position = 3")
    code, said = verified(trail)
    assert code == 1 and _broken(said) == ("removed", 3, None)
    assert f"before entry {entries[3].id}" in said["broken"]["message"]


def test_an_entry_removed_and_the_rest_renumbered_is_named(trail: Flask) -> None:
    write(5)
    as_attacker(
        "DELETE FROM audit_entries WHERE position = 3",
        "UPDATE audit_entries SET position = -position WHERE position > 3",
        "UPDATE audit_entries SET position = -position - 1 WHERE position < 0",
        "UPDATE audit_chain_head SET position = 4",
    )
    code, said = verified(trail)
    assert code == 1 and _broken(said)[:2] == ("removed", 3)


def test_the_end_cut_off_is_named(trail: Flask) -> None:
    write(5)
    as_attacker("DELETE FROM audit_entries WHERE position > 3")
    code, said = verified(trail)
    assert code == 1 and _broken(said) == ("removed", 4, None)


def _forged(after: AuditEntry, position: int) -> AuditEntry:
    """An entry of the attacker's making, linked after `after` and hashed as the app would."""
    content = {"at": after.at, "actor": "officer-9", "role": "officer", "agency": "kommun_0380",
               "action": "viewed_step", "case_id": None, "step_id": None, "detail": {}}  # fmt: skip
    digest = entry_hash(after.entry_hash, position, content)
    return AuditEntry(**content, position=position, previous_hash=after.entry_hash,
                      entry_hash=digest)  # fmt: skip


def test_an_entry_inserted_at_the_end_is_named(trail: Flask) -> None:
    entries = write(3)
    forged = _forged(entries[-1], 4)
    as_attacker(added=forged)
    code, said = verified(trail)
    assert code == 1 and _broken(said) == ("inserted", 4, forged.id)


def test_an_entry_inserted_in_the_middle_is_named(trail: Flask) -> None:
    entries = write(5)
    forged = _forged(entries[1], 3)
    as_attacker(
        "UPDATE audit_entries SET position = -position WHERE position > 2",
        "UPDATE audit_entries SET position = -position + 1 WHERE position < 0",
        "UPDATE audit_chain_head SET position = 6",
        added=forged,
    )
    code, said = verified(trail)
    assert code == 1 and _broken(said) == ("inserted", 3, forged.id)


def test_an_entry_changed_and_hashed_again_is_named(trail: Flask) -> None:
    entries = write(5)
    as_attacker("UPDATE audit_entries SET actor = 'officer-9' WHERE position = 2")
    entry = db.session.get(AuditEntry, entries[1].id)
    assert entry is not None
    content = {name: getattr(entry, name) for name in CONTENT}
    rehashed = entry_hash(entry.previous_hash, 2, content)
    db.session.rollback()
    as_attacker("UPDATE audit_entries SET entry_hash = :h WHERE position = 2", h=rehashed)
    code, said = verified(trail)
    assert code == 1 and _broken(said) == ("changed", 2, entries[1].id)


def test_a_chain_rewritten_whole_shows_against_a_head_published_before(trail: Flask) -> None:
    entries = write(5)
    head = entries[-1].entry_hash
    as_attacker("UPDATE audit_entries SET actor = 'officer-9' WHERE position = 2")
    _hash_again(after=2)
    code, said = verified(trail)
    assert code == 0, said  # what a chain alone cannot show: see docs/security.md
    code, said = verified(trail, f"5:{head}")
    assert code == 1 and _broken(said) == ("changed", 5, entries[-1].id)
    code, said = verified(trail, f"5:{head[:12]}")  # as /metrics gives it
    assert code == 1 and _broken(said)[:2] == ("changed", 5)


def test_an_end_cut_off_with_its_head_shows_against_a_head_published_before(
    trail: Flask,
) -> None:
    third, fifth = (entry.entry_hash for entry in write(5)[2::2])
    as_attacker(
        "DELETE FROM audit_entries WHERE position > 3",
        "UPDATE audit_chain_head SET position = 3, entry_hash = :h",
        h=third,
    )
    assert verified(trail)[0] == 0
    code, said = verified(trail, f"3:{third}", f"5:{fifth}")
    assert code == 1 and _broken(said) == ("removed", 4, None)
    assert said["published"] == [{"position": 3, "hash": third, "found": "matches"}]


def test_a_published_head_is_a_position_and_a_hash(app: Flask) -> None:
    done = app.test_cli_runner().invoke(main, ["audit", "verify", "--published", "5:abc"])
    assert done.exit_code == 2
    assert "'5:abc' is not POSITION:HASH" in done.output and "Traceback" not in done.output


def test_the_head_is_logged_by_a_pass_that_beat_sends(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    with app.app_context():
        write(1)
        head = current_head(db.session)
        db.session.rollback()
        with caplog.at_level(logging.INFO, logger="contactpoint.audit.head"):
            published = publish_head.run()  # the task's body, as the worker runs it
    assert published == {"position": head.position, "hash": head.entry_hash}
    assert f"audit trail head: position {head.position} hash {head.entry_hash}" in caplog.text
    schedule = app.extensions["celery"].conf.beat_schedule["audit-head"]
    assert schedule["task"] == publish_head.name and schedule["schedule"] == 300
    assert schedule["options"]["queue"] == "contactpoint"


def test_metrics_serve_the_heads_position_and_the_start_of_its_hash(
    app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        write(1)
        head = current_head(db.session)
        db.session.rollback()
    text = client.get("/metrics").get_data(as_text=True)
    position = re.search(r"^contactpoint_audit_chain_head_position (\S+)$", text, re.M)
    prefix = re.search(r"^contactpoint_audit_chain_head_hash_prefix (\S+)$", text, re.M)
    assert position and float(position[1]) == head.position
    assert prefix and f"{int(float(prefix[1])):012x}" == head.entry_hash[:12]
