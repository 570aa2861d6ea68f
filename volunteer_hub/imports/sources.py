"""The raw rows of an import file, read within bounds whatever the file claims about itself.

A file is CSV (UTF-8 with or without BOM; ``,`` or ``;`` as separator, detected from the header
line) or XLSX (the first sheet). What comes out is a list of records (lists of cell texts), row 1
first; ``reader.py`` turns them into a table. Every way a file can be unreadable or hostile ends
in ``ImportFileError`` with a message that says what is wrong and, where there is one, where:

- Size: at most ``MAX_FILE_BYTES`` as uploaded, and an XLSX package at most
  ``MAX_UNPACKED_BYTES`` unpacked, counted while unpacking (a zip's own size fields can lie).
- Rows: at most ``MAX_DATA_ROWS`` below the header, counted as read, not taken from the sheet's
  ``<dimension>`` (which may claim fewer rows than it holds: those rows were once cut off).
- XML: a workbook part that declares a document type or entities (external entities, "billion
  laughs") is refused before any parser sees it; a spreadsheet never needs one.
- A NUL character is reported at its row and column: no text may hold one.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

XLSX_MAGIC = b"PK\x03\x04"
MAX_FILE_BYTES = 25 * 1024 * 1024
MAX_UNPACKED_BYTES = 250 * 1024 * 1024
MAX_DATA_ROWS = 50_000
_CHUNK = 1024 * 1024
_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY")


class ImportFileError(Exception):
    """The file cannot be read at all (not CSV or XLSX, not UTF-8, too large, unsafe, no header)."""


def read_records(path: str | Path) -> tuple[str, list[list[str]]]:
    """``("csv" | "xlsx", records)``: every record of the file as cell texts, within the bounds."""
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ImportFileError(
            f"the file is {size / 1024 / 1024:.1f} MB; at most {MAX_FILE_BYTES // 1024 // 1024} MB "
            "can be imported at once: split it into smaller files"
        )
    data = path.read_bytes()
    if data.startswith(XLSX_MAGIC) or path.suffix.lower() == ".xlsx":
        return "xlsx", _xlsx_records(data)
    if path.suffix.lower() == ".xls":
        raise ImportFileError("the old .xls format is not supported: save the sheet as .xlsx or .csv")
    return "csv", _csv_records(data)


def _too_many_rows() -> ImportFileError:
    return ImportFileError(
        f"the file has more than {MAX_DATA_ROWS:,} rows below the header; "
        f"split it into files of at most {MAX_DATA_ROWS:,} rows".replace(",", ".")
    )


def _csv_records(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")  # with or without a byte-order mark
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            f"the file is not UTF-8 text (byte {exc.start + 1} is not valid UTF-8): "
            "save it as CSV UTF-8 or as XLSX"
        ) from exc
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    if "\x00" in text:
        raise _nul_error(text, delimiter)
    records: list[list[str]] = []
    try:
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            records.append(record)
            if len(records) > MAX_DATA_ROWS + 1 and any(cell.strip() for cell in record):
                raise _too_many_rows()
    except csv.Error as exc:
        raise ImportFileError(f"row {len(records) + 1}: the CSV cannot be read ({exc})") from exc
    return records


def _nul_error(text: str, delimiter: str) -> ImportFileError:
    """Where the first NUL is, as a spreadsheet numbers rows and the header names columns."""
    before = text[: text.index("\x00")]
    records = list(csv.reader(io.StringIO(before, newline=""), delimiter=delimiter))
    if not records or before.endswith(("\n", "\r")):
        records.append([""])
    row, position = len(records), len(records[-1])
    header = records[0] if row > 1 else []
    column = header[position - 1].strip().lower() if position <= len(header) else str(position)
    return ImportFileError(
        f"row {row}, column {column or position}: the cell holds a NUL character (byte 0), which no "
        "text may hold; the file may be damaged: export it again as CSV UTF-8 or XLSX"
    )


def _check_package(data: bytes) -> None:
    """Unpack every part once, counting real bytes, and refuse declarations in the XML parts."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ImportFileError("the file is not a readable XLSX workbook (not a zip package)") from exc
    unpacked = 0
    with package:
        for member in package.infolist():
            tail = b""
            try:
                with package.open(member) as part:
                    while chunk := part.read(_CHUNK):
                        unpacked += len(chunk)
                        if unpacked > MAX_UNPACKED_BYTES:
                            raise ImportFileError(
                                f"the workbook unpacks to more than {MAX_UNPACKED_BYTES // 1024 // 1024} MB; "
                                "it cannot be imported: save only the sheet to import, or split it"
                            )
                        window = tail + chunk
                        if any(declaration in window for declaration in _DECLARATIONS):
                            raise ImportFileError(
                                f"the workbook's part {member.filename} declares a document type or "
                                "entities (<!DOCTYPE>, <!ENTITY>), which a spreadsheet never needs; "
                                "it is refused as unsafe: save the sheet again from the spreadsheet program"
                            )
                        tail = chunk[-16:]
            except (zipfile.BadZipFile, EOFError, OSError, RuntimeError) as exc:
                raise ImportFileError(
                    f"the workbook's part {member.filename} is damaged ({type(exc).__name__})"
                ) from exc


def _xlsx_records(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    _check_package(data)
    try:
        # From bytes, not the path: openpyxl would refuse a workbook saved under another suffix.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any failure to open means "not a readable workbook"
        raise ImportFileError(f"the file is not a readable XLSX workbook ({type(exc).__name__})") from exc
    records: list[list[str]] = []
    try:
        if not workbook.worksheets:
            raise ImportFileError("the workbook has no sheets")
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # read every row there is, not the rows <dimension> claims
        for row in sheet.iter_rows(values_only=True):
            records.append([_xlsx_text(value) for value in row])
            if len(records) > MAX_DATA_ROWS + 1 and any(records[-1]):
                raise _too_many_rows()
    except ImportFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - a sheet that breaks the parser is not readable
        raise ImportFileError(
            f"row {len(records) + 1}: the sheet cannot be read there ({type(exc).__name__}); "
            "save it again from the spreadsheet program"
        ) from exc
    finally:
        workbook.close()
    return records


def _xlsx_text(value: Any) -> str:
    """A spreadsheet value as the text a CSV export would show: dates as YYYY-MM-DD, 2 not 2.0."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0, 0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
