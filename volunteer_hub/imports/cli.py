"""``flask import <kind> FILE [--dry-run]``: the command group every importer adds itself to.

Each domain attaches its command, e.g. ``@import_cli.command("volunteers")`` in
volunteer_hub/volunteers/import_.py; web.register_cli imports those modules and adds the group.
"""

from __future__ import annotations

from flask.cli import AppGroup

import_cli = AppGroup(
    "import",
    help="Import volunteers, families or matches from a CSV or XLSX file, as FORMATS.md describes.",
)
