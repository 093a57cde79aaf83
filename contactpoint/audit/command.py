"""`contactpoint audit`: check the audit trail's chain, and print its head."""

from __future__ import annotations

import json
import re

import click
from flask.cli import with_appcontext

from contactpoint.audit.head import current_head
from contactpoint.audit.verify import Verdict, verify
from contactpoint.extensions import db

# A published head: a position, a colon, the hash or at least its first 12 hex digits.
PUBLISHED = re.compile(r"(\d+):([0-9a-fA-F]{12,64})")


def _published(
    _ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]
) -> dict[int, str]:
    heads = {}
    for value in values:
        found = PUBLISHED.fullmatch(value.strip())
        if found is None:
            raise click.BadParameter(
                f"{value!r} is not POSITION:HASH (the hash, or its first 12 hex digits or more)"
            )
        heads[int(found[1])] = found[2].lower()
    return heads


@click.group("audit")
def audit_command() -> None:
    """The officers' audit trail: a hash chain."""


@audit_command.command("verify")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option(
    "--published",
    multiple=True,
    callback=_published,
    metavar="POSITION:HASH",
    help="A head published earlier (the log line, or the metrics), which the chain must pass"
    " through; again for more.",
)
@with_appcontext
def verify_command(as_json: bool, published: dict[int, str]) -> None:
    """Walk the chain from the latest checkpoint to its head; exit 1 naming the first entry
    changed, removed or inserted."""
    with db.engine.connect() as connection:
        verdict = verify(connection, published)
    if as_json:
        click.echo(json.dumps(verdict.as_dict(), indent=2))
    else:
        click.echo(_said(verdict))
    if not verdict.holds:
        raise SystemExit(1)


def _said(verdict: Verdict) -> str:
    """The verdict in a few lines."""
    head = verdict.head
    since = (
        f" from the checkpoint at position {verdict.checkpoint['position']}"
        if verdict.checkpoint
        else ""
    )
    entries = f"{verdict.checked} {'entry' if verdict.checked == 1 else 'entries'}"
    lines = []
    if verdict.broken is None:
        lines.append(f"The audit trail holds: {entries} checked{since}.")
        lines.append(f"Head: position {head.position}, hash {head.entry_hash}")
    else:
        broken = verdict.broken
        lines.append(
            f"The audit trail does not hold: {broken.kind} at position {broken.position}"
            f" (entry {broken.id if broken.id is not None else 'gone'}): {broken.message}."
        )
        lines.append(
            f"It holds{since} up to position {verdict.held_to.position} ({entries});"
            f" its last entry is at position {head.position}."
        )
    for compared in verdict.published:
        lines.append(
            f"Published head {compared['position']}:{compared['hash']}: {compared['found']}"
        )
    return "\n".join(lines)


@audit_command.command("head")
@click.option("--json", "as_json", is_flag=True, help="Print the head as JSON.")
@with_appcontext
def head_command(as_json: bool) -> None:
    """Print the chain's head as it is published: position and hash."""
    with db.engine.connect() as connection:
        head = current_head(connection)
    if as_json:
        click.echo(json.dumps({"position": head.position, "hash": head.entry_hash}))
    else:
        click.echo(f"position {head.position} hash {head.entry_hash}")
