"""Reading an import file (FORMATS.md): CSV with ``,`` or ``;`` or XLSX, into rows of text cells.

Row numbers are spreadsheet row numbers: the header is row 1, the first data row is row 2,
as a spreadsheet program shows them (a CSV cell spanning lines still counts as one row).
Column names are compared without surrounding spaces and case; unknown, missing and
repeated columns are reported as problems, never ignored.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


@dataclass
class Problems:
    """Every problem found in a file; an import writes nothing while there is one."""

    items: list[Problem] = field(default_factory=list)

    def add(self, row: int, column: str, message: str) -> None:
        self.items.append(Problem(row, column, message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def lines(self) -> list[str]:
        return [str(p) for p in sorted(self.items, key=lambda p: (p.row, p.column))]


@dataclass(frozen=True)
class Row:
    number: int  # the spreadsheet row number (header = 1)
    cells: dict[str, str]


@dataclass
class Sheet:
    kind: str  # "csv" or "xlsx"
    columns: list[str]
    rows: list[Row]


class UnreadableFileError(ValueError):
    """The file as a whole cannot be read (not UTF-8, not a spreadsheet, empty)."""


def _cell_text(value: Any) -> str:
    """An XLSX cell as the text a CSV would hold: dates as YYYY-MM-DD, whole numbers without .0."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_csv(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")  # with or without a byte-order mark
    except UnicodeDecodeError as exc:
        raise UnreadableFileError('the file is not UTF-8 text; save it as "CSV UTF-8" or as XLSX') from exc
    lines = text.splitlines()
    if not lines:
        raise UnreadableFileError("the file is empty")
    header = lines[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    return [
        [cell.strip() for cell in record]
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    ]


def _read_xlsx(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise UnreadableFileError("the file is not a readable XLSX workbook") from exc
    try:
        if not workbook.worksheets:
            raise UnreadableFileError("the workbook has no sheets")
        return [
            [_cell_text(value) for value in row] for row in workbook.worksheets[0].iter_rows(values_only=True)
        ]
    finally:
        workbook.close()


def read_sheet(path: str | Path, known: Iterable[str], required: Iterable[str], problems: Problems) -> Sheet:
    """The file's rows as ``{column: text}``; column problems go to ``problems`` (row 1)."""
    path = Path(path)
    data = path.read_bytes()
    is_xlsx = data.startswith(XLSX_MAGIC) or path.suffix.lower() == ".xlsx"
    records = _read_xlsx(path) if is_xlsx else _read_csv(data)
    if not records or not any(records[0]):
        raise UnreadableFileError("the first row must name the columns, and it is empty")
    known = list(known)
    header = [cell.strip().lower() for cell in records[0]]
    columns: list[str] = []
    positions: dict[int, str] = {}
    for position, name in enumerate(header, start=1):
        if not name:
            continue  # a heading-less column must also be empty; checked per row below
        if name not in known:
            problems.add(1, name, "unknown column; the columns are " + ", ".join(known))
        elif name in columns:
            problems.add(1, name, "the column appears twice")
        else:
            columns.append(name)
            positions[position] = name
    for name in required:
        if name not in columns:
            problems.add(1, name, "this required column is missing")
    rows = []
    for number, record in enumerate(records[1:], start=2):
        if not any(record):
            continue  # blank rows, e.g. below the data in a spreadsheet
        cells = {name: "" for name in columns}
        for position, value in enumerate(record, start=1):
            if position in positions:
                cells[positions[position]] = value
            elif value and (position > len(header) or not header[position - 1]):
                problems.add(number, str(position), "this cell has no column heading")
        rows.append(Row(number, cells))
    return Sheet(kind="xlsx" if is_xlsx else "csv", columns=columns, rows=rows)


def split_list(text: str) -> list[str]:
    """A list cell: items separated by ``|``, spaces around items ignored, empty items dropped."""
    return [item.strip() for item in text.split("|") if item.strip()]
