"""``flask backup FILE``, ``flask restore FILE [--force]`` (PostgreSQL only) and ``flask import <kind> FILE``.

The import group sits here, at the edge, because it gathers every domain's import command;
``volunteer_hub.imports`` itself is the reader and the runner those commands share, below them.
"""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy.pool import NullPool

from volunteer_hub.ops.services import OpsError, backup_database, postgres_target, restore_database


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
def backup_command(file: Path) -> None:
    """Dump the configured PostgreSQL database to FILE (pg_dump custom format)."""
    try:
        result = backup_database(
            current_app.config["SQLALCHEMY_DATABASE_URI"], file, bin_dir=current_app.config["PG_BIN_DIR"]
        )
    except OpsError as exc:
        raise click.ClickException(str(exc)) from exc
    size = result.size_bytes / 1e6
    click.echo(f"Backup written to {result.path} ({size:.1f} MB in {result.seconds:.1f} s)")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace everything in a database that is not empty.")
@with_appcontext
def restore_command(file: Path, force: bool) -> None:
    """Restore FILE (made by `flask backup`) into the configured database, in one transaction."""
    uri = current_app.config["SQLALCHEMY_DATABASE_URI"]
    try:
        result = restore_database(uri, file, force=force, bin_dir=current_app.config["PG_BIN_DIR"])
    except OpsError as exc:
        raise click.ClickException(str(exc)) from exc
    where = postgres_target(uri).display
    click.echo(f"Restored {file} into {where}: {result.tables} tables in {result.seconds:.1f} s")
    restored, head = _restored_revision(uri), _head_revision()
    if restored != head:
        click.echo(
            f"The backup is at migration {restored}, this code expects {head}: "
            f"run `flask db upgrade` before starting the app."
        )


def _restored_revision(uri: str) -> str | None:
    engine = sa.create_engine(uri, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    except sa.exc.DBAPIError:
        return None
    finally:
        engine.dispose()


def _head_revision() -> str | None:
    migrate = current_app.extensions["migrate"]
    config = migrate.migrate.get_config(migrate.directory)
    return ScriptDirectory.from_config(config).get_current_head()


def import_commands() -> AppGroup:
    """The ``import`` group with the volunteer, family and match imports (a new group per app)."""
    from volunteer_hub.families.importer import import_families_command
    from volunteer_hub.matching.importer import import_matches_command
    from volunteer_hub.volunteers.import_ import import_volunteers_command

    group = AppGroup(
        "import",
        help="Import volunteers, families or matches from a CSV or XLSX file, as FORMATS.md describes.",
    )
    for command in (import_volunteers_command, import_families_command, import_matches_command):
        group.add_command(command)
    return group


def register_cli(app: Flask) -> None:
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(import_commands())
