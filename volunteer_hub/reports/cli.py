"""``flask report quarterly``: the quarterly partnership report on the command line (FORMATS.md).

    flask report quarterly --year 2026 --quarter 3 [--organisation NAME] --format json|csv|xlsx|pdf
                           [--output FILE] [--municipality 0161]

Prints to standard output unless ``--output`` names a file. ``--municipality`` is the
kommunekode of the municipality to report on (default 0161, Glostrup). With
``--organisation`` only that organisation's volunteers and matches count, and the CSV, XLSX and
PDF are partner-facing (figures from 1 to 4 shown as ``<5``); JSON always has exact figures.
The report is computed from the data now (a draft), whether or not the quarter was finalised.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from volunteer_hub.db import set_session_tenant
from volunteer_hub.extensions import db
from volunteer_hub.reports import exports
from volunteer_hub.reports.periods import Quarter
from volunteer_hub.reports.services import build_report
from volunteer_hub.tenancy.models import Organisation
from volunteer_hub.tenancy.services import get_municipality_by_code

report_cli = AppGroup("report", help="Quarterly partnership reports.")


@report_cli.command("quarterly")
@click.option("--year", type=click.IntRange(1, 9998), required=True, help="The year, e.g. 2026.")
@click.option("--quarter", type=click.IntRange(1, 4), required=True, help="The quarter, 1 to 4.")
@click.option(
    "--organisation", default=None, help="A partner organisation's name; default: the whole municipality."
)
@click.option(
    "--format", "output_format", type=click.Choice(["json", "csv", "xlsx", "pdf"]), default="json",
    show_default=True, help="Output format.",
)  # fmt: skip
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of standard output.")  # fmt: skip
@click.option("--municipality", default="0161", show_default=True, help="The municipality's kommunekode.")
def quarterly_command(
    year: int,
    quarter: int,
    organisation: str | None,
    output_format: str,
    output: Path | None,
    municipality: str,
) -> None:
    """Print the quarterly partnership report (FORMATS.md)."""
    found = get_municipality_by_code(municipality)
    if found is None:
        raise click.ClickException(f"no municipality with kommunekode {municipality}")
    set_session_tenant(db.session(), found.id)
    chosen = None
    if organisation is not None:
        chosen = db.session.execute(
            select(Organisation).where(
                Organisation.municipality_id == found.id, Organisation.name == organisation
            )
        ).scalar_one_or_none()
        if chosen is None:
            raise click.ClickException(
                f"no organisation called {organisation!r} in municipality {municipality}"
            )
    report = build_report(found.id, Quarter(year, quarter), chosen)
    if output_format == "json":
        body = (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    elif output_format == "csv":
        body = exports.to_csv(report)
    elif output_format == "xlsx":
        body = exports.to_xlsx(report)
    else:
        body = exports.to_pdf(report, municipality_name=found.name)
    if output is None:
        click.echo(body, nl=False)  # bytes go to the binary standard output
    else:
        output.write_bytes(body)


def register_cli(app: Flask) -> None:
    app.cli.add_command(report_cli)
