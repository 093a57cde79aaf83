"""`contactpoint sandbox register-event`: record a birth, a death or a change of address in the
simulated population register, as the register's own system would, and publish it."""

from __future__ import annotations

import datetime as dt
import json
import re

import click
from flask import current_app
from flask.cli import with_appcontext

from agencies.municipalities import is_code
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


POSTAL_CODE = re.compile(r"^\d{3} ?\d{2}$")


@register_event_command.command("change-of-address")
@click.option("--person", required=True, help="The personal identity number of who moved.")
@click.option("--street", required=True, help="The new street address.")
@click.option("--postal-code", required=True, help="The new postcode, five digits.")
@click.option("--municipality", required=True, help="The new municipality's SCB code (0380).")
@click.option("--date", "on", type=click.DateTime(["%Y-%m-%d"]), help="The day (default today).")
@with_appcontext
def change_of_address_command(
    person: str, street: str, postal_code: str, municipality: str, on: dt.datetime | None
) -> None:
    """The person moved to this address; prints the event with the address and the
    municipality left."""
    if not street.strip():
        raise click.BadParameter("write the street address", param_hint="--street")
    if not POSTAL_CODE.match(postal_code):
        raise click.BadParameter("five digits, like 753 20", param_hint="--postal-code")
    if not is_code(municipality):
        raise click.BadParameter(
            f"{municipality!r} is not a municipality's code (Uppsala is 0380)",
            param_hint="--municipality",
        )
    address = {"street": street.strip(), "postal_code": postal_code, "municipality": municipality}
    try:
        event = _register().record_move(person, address, on.date() if on else None)
    except LookupError as missing:
        raise click.BadParameter(
            f"{missing} is not in the register", param_hint="--person"
        ) from None
    except ValueError as dead:
        raise click.BadParameter(str(dead), param_hint="--person") from None
    _publish(event)
