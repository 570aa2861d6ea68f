"""Reading every import file (FORMATS.md "Common rules") and collecting every problem found.

A file is CSV (UTF-8 with or without BOM; ``,`` or ``;`` as separator, detected from the
header line) or XLSX (the first sheet), read within bounds by ``sources.py``. Cells come out
as stripped text, whatever the file type, so one set of cell parsers serves both. Rows are
numbered as a spreadsheet shows them: the header is row 1, the first data row is row 2 (a CSV
cell spanning lines still counts as one row). Entirely empty rows are skipped. Column names
are compared without surrounding spaces and case; unknown, missing and repeated columns and
cells outside the named columns are reported as problems, never ignored.

Cell parsers raise ``CellError`` with a message that says what is wrong; the importer turns
it into ``row N, column C: message`` and carries on, so one run reports every problem.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from volunteer_hub.imports.sources import ImportFileError as ImportFileError  # the importers' one error
from volunteer_hub.imports.sources import read_records

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LIST_SEPARATOR = "|"
PAIR_SEPARATOR = ":"

T = TypeVar("T")


class CellError(ValueError):
    """One cell's value is not acceptable; the message says why."""


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
        """By row; within a row in the order found (the header's left to right)."""
        return [str(p) for p in sorted(self.items, key=lambda p: p.row)]


@dataclass(frozen=True)
class Row:
    number: int  # as a spreadsheet numbers it: the header is row 1
    cells: Mapping[str, str]  # every named column, "" where the row has no cell

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass
class Table:
    kind: str  # "csv" or "xlsx", for the audit trail
    columns: list[str]
    rows: list[Row]
    problems: Problems = field(default_factory=Problems)


def read_table(path: str | Path) -> Table:
    """Read a CSV or XLSX file into a Table (header problems are in ``table.problems``)."""
    return _table(*read_records(path))


def read_import_file(path: str | Path, required: Iterable[str], optional: Iterable[str]) -> Table:
    """``read_table`` and ``check_columns`` in one call: the table, its column problems in it."""
    table = read_table(path)
    check_columns(table, required, optional)
    return table


def _table(kind: str, records: list[list[str]]) -> Table:
    records = [[cell.strip() for cell in record] for record in records]
    first = next((index for index, record in enumerate(records) if any(record)), None)
    if first is None:
        raise ImportFileError("the file is empty: the first row must name the columns")
    if first > 0:
        raise ImportFileError(
            f"the first row must name the columns, and row {first + 1} is the first that does"
        )
    header = [name.lower() for name in records[0]]
    while header and header[-1] == "":
        header.pop()  # spreadsheets often carry empty cells after the last column
    table = Table(kind=kind, columns=[], rows=[])
    positions: dict[int, str] = {}  # 0-based position -> column name
    for position, name in enumerate(header):
        if not name:
            continue  # a nameless column between named ones must stay empty: checked per row
        if name in table.columns:
            table.problems.add(1, name, "the column appears twice in the header")
        else:
            table.columns.append(name)
            positions[position] = name
    for number, record in enumerate(records[1:], start=2):
        if not any(record):
            continue  # blank rows, e.g. below the data in a spreadsheet
        cells = dict.fromkeys(table.columns, "")
        for position, value in enumerate(record):
            if "\x00" in value:
                name = positions.get(position, str(position + 1))
                table.problems.add(number, name, "the cell holds a NUL character (byte 0), which is not text")
            if position in positions:
                cells[positions[position]] = value
            elif value and position >= len(header):
                table.problems.add(
                    number, str(position + 1), "the cell is outside the columns named in the header"
                )
            elif value and not header[position]:  # (a repeated column is reported in row 1)
                table.problems.add(
                    number, str(position + 1), "the cell is in a column without a name in the header"
                )
        table.rows.append(Row(number, cells))
    return table


def check_columns(table: Table, required: Iterable[str], optional: Iterable[str]) -> Problems:
    """Unknown columns are an error, and so is a missing required column (added to the table's)."""
    problems = table.problems
    required = list(required)
    known = set(required) | set(optional)
    for name in table.columns:
        if name not in known:
            problems.add(1, name, "unknown column (allowed: " + ", ".join(sorted(known)) + ")")
    for name in required:
        if name not in table.columns:
            problems.add(1, name, "this required column is missing")
    return problems


