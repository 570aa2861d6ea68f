"""``flask municipality create --code CODE --name NAME`` and ``flask municipality list``.

They work in production: they are how a new installation gets its first municipality
(FORMATS.md, "Setting up a municipality"). Refused input writes nothing and exits 1.
"""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from volunteer_hub.extensions import db
from volunteer_hub.tenancy.services import TenancyError, create_municipality, list_municipalities

municipality_cli = AppGroup("municipality", help="Create and list the municipalities (tenants).")


@municipality_cli.command("create")
@click.option("--code", required=True, help="The four-digit kommunekode, e.g. 0161.")
@click.option("--name", required=True, help="The municipality's name, e.g. Glostrup.")
def create_command(code: str, name: str) -> None:
    """Create the municipality with an official kommunekode, unless it exists (idempotent)."""
    try:
        result = create_municipality(code, name)
    except TenancyError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    municipality = result.municipality
    if result.created:
        click.echo(f"Created municipality {municipality.code} {municipality.name}.")
    else:
        click.echo(f"Municipality {municipality.code} {municipality.name} already exists; nothing changed.")


@municipality_cli.command("list")
def list_command() -> None:
    """One line per municipality: CODE<TAB>NAME."""
    for municipality in list_municipalities():
        click.echo(f"{municipality.code}\t{municipality.name}")


def register_cli(app: Flask) -> None:
    app.cli.add_command(municipality_cli)
