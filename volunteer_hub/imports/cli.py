"""``flask import <kind> FILE [--dry-run]``: the command group every importer adds itself to."""

from __future__ import annotations

from flask.cli import AppGroup

import_cli = AppGroup(
    "import",
    help="Import volunteers, families or matches from a CSV or XLSX file, as FORMATS.md describes.",
)


def import_commands() -> AppGroup:
    """The group with every domain's import command attached."""
    from volunteer_hub.families.importer import import_families_command
    from volunteer_hub.matching.importer import import_matches_command
    from volunteer_hub.volunteers import import_  # noqa: F401 - its decorator adds `import volunteers`

    if "families" not in import_cli.commands:
        import_cli.add_command(import_families_command)
    if "matches" not in import_cli.commands:
        import_cli.add_command(import_matches_command)
    return import_cli