def parse_cell(
    row: Row, column: str, problems: Problems, parse: Callable[..., T], *args: Any, **kwargs: Any
) -> T | None:
    """``parse`` the row's cell in ``column``; its ``CellError`` becomes ``row N, column C: message``."""
    try:
        return parse(row.get(column), *args, **kwargs)
    except CellError as error:
        problems.add(row.number, column, str(error))
        return None


# --- Cell parsers: each takes the cell's text and raises CellError with a reason. ---------


def require(text: str) -> str:
    if not text:
        raise CellError("a value is required")
    return text


def parse_text(text: str, *, max_length: int, required: bool = False) -> str:
    if required:
        require(text)
    if len(text) > max_length:
        raise CellError(f"the text is {len(text)} characters long; at most {max_length} are allowed")
    return text


def parse_date(text: str) -> dt.date:
    """An ISO date, YYYY-MM-DD."""
    if not ISO_DATE.match(text):
        raise CellError(f"'{text}' is not a date written as YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CellError(f"'{text}' is not a real date") from exc


def parse_optional_date(text: str) -> dt.date | None:
    return parse_date(text) if text else None


def parse_int(text: str, *, minimum: int, maximum: int) -> int:
    if not re.fullmatch(r"[+-]?\d+", text):
        raise CellError(f"'{text}' is not a whole number")
    value = int(text)
    if not minimum <= value <= maximum:
        raise CellError(f"{value} is outside the allowed range {minimum}–{maximum}")
    return value


def parse_list(text: str) -> list[str]:
    """Items separated by ``|``; an empty cell is an empty list."""
    if not text:
        return []
    items = [item.strip() for item in text.split(LIST_SEPARATOR)]
    if any(not item for item in items):
        raise CellError(f"'{text}' has an empty item: separate items with a single |")
    return items


def parse_codes(text: str, vocabulary: Mapping[str, Any], what: str) -> list[str]:
    """A ``|`` list of codes from ``vocabulary``, each at most once."""
    codes = parse_list(text)
    unknown = [code for code in codes if code not in vocabulary]
    if unknown:
        raise CellError(
            f"unknown {what} {', '.join(repr(c) for c in unknown)} (allowed: {', '.join(vocabulary)})"
        )
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        raise CellError(f"{', '.join(repr(c) for c in duplicates)} is listed more than once")
    return codes


def parse_language_levels(
    text: str, languages: Mapping[str, Any], levels: Mapping[str, Any]
) -> list[tuple[str, str]]:
    """``code:level`` pairs, e.g. ``ar:native|da:basic``; each language at most once.

    Every wrong item is named in the one message, so a single run shows all that needs fixing.
    """
    pairs: list[tuple[str, str]] = []
    wrong: list[str] = []
    for item in parse_list(text):
        code, sep, level = (part.strip() for part in item.partition(PAIR_SEPARATOR))
        if not sep or not code or not level or PAIR_SEPARATOR in level:
            wrong.append(f"'{item}' is not a pair written as code:level (levels: {', '.join(levels)})")
        elif code not in languages:
            wrong.append(f"unknown language code '{code}' (allowed: {', '.join(languages)})")
        elif level not in levels:
            wrong.append(f"unknown level '{level}' for '{code}' (allowed: {', '.join(levels)})")
        else:
            pairs.append((code, level))
    codes = [code for code, _level in pairs]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        wrong.append(f"the language {', '.join(repr(c) for c in duplicates)} is listed more than once")
    if wrong:
        raise CellError("; ".join(wrong))
    return pairs


def parse_postcode(text: str) -> str:
    """A Danish 4-digit postcode (a spreadsheet's 800 for 0800 is accepted)."""
    from volunteer_hub.postcodes import is_valid_postcode

    require(text)
    code = text.zfill(4) if text.isdigit() and len(text) == 3 else text
    if not is_valid_postcode(code):
        raise CellError(f"'{text}' is not a Danish postcode (4 digits, e.g. 2600)")
    return code


def parse_phone(text: str) -> str:
    """A Danish number (+45 optional) or an international +CC… number, as E.164; empty allowed."""
    from volunteer_hub.phones import normalise_phone

    if not text:
        return ""
    number = normalise_phone(text)
    if number is None:
        raise CellError(f"'{text}' is not a phone number: write 8 Danish digits or +country code and number")
    return number


def parse_email(text: str) -> str:
    """An e-mail address (checked for form, not deliverability), lower-cased; empty allowed."""
    from email_validator import EmailNotValidError, validate_email

    if not text:
        return ""
    try:
        return validate_email(text, check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise CellError(f"'{text}' is not an e-mail address ({exc})") from exc
