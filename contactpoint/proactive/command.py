"""`contactpoint sandbox register-event`: record a birth or a death in the simulated
population register, as the register's own system would, and publish it."""

from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import with_appcontext

from agencies.registers.recorded import PopulationRegister, RegisterEvent
from workflows.proactive.tasks import consume_event


def _publish(event: RegisterEvent) -> None:
    """Hand the event to Kontaktpunkt's workers, by its id; print it as JSON."""
    consume_event.apply_async(args=[event.id])
    click.echo(json.dumps(event.as_dict(), indent=2))


def _register() -> PopulationRegister:
    register: PopulationRegister = current_app.extensions["population_register"]
    return register


@click.group("register-event")
def register_event_command() -> None:
    """Record an event in the simulated population register and publish it."""


@register_event_command.command("birth")
@click.option("--parent", "parents", multiple=True, required=True, help="A guardian (1 or 2).")
@click.option("--name", default=None, help="The child's name, first names and surname.")
@with_appcontext
def birth_command(parents: tuple[str, ...], name: str | None) -> None:
    """A child born today to these guardians; prints the event with the child's number."""
    if len(parents) > 2 or len(set(parents)) != len(parents):
        raise click.BadParameter("one or two different guardians", param_hint="--parent")
    try:
        event = _register().record_birth(list(parents), name)
    except LookupError as missing:
        raise click.BadParameter(
            f"{missing} is not in the register", param_hint="--parent"
        ) from None
    _publish(event)


@register_event_command.command("death")
@click.option("--person", required=True, help="The personal identity number of who died.")
@click.option(
    "--estate", "estate", multiple=True, help="A member of the estate (default: adults at home)."
)
@with_appcontext
def death_command(person: str, estate: tuple[str, ...]) -> None:
    """The person died today; prints the event with the members of the estate."""
    try:
        event = _register().record_death(person, estate=list(estate) or None)
    except LookupError as missing:
        raise click.BadParameter(
            f"{missing} is not in the register", param_hint="--person"
        ) from None
    _publish(event)
