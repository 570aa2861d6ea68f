"""The report as CSV (Danish Excel), XLSX and PDF, with the same figures as the JSON.

All three are built from ``figures.shown_rows``: one row per JSON figure with its section,
its name in the interface language, its key (the dotted JSON path) and its value. An
organisation's report is partner-facing, so its small figures are shown as ``<5``.

- CSV is what Danish Excel opens with a double click: UTF-8 with a BOM (or Excel guesses
  Windows-1252 and breaks "ø"), ``;`` as separator (Danish Excel's list separator, because ``,``
  is its decimal mark), CRLF line ends. Numbers are written as Danish Excel reads them: whole
  numbers plain (no thousands separator), decimals with a comma (``23,5``); a missing value
  (a median over no households) is an empty cell; dates stay ISO ``YYYY-MM-DD``, which Excel
  recognises in every locale.
- XLSX keeps numbers as numbers (Excel shows them in the reader's own locale); a share carries
  a percentage number format (``45,5 %`` in Danish Excel). A second sheet holds each chart's
  figures and a native Excel bar chart drawn from them.
- PDF (WeasyPrint, A4) has the charts (the page's SVG) with their data tables and then every
  figure, section by section; shares as percentages (``core.formatting``).

Text cells that begin with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) get a leading
``'`` so that a spreadsheet shows them as text instead of running them as a formula (an
organisation named ``=HYPERLINK(...)`` must not become a link). Numbers are never text, so a
negative change stays a number.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from flask import render_template
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from volunteer_hub.reports.figures import (
    SUPPRESSED,
    figure_label,
    is_partner_facing,
    section_label,
    shown_rows,
)
from volunteer_hub.reports.presentation import ChartData, build_sections, format_value, is_share, quarter_name

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SHARE_FORMAT = "0.0%"

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "json": "application/json",
}

PDF_CSS = """
@page { size: A4; margin: 16mm 14mm 18mm 14mm;
        @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; } }
