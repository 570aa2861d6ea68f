"""What every ``flask import`` command does around its importer: options, file, report, commit.

The importer validates every row and writes only when there is no problem (flush only); the
command commits once at the end, or rolls back for a dry run or a file with problems, so an
import is all or nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

import click
from flask.cli import with_appcontext

from volunteer_hub.db import set_session_tenant
from volunteer_hub.extensions import db
from volunteer_hub.imports.reader import ImportFileError, Problems, Table, read_table

GLOSTRUP_CODE = "0161"  # the default of --municipality


class _Municipality(Protocol):
    id: int


M = TypeVar("M", bound=_Municipality)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    problems: Problems = field(default_factory=Problems)


def import_command(name: str, *, help: str, belonging: str) -> Callable[[Callable[..., Any]], click.Command]:
    """``flask import NAME FILE [--dry-run] [--municipality CODE]``, run in the app context.

    ``belonging`` names what belongs to the municipality, for the option's help ("households").
    """

    def command(function: Callable[..., Any]) -> click.Command:
        function = with_appcontext(function)
        function = click.option(
            "--municipality",
            "municipality_code",
            default=GLOSTRUP_CODE,
            show_default=True,
            metavar="CODE",
            help=f"Kommunekode of the municipality the {belonging} belong to (Glostrup is {GLOSTRUP_CODE}).",
        )(function)
        function = click.option(
            "--dry-run", is_flag=True, help="Check the file and report, without writing anything."
        )(function)
        function = click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))(
            function
        )
        return click.command(name, help=help)(function)

    return command


def run_import_command(
    file: Path,
    municipality_code: str,
    find_municipality: Callable[[str], M | None],
    importer: Callable[[Table, M, str], ImportResult],
    *,
    dry_run: bool,
    rows: str,
    title: str,
) -> None:
    """Read ``file``, run ``importer(table, municipality, file_sha256)``, report, commit or roll back.

    ``rows`` names what is counted in a dry run ("households"), ``title`` the import ("families").
    """
    municipality = find_municipality(municipality_code)
    if municipality is None:
        raise click.ClickException(f"unknown municipality {municipality_code}")
    set_session_tenant(db.session(), municipality.id)
    try:
        table = read_table(file)
    except ImportFileError as error:
        click.echo(f"{file.name}: {error}", err=True)
        raise SystemExit(1) from None
    result = importer(table, municipality, hashlib.sha256(file.read_bytes()).hexdigest())
    if result.problems:
        db.session.rollback()
        for line in result.problems.lines():
            click.echo(line, err=True)
        click.echo(f"{len(result.problems)} problems found; nothing was imported.", err=True)
        raise SystemExit(1)
    if dry_run:
        db.session.rollback()
        click.echo(
            f"Dry run: {result.created} {rows} would be created, {result.updated} updated; nothing written."
        )
        return
    db.session.commit()
    click.echo(f"Imported {title}: {result.created} created, {result.updated} updated.")
