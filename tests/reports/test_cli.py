"""``flask report quarterly`` as FORMATS.md specifies it."""

from __future__ import annotations

import io
import json

import openpyxl

from tests.reports.dataset import RK


def _run(app, *args):
    return app.test_cli_runner().invoke(args=["report", "quarterly", *args])


def test_json_for_the_municipality_and_for_one_organisation(app, glostrup):
    result = _run(app, "--year", "2026", "--quarter", "3", "--format", "json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["period"] == {"year": 2026, "quarter": 3, "start": "2026-07-01", "end": "2026-09-30"}
    assert report["organisation"] is None
    assert report["volunteers"] == {
        "registered": 3,
        "approved_at_end": 6,
        "active": 5,
    }  # tests/reports/dataset.py
    assert glostrup.provider.calls[-1] == (
        glostrup.municipality_id,
        *glostrup.provider.calls[-1][1:3],
        None,
    )

    result = _run(app, "--year", "2026", "--quarter", "3", "--organisation", RK.name, "--format", "json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["organisation"] == "Røde Kors Glostrup"  # printed as UTF-8, not \\u escapes
    assert "Røde Kors Glostrup" in result.stdout
    assert report["volunteers"]["registered"] == 2  # JSON keeps exact figures for an organisation too


def test_partner_csv_to_a_file_hides_small_figures(app, glostrup, tmp_path):
    target = tmp_path / "rk.csv"
    result = _run(app, "--year", "2026", "--quarter", "3", "--organisation", RK.name, "--format", "csv",
                  "--output", str(target))  # fmt: skip
    assert result.exit_code == 0, result.stderr
    body = target.read_bytes()
    assert body.startswith(b"\xef\xbb\xbf")
    assert ";volunteers.registered;<5\r\n" in body.decode("utf-8-sig")


def test_xlsx_and_pdf_on_standard_output(app, glostrup):
    xlsx = _run(app, "--year", "2026", "--quarter", "3", "--format", "xlsx")
    assert xlsx.exit_code == 0
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.stdout_bytes)).active
    values = {row[2]: row[3] for row in sheet.iter_rows(values_only=True)}
    assert values["volunteers.registered"] == 3
    pdf = _run(app, "--year", "2026", "--quarter", "3", "--format", "pdf")
    assert pdf.exit_code == 0 and pdf.stdout_bytes.startswith(b"%PDF")


def test_unknown_organisation_or_municipality_fails_with_a_message(app, glostrup):
    result = _run(app, "--year", "2026", "--quarter", "3", "--organisation", "Nobody", "--format", "json")
    assert result.exit_code == 1
    assert "no organisation called 'Nobody' in municipality 0161" in result.stderr
    result = _run(app, "--year", "2026", "--quarter", "3", "--municipality", "0999")
    assert result.exit_code == 1 and "no municipality with kommunekode 0999" in result.stderr


def test_bad_quarter_is_a_usage_error(app, glostrup):
    result = _run(app, "--year", "2026", "--quarter", "5", "--format", "json")
    assert result.exit_code == 2


def test_without_a_provider_the_report_is_all_zeros(app):
    from tests.factories import make_municipality
    from volunteer_hub.extensions import db

    with app.app_context():
        make_municipality()
        db.session.commit()
    result = _run(app, "--year", "2026", "--quarter", "2")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["volunteers"] == {"registered": 0, "approved_at_end": 0, "active": 0}
    assert report["median_days_to_first_match"] is None and report["language_gap"] == []