body { font-family: "Noto Sans", "DejaVu Sans", sans-serif; font-size: 9pt; color: #1a1a1a; }
h1 { font-size: 16pt; margin: 0 0 4pt 0; }
h2 { font-size: 12pt; margin: 14pt 0 4pt 0; page-break-after: avoid; }
p { margin: 2pt 0; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 8pt 0; page-break-inside: auto; }
caption { text-align: left; font-weight: bold; padding: 2pt 0; }
th, td { border-bottom: 0.5pt solid #999; padding: 2pt 4pt; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; white-space: nowrap; }
.chart { width: 120mm; margin: 4pt 0; page-break-inside: avoid; }
.chart svg { width: 120mm; height: auto; }
tr { page-break-inside: avoid; }
.figures th { width: 85%; font-weight: normal; }
"""


@dataclass(frozen=True, slots=True)
class ExportRow:
    section: str
    figure: str
    key: str
    value: Any  # int, float, None, or text (ISO date, a name, "<5")


def escape_formula(text: str) -> str:
    """``text`` as a spreadsheet shows it literally: a leading ``'`` before formula characters."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def export_rows(report: dict[str, Any]) -> list[ExportRow]:
    """The rows every export carries; a note on ``<5`` ends a partner-facing one."""
    partner = is_partner_facing(report)
    rows = [
        ExportRow(section_label(r.section), figure_label(r.key), r.key, r.value)
        for r in shown_rows(report, partner_facing=partner)
    ]
    if partner:
        rows.append(ExportRow(section_label("note"), SUPPRESSED, "note.suppression", suppression_note()))
    return rows


def suppression_note() -> str:
    return _("<5 means 1 to 4: small figures are hidden so that no family can be recognised.")


def header() -> list[str]:
    return [_("Section"), _("Figure"), _("Key"), _("Value")]


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    if isinstance(value, int):
        return str(value)
    return escape_formula(str(value))


def to_csv(report: dict[str, Any]) -> bytes:
    """Danish Excel CSV: BOM, ``;``, CRLF, decimal comma (module docstring)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([escape_formula(h) for h in header()])
    for row in export_rows(report):
        writer.writerow(
            [
                escape_formula(row.section),
                escape_formula(row.figure),
                escape_formula(row.key),
                _csv_value(row.value),
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx_text(text: str) -> str:
    return escape_formula(ILLEGAL_CHARACTERS_RE.sub("", text))


def to_xlsx(report: dict[str, Any]) -> bytes:
    """One sheet with the export rows; numbers as numbers, text escaped against formulas."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Report")[:31]
    sheet.append([_xlsx_text(h) for h in header()])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in export_rows(report):
        value = (
            row.value
            if isinstance(row.value, int | float) or row.value is None
            else _xlsx_text(str(row.value))
        )
        sheet.append([_xlsx_text(row.section), _xlsx_text(row.figure), _xlsx_text(row.key), value])
        if is_share(row.key) and isinstance(value, float):
            sheet.cell(sheet.max_row, 4).number_format = SHARE_FORMAT
    for column, width in zip("ABCD", (32, 70, 50, 16), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    _chart_sheet(workbook.create_sheet(_("Charts")[:31]), report)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _chart_sheet(sheet: Worksheet, report: dict[str, Any]) -> None:
    """Each chart's figures as a small table, with a native Excel bar chart beside it."""
    sheet.column_dimensions["A"].width = 40
    top = 1
    for section in build_sections(report, suppress=is_partner_facing(report), charts=False):
        for table in section.tables:
            if table.chart_data is not None:
                top = _chart_block(sheet, top, table.caption, table.chart_data)


def _chart_block(sheet: Worksheet, top: int, caption: str, data: ChartData) -> int:
    """Write one chart's table at row ``top`` and anchor its chart beside it; the next free row."""
    sheet.cell(top, 1, _xlsx_text(caption)).font = Font(bold=True)
    sheet.cell(top + 1, 1, "")
    for column, series in enumerate(data.series, start=2):
        sheet.cell(top + 1, column, _xlsx_text(series.label)).font = Font(bold=True)
    for row, category in enumerate(data.categories, start=top + 2):
        sheet.cell(row, 1, _xlsx_text(category))
        for column, series in enumerate(data.series, start=2):
            value = series.values[row - top - 2]
            sheet.cell(row, column, value if isinstance(value, int | float) else _xlsx_text(str(value)))
    last = top + 1 + len(data.categories)
    chart = BarChart()
    chart.type = "bar"  # horizontal bars, as on the page
    chart.title = caption
    chart.y_axis.majorGridlines = None
    chart.x_axis.scaling.orientation = "maxMin"  # categories top to bottom in the table's order
    chart.add_data(
        Reference(sheet, min_col=2, max_col=1 + len(data.series), min_row=top + 1, max_row=last),
        titles_from_data=True,
    )
    chart.set_categories(Reference(sheet, min_col=1, min_row=top + 2, max_row=last))
    chart.height = max(6.0, 1.2 + 0.6 * len(data.categories) * len(data.series))
    chart.width = 16.0
    sheet.add_chart(chart, f"{chr(ord('B') + len(data.series) + 1)}{top}")
    rows_under_chart = round(chart.height / 0.5) + 2  # a row is about half a centimetre
    return top + max(len(data.categories) + 3, rows_under_chart)


def report_title(report: dict[str, Any], municipality_name: str) -> str:
    who = report["organisation"] or municipality_name
    return _(
        "Quarterly partnership report %(quarter)s: %(who)s", quarter=quarter_name(report["period"]), who=who
    )


def to_pdf(report: dict[str, Any], *, municipality_name: str, status: str = "") -> bytes:
    """An A4 PDF: the charts and their data tables, then every figure by section (WeasyPrint)."""
    from weasyprint import CSS, HTML

    html = pdf_html(report, municipality_name=municipality_name, status=status)
    return HTML(string=html).write_pdf(stylesheets=[CSS(string=PDF_CSS)])


def pdf_html(report: dict[str, Any], *, municipality_name: str, status: str = "") -> str:
    """The HTML the PDF is printed from."""
    partner = is_partner_facing(report)
    rows = export_rows(report)
    grouped: list[tuple[str, list[ExportRow]]] = []
    for row in rows:
        if row.key == "note.suppression":
            continue
        if not grouped or grouped[-1][0] != row.section:
            grouped.append((row.section, []))
        grouped[-1][1].append(row)
    return render_template(
        "reports/pdf.html",
        title=report_title(report, municipality_name),
        report=report,
        status=status,
        sections=build_sections(report, suppress=partner, charts=True),
        grouped=grouped,
        format_value=format_value,
        suppression_note=suppression_note() if partner else None,
    )
