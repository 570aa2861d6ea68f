"""A volunteers file built from docs/FORMATS.md's own table: the columns an operator reads there."""

from __future__ import annotations

import re
from pathlib import Path

FORMATS = Path(__file__).resolve().parents[2] / "docs" / "FORMATS.md"

VALUES = {
    "ref": "V0001",
    "first_name": "Mette",
    "last_name": "Hansen",
    "email": "mette.hansen@example.dk",
    "phone": "20304050",
    "postcode": "2600",
    "birth_year": "1972",
    "gender": "f",
    "organisation": "",
    "languages": "da:native|en:fluent",
    "skills": "homework_help",
    "interests": "reading",
    "schemes": "family_buddy",
    "availability": "weekend",
    "capacity": "1",
    "child_certificate_on": "",
    "status": "approved",
    "registered_on": "2026-11-02",
    "about": "Jeg læser gerne højt.",
}


def volunteer_columns() -> list[str]:
    """The column names of FORMATS.md's `flask import volunteers` table, in its order."""
    text = FORMATS.read_text(encoding="utf-8")
    section = text.split("## `flask import volunteers", 1)[1].split("\n## ", 1)[0]
    columns: list[str] = []
    for cell in re.findall(r"^\| ([a-z_, ]+) \|", section, flags=re.M):
        columns += [name.strip() for name in cell.split(",") if name.strip() and name.strip() != "column"]
    return columns


def write_volunteers_file(path: Path, organisation: str = "", rows: int = 2) -> Path:
    columns = volunteer_columns()
    lines = [",".join(columns)]
    for number in range(1, rows + 1):
        values = {
            **VALUES,
            "ref": f"V{number:04d}",
            "first_name": f"Frivillig{number}",
            "email": f"frivillig{number}@example.dk",
            "organisation": organisation,
        }
        lines.append(",".join(values[name] for name in columns))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
