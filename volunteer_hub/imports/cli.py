"""``flask import ...``: load spreadsheets kept before Volunteer Hub (FORMATS.md)."""

from __future__ import annotations

from flask.cli import AppGroup

import_cli = AppGroup("import", help="Import volunteers, families or matches from CSV or XLSX files.")

# Each domain adds its command to the group.
from volunteer_hub.families.importer import import_families_command  # noqa: E402

import_cli.add_command(import_families_command)
