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
- XLSX keeps numbers as numbers (Excel shows them in the reader's own locale).
- PDF (WeasyPrint, A4) has the charts' data tables and then every figure, section by section.

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
from openpyxl.styles import Font

from volunteer_hub.reports.figures import (
    SUPPRESSED,
    figure_label,
    is_partner_facing,
    section_label,
    shown_rows,
)
from volunteer_hub.reports.presentation import build_sections, format_value, quarter_name

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

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
    for column, width in zip("ABCD", (32, 70, 50, 16), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_title(report: dict[str, Any], municipality_name: str) -> str:
    who = report["organisation"] or municipality_name
    return _(
        "Quarterly partnership report %(quarter)s: %(who)s", quarter=quarter_name(report["period"]), who=who
    )


def to_pdf(report: dict[str, Any], *, municipality_name: str, status: str = "") -> bytes:
    """An A4 PDF: the charts' data tables, then every figure by section (WeasyPrint)."""
    from weasyprint import CSS, HTML

    partner = is_partner_facing(report)
    rows = export_rows(report)
    grouped: list[tuple[str, list[ExportRow]]] = []
    for row in rows:
        if row.key == "note.suppression":
            continue
        if not grouped or grouped[-1][0] != row.section:
            grouped.append((row.section, []))
        grouped[-1][1].append(row)
    html = render_template(
        "reports/pdf.html",
        title=report_title(report, municipality_name),
        report=report,
        status=status,
        sections=build_sections(report, suppress=partner, charts=False),
        grouped=grouped,
        format_value=format_value,
        suppression_note=suppression_note() if partner else None,
    )
    return HTML(string=html).write_pdf(stylesheets=[CSS(string=PDF_CSS)])
