"""``flask import <kind> FILE [--dry-run]``: the command group with every domain's import command."""

from __future__ import annotations

from flask.cli import AppGroup


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
