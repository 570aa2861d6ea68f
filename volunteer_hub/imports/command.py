"""What every ``flask import`` command does around its importer: municipality, file, report, commit.

The importer validates every row and writes only when there is no problem (flush only); the
command commits once at the end, or rolls back for a dry run or a file with problems, so an
import is all or nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import click

from volunteer_hub.db import set_session_tenant
from volunteer_hub.extensions import db
from volunteer_hub.imports.reader import ImportFileError, Problems, Table, read_table
from volunteer_hub.tenancy.models import Municipality
from volunteer_hub.tenancy.services import ensure_municipality, get_municipality_by_code

GLOSTRUP_CODE = "0161"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    problems: Problems = field(default_factory=Problems)


def run_import_command(
    file: Path,
    municipality_code: str,
    importer: Callable[[Table, Municipality, str], ImportResult],
    *,
    dry_run: bool,
    rows: str,
    title: str,
) -> None:
    """Read ``file``, run ``importer(table, municipality, file_sha256)``, report, commit or roll back.

    ``rows`` names what is counted in a dry run ("households"), ``title`` the import ("families").
    """
    municipality = get_municipality_by_code(municipality_code)
    if municipality is None:
        if municipality_code != GLOSTRUP_CODE:
            raise click.ClickException(f"unknown municipality {municipality_code}")
        municipality = ensure_municipality(GLOSTRUP_CODE, "Glostrup Kommune")
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
