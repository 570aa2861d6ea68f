"""The PDF and the XLSX carry the charts; shares read as percentages, in Danish number format."""

from __future__ import annotations

import io
import re
import subprocess

import openpyxl
from openpyxl.chart import BarChart

from tests.reports.dataset import GLOSTRUP, RK
from volunteer_hub.reports import exports
from volunteer_hub.reports.data import OrganisationRef
from volunteer_hub.reports.quarterly import compute_quarterly

SHARE_KEY = "housing_before_arrival.share"


def _pdf_text(body: bytes) -> str:
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=body, capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def test_xlsx_has_a_native_bar_chart_for_each_chart_on_the_page(ctx):
    report = compute_quarterly(GLOSTRUP, 2026, 3)
    workbook = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(report)))
    charts = [chart for sheet in workbook.worksheets for chart in sheet._charts]
    assert len(charts) == 3  # volunteers, matches per scheme, language gap
    assert all(isinstance(chart, BarChart) for chart in charts)
    sheet = workbook["Diagrammer"]
    rows = [row for row in sheet.iter_rows(values_only=True) if any(cell is not None for cell in row)]
    assert ("Følg en familie", 2, 2, 1) in [row[:4] for row in rows]  # the chart's figures are numbers
    # each chart draws its numbers from the sheet: one series per column of the table
    assert [len(chart.series) for chart in charts] == [2, 3, 2]


def test_xlsx_shows_a_share_as_a_percentage_and_keeps_it_a_number(ctx):
    report = compute_quarterly(GLOSTRUP, 2026, 3)
    sheet = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(report))).worksheets[0]
    cell = next(row[3] for row in sheet.iter_rows() if row[2].value == SHARE_KEY)
    assert cell.value == 0.25 and cell.data_type == "n"
    assert "%" in cell.number_format


def test_partner_xlsx_charts_hide_small_figures(ctx):
    report = compute_quarterly(GLOSTRUP, 2026, 3, organisation=OrganisationRef(RK, "Røde Kors Glostrup"))
    workbook = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(report)))
    values = [cell for row in workbook["Diagrammer"].iter_rows(values_only=True) for cell in row]
    assert all(not isinstance(value, int) or value == 0 or value >= 5 for value in values)
    assert "<5" in values


def test_pdf_prints_the_charts(ctx):
    report = compute_quarterly(GLOSTRUP, 2026, 3)
    html = exports.pdf_html(report, municipality_name="Glostrup Kommune")
    assert len(re.findall(r'<svg [^>]*class="vh-chart"', html)) == 3
    body = exports.to_pdf(report, municipality_name="Glostrup Kommune")
    # The charts are drawn as vector graphics: their legends and bar values are text in the PDF,
    # so the chart of matches adds its legend line to what the tables alone would print.
    text = _pdf_text(body)
    assert re.search(r"Startede\s+Afsluttede\s+Aktive ved udgangen", text)


def test_pdf_shows_shares_as_percentages_in_danish(ctx):
    report = compute_quarterly(GLOSTRUP, 2026, 3)
    text = _pdf_text(exports.to_pdf(report, municipality_name="Glostrup Kommune"))
    assert "0,25" not in text and "0,667" not in text and "-0,417" not in text
    assert re.search(r"Andel med bolig før ankomst\s+25\s?%", text)
    assert re.search(r"66,7\s?%", text)
    assert re.search(r"-41,7 procentpoint", text)
