"""The import reader: CSV with , or ; (BOM or not), XLSX, row numbers and cell parsers."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook

from volunteer_hub.imports.reader import (
    CellError,
    ImportFileError,
    check_columns,
    parse_codes,
    parse_date,
    parse_email,
    parse_int,
    parse_language_levels,
    parse_list,
    parse_phone,
    parse_postcode,
    read_table,
)
from volunteer_hub.vocab import INTERESTS, LANGUAGES, LEVELS


def _write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "content",
    [
        'ref,name,notes\nF1,Haile family,"a; b, c"\n',
        '\ufeffref;name;notes\r\nF1;Haile family;"a; b, c"\r\n',
    ],
    ids=["comma", "semicolon-bom-crlf"],
)
def test_csv_separator_is_detected_from_the_header_line(tmp_path, content):
    table = read_table(_write(tmp_path, "f.csv", content.encode("utf-8")))
    assert table.columns == ["ref", "name", "notes"]
    assert [dict(r.cells) for r in table.rows] == [{"ref": "F1", "name": "Haile family", "notes": "a; b, c"}]
    assert table.rows[0].number == 2


def test_rows_are_numbered_as_a_spreadsheet_shows_them_and_blank_rows_are_skipped(tmp_path):
    table = read_table(_write(tmp_path, "f.csv", b"ref,name\nF1,A\n,\n\nF2,B\n"))
    assert [(r.number, r.get("ref")) for r in table.rows] == [(2, "F1"), (5, "F2")]


def test_header_problems_are_reported_as_row_1(tmp_path):
    table = read_table(_write(tmp_path, "f.csv", b"ref,name,name,colour\nF1,A,B,red,extra\n"))
    problems = check_columns(table, required=["ref", "name", "postcode"], optional=[])
    assert problems.lines() == [
        "row 1, column name: the column appears twice in the header",
        "row 1, column colour: unknown column (allowed: name, postcode, ref)",
        "row 1, column postcode: this required column is missing",
        "row 2, column 5: the cell is outside the columns named in the header",
    ]


def test_a_file_that_is_not_utf8_is_refused_with_a_reason(tmp_path):
    with pytest.raises(ImportFileError, match="not UTF-8"):
        read_table(_write(tmp_path, "f.csv", "ref,name\nF1,Sø\n".encode("latin-1")))


def test_an_empty_file_is_refused(tmp_path):
    with pytest.raises(ImportFileError, match="empty"):
        read_table(_write(tmp_path, "f.csv", b"\n\n"))


def test_xlsx_first_sheet_is_read_with_dates_and_numbers_as_text(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["ref", "arrival_on", "adults", "postcode", None])
    sheet.append(["F1", dt.datetime(2026, 9, 1), 2, 2600, None])
    sheet.append([None, None, None, None, None])
    sheet.append(["F2", dt.date(2026, 10, 1), 1.0, "0800", None])
    workbook.create_sheet("Other").append(["ignored"])
    path = tmp_path / "f.xlsx"
    workbook.save(path)
    table = read_table(path)
    assert table.columns == ["ref", "arrival_on", "adults", "postcode"]
    assert [dict(r.cells) for r in table.rows] == [
        {"ref": "F1", "arrival_on": "2026-09-01", "adults": "2", "postcode": "2600"},
        {"ref": "F2", "arrival_on": "2026-10-01", "adults": "1", "postcode": "0800"},
    ]
    assert [r.number for r in table.rows] == [2, 4]


def test_a_broken_xlsx_is_refused(tmp_path):
    with pytest.raises(ImportFileError, match="XLSX"):
        read_table(_write(tmp_path, "f.xlsx", b"PK\x03\x04 not really a zip"))


@pytest.mark.parametrize(
    ("parse", "text", "message"),
    [
        (parse_date, "2026-9-1", "'2026-9-1' is not a date written as YYYY-MM-DD"),
        (parse_date, "2026-02-30", "'2026-02-30' is not a real date"),
        (lambda t: parse_int(t, minimum=1, maximum=20), "two", "'two' is not a whole number"),
        (lambda t: parse_int(t, minimum=1, maximum=20), "0", "0 is outside the allowed range 1–20"),
        (parse_list, "a||b", "'a||b' has an empty item: separate items with a single |"),
        (lambda t: parse_codes(t, INTERESTS, "interest"), "football|knitting", "unknown interest 'knitting'"),
        (lambda t: parse_codes(t, INTERESTS, "interest"), "chess|chess", "'chess' is listed more than once"),
        (
            lambda t: parse_language_levels(t, LANGUAGES, LEVELS),
            "ar",
            "'ar' is not a pair written as code:level",
        ),
        (lambda t: parse_language_levels(t, LANGUAGES, LEVELS), "xx:native", "unknown language code 'xx'"),
        (lambda t: parse_language_levels(t, LANGUAGES, LEVELS), "ar:good", "unknown level 'good' for 'ar'"),
        (lambda t: parse_language_levels(t, LANGUAGES, LEVELS), "ar:native|ar:basic", "'ar' is listed more"),
        (parse_postcode, "9999", "'9999' is not a Danish postcode"),
        (parse_phone, "12", "'12' is not a phone number"),
        (parse_email, "senait@", "'senait@' is not an e-mail address"),
    ],
)
def test_cell_parsers_say_what_is_wrong(parse, text, message):
    with pytest.raises(CellError) as error:
        parse(text)
    assert message in str(error.value)


def test_cell_parsers_accept_the_formats_exchange_values():
    assert parse_language_levels("ar:native|da:basic", LANGUAGES, LEVELS) == [
        ("ar", "native"),
        ("da", "basic"),
    ]
    assert parse_postcode("800") == "0800"  # a spreadsheet dropped the leading zero
    assert parse_phone("+45 43 23 12 34") == parse_phone("43231234") == "+4543231234"
    assert parse_phone("+963 944 123 456") == "+963944123456"
    assert parse_email("Senait@Example.DK") == "senait@example.dk"
    assert parse_list("") == []


def test_column_names_ignore_case_and_spaces_and_every_row_has_every_column(tmp_path):
    table = read_table(_write(tmp_path, "f.csv", b" Ref ,NAME,notes\nF1,A\n"))
    assert table.columns == ["ref", "name", "notes"]
    assert dict(table.rows[0].cells) == {"ref": "F1", "name": "A", "notes": ""}


def test_a_value_under_a_nameless_column_is_a_problem_but_an_empty_spacer_column_is_not(tmp_path):
    table = read_table(_write(tmp_path, "f.csv", b"ref,,name\nF1,,A\nF2,oops,B\n"))
    assert table.problems.lines() == ["row 3, column 2: the cell is in a column without a name in the header"]
    assert [dict(r.cells) for r in table.rows] == [{"ref": "F1", "name": "A"}, {"ref": "F2", "name": "B"}]


def test_the_header_must_be_the_first_row_so_row_numbers_stay_true(tmp_path):
    with pytest.raises(ImportFileError, match="row 3 is the first"):
        read_table(_write(tmp_path, "f.csv", b"\n,\nref,name\nF1,A\n"))


def test_an_xlsx_workbook_is_read_whatever_its_file_name_and_old_xls_is_refused(tmp_path):
    workbook = Workbook()
    workbook.active.append(["ref"])
    workbook.active.append(["F1"])
    workbook.save(tmp_path / "saved.xlsx")
    misnamed = _write(tmp_path, "export.csv", (tmp_path / "saved.xlsx").read_bytes())
    table = read_table(misnamed)
    assert table.kind == "xlsx" and [r.get("ref") for r in table.rows] == ["F1"]
    with pytest.raises(ImportFileError, match=r"\.xls format is not supported"):
        read_table(_write(tmp_path, "old.xls", b"\xd0\xcf\x11\xe0 an old workbook"))


def test_every_wrong_language_item_is_named_in_one_message():
    with pytest.raises(CellError) as error:
        parse_language_levels("ti:native|xx:fluent|da", LANGUAGES, LEVELS)
    assert "unknown language code 'xx'" in str(error.value)
    assert "'da' is not a pair written as code:level" in str(error.value)
