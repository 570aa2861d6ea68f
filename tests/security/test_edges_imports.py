"""Finding 8: an import is all or nothing whatever the file claims about itself.

Before: an XLSX whose <dimension> claimed fewer rows than it held was cut short ("1 created, no
problems" for 5 rows); 100,000 rows crashed on the database's limit of bound values; a NUL
byte, an external entity or a "billion laughs" ended in a traceback; a small XLSX that unpacks
to hundreds of MB ran on with growing memory. Each file below is refused (or, for the honest
rows behind a lying dimension, imported in full) with a message that says what and where, and
nothing is written.
"""

from __future__ import annotations

import re
import zipfile

import pytest
import sqlalchemy as sa

from tests.volunteers.test_import import HEADER, ROWS, municipalities, run_import, write_csv, write_xlsx
from volunteer_hub.extensions import db
from volunteer_hub.imports import sources
from volunteer_hub.volunteers.models import Volunteer

__all__ = ["municipalities"]  # the fixture, used by name


def _row(number: int) -> list[str]:
    row = list(ROWS[1])
    row[0] = f"V{number:05d}"
    row[3] = f"frivillig{number}@example.dk"
    return row


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Volunteer))


def _rewrite_part(path, part: str, change) -> None:
    """Rewrite one part of an XLSX package, as a hand-edited or hostile file would."""
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    parts[part] = change(parts[part])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


def test_rows_beyond_what_the_dimension_claims_are_imported_too(app, tmp_path, municipalities):
    path = write_xlsx(tmp_path / "v.xlsx", [_row(n) for n in range(1, 6)])
    _rewrite_part(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:S2"', xml),
    )
    code, output = run_import(app, path)
    assert code == 0, output
    assert "5 created" in output
    assert _count(app) == 5


def test_too_many_rows_are_refused_with_a_clear_message_and_nothing_written(
    app, tmp_path, municipalities, monkeypatch
):
    monkeypatch.setattr(sources, "MAX_DATA_ROWS", 50)
    path = write_csv(tmp_path / "v.csv", [_row(n) for n in range(1, 52)])
    code, output = run_import(app, path)
    assert code == 1
    assert "more than 50 rows below the header" in output and "split it" in output
    assert _count(app) == 0


def test_the_largest_file_allowed_imports_in_one_transaction(app, tmp_path, municipalities, monkeypatch):
    """Past the databases' limits on bound values in one statement (SQLite's 32,766): batched."""
    monkeypatch.setattr(sources, "MAX_DATA_ROWS", 40_000)
    path = write_csv(tmp_path / "v.csv", [_row(n) for n in range(1, 35_001)])
    code, output = run_import(app, path, "--dry-run")
    assert code == 0, output[-500:]
    assert "35000 created" in output


def test_a_nul_byte_is_named_by_row_and_column(app, tmp_path, municipalities):
    path = write_csv(tmp_path / "v.csv", [_row(1), _row(2)])
    text = path.read_text(encoding="utf-8").replace("frivillig2@", "frivillig2\x00@")
    path.write_text(text, encoding="utf-8")
    code, output = run_import(app, path)
    assert code == 1
    assert "row 3, column email: the cell holds a NUL character" in output
    assert "Traceback" not in output
    assert _count(app) == 0


ENTITY_PAYLOADS = {
    "external entity": (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    ),
    "billion laughs": (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(b'<!ENTITY lol%d "%s">' % (n, b"&lol%d;" % (n - 1) * 10 if n > 1 else b"&lol;" * 10)
                   for n in range(1, 10))
        + b"]>"
    ),
}


@pytest.mark.parametrize("attack", sorted(ENTITY_PAYLOADS))
def test_xml_declarations_in_a_workbook_are_refused(app, tmp_path, municipalities, attack):
    path = write_xlsx(tmp_path / "v.xlsx", [_row(1)])
    _rewrite_part(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: ENTITY_PAYLOADS[attack] + re.sub(rb"^<\?xml[^>]*\?>", b"", xml),
    )
    code, output = run_import(app, path)
    assert code == 1
    assert "declares a document type or entities" in output and "sheet1.xml" in output
    assert "Traceback" not in output
    assert _count(app) == 0


def test_a_workbook_that_unpacks_past_the_limit_is_refused(app, tmp_path, municipalities, monkeypatch):
    """A zip bomb in miniature: 1 MB allowed unpacked, a part that unpacks to 8 MB (from ~8 KB)."""
    monkeypatch.setattr(sources, "MAX_UNPACKED_BYTES", 1024 * 1024)
    path = write_xlsx(tmp_path / "v.xlsx", [_row(1)])
    padding = b" " * (8 * 1024 * 1024)
    _rewrite_part(
        path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"<sheetData>", padding + b"<sheetData>")
    )
    assert path.stat().st_size < 100_000
    code, output = run_import(app, path)
    assert code == 1
    assert "unpacks to more than 1 MB" in output
    assert _count(app) == 0


def test_a_damaged_sheet_is_a_message_not_a_traceback(app, tmp_path, municipalities):
    path = write_xlsx(tmp_path / "v.xlsx", [_row(1), _row(2)])
    _rewrite_part(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"</row>", b"</rowx>", 2))
    code, output = run_import(app, path)
    assert code == 1
    assert "the sheet cannot be read" in output or "not a readable XLSX workbook" in output
    assert "Traceback" not in output
    assert _count(app) == 0


def test_unchanged_header_and_rows_still_import(app, tmp_path, municipalities):
    """The bounds change nothing for an ordinary file."""
    assert HEADER[0] == "ref"
    code, output = run_import(app, write_xlsx(tmp_path / "v.xlsx", [_row(n) for n in range(1, 4)]))
    assert code == 0, output
    assert _count(app) == 3
