"""`flask import volunteers`: CSV with , or ; and XLSX import identically; bad files write nothing."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from tests.factories import make_municipality, make_user, make_volunteer
from volunteer_hub.audit.models import AuditEvent
from volunteer_hub.auth.models import User
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db
from volunteer_hub.tenancy.models import Municipality, Organisation
from volunteer_hub.volunteers.models import ChildCertificateState, Volunteer, VolunteerStatus

HEADER = [
    "ref",
    "first_name",
    "last_name",
    "email",
    "phone",
    "postcode",
    "birth_year",
    "gender",
    "organisation",
    "languages",
    "skills",
    "interests",
    "schemes",
    "availability",
    "capacity",
    "child_certificate_on",
    "status",
    "registered_on",
    "about",
]
ROWS = [
    [
        "V0001",
        "Mette",
        "Hansen",
        "mette@example.dk",
        "20304050",
        "2600",
        "1972",
        "f",
        "Røde Kors Glostrup",
        "da:native|en:fluent",
        "homework_help|danish_practice",
        "reading",
        "family_buddy|child_culture",
        "weekday_evening|weekend",
        "2",
        "2025-06-01",
        "approved",
        "2025-05-20",
        "Pensioneret lærer; elsker bøger.",
    ],
    [
        "V0002",
        "Yonas",
        "Tesfay",
        "yonas@example.dk",
        "+46 70 123 45 67",
        "2605",
        "",
        "m",
        "",
        "ti:native|da:fluent|am:conversational",
        "",
        "football|running",
        "friend_buddy",
        "weekend",
        "",
        "",
        "",
        "2026-01-10",
        "",
    ],
    [
        "V0003",
        "Olena",
        "Kovalenko",
        "OLENA@example.dk",
        "",
        "0800",
        "1988",
        "",
        "Venligboerne Glostrup",
        "uk:native|ru:fluent",
        "paperwork",
        "",
        "contact_person",
        "weekday_daytime",
        "1",
        "",
        "paused",
        "",
        'Hej, med "citat"',
    ],
]


def write_csv(path, rows, delimiter=",", bom=False, header=HEADER):
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path, rows, header=HEADER):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        # As a spreadsheet holds them: numbers as numbers, dates as dates.
        cells = []
        for column, value in zip(header, row, strict=True):
            if column in ("capacity", "birth_year", "postcode", "phone") and value.isdigit():
                cells.append(int(value))  # 0800 becomes the number 800, as in a spreadsheet
            elif column.endswith("_on") and value:
                cells.append(dt.datetime.fromisoformat(value))
            else:
                cells.append(value or None)
        sheet.append(cells)
    workbook.save(path)
    return path


def run_import(app, path, *args):
    result = app.test_cli_runner().invoke(args=["import", "volunteers", str(path), *args])
    return result.exit_code, result.output


def snapshot(municipality_code="0161"):
    municipality = db.session.execute(
        sa.select(Municipality).where(Municipality.code == municipality_code)
    ).scalar_one()
    volunteers = db.session.execute(
        sa.select(Volunteer).where(Volunteer.municipality_id == municipality.id).order_by(Volunteer.ref)
    ).scalars()
    return [
        (
            v.ref,
            v.first_name,
            v.last_name,
            v.email,
            v.phone,
            v.postcode,
            v.birth_year,
            v.gender.value if v.gender else None,
            v.organisation.name if v.organisation else None,
            v.language_levels,
            v.skills,
            v.interests,
            v.schemes,
            v.availability,
            v.capacity,
            v.child_certificate_state.value,
            v.child_certificate_received_on,
            v.status.value,
            v.registered_on,
            v.about,
        )
        for v in volunteers
    ]


@pytest.fixture
def municipalities(app):
    with app.app_context():
        for code, name in (
            ("0161", "Glostrup Kommune"),
            ("0165", "Albertslund Kommune"),
            ("0151", "Ballerup Kommune"),
        ):
            make_municipality(code, name)
        db.session.commit()


def test_a_good_file_is_imported_with_counts_and_an_audit_event(app, tmp_path, municipalities):
    code, output = run_import(app, write_csv(tmp_path / "v.csv", ROWS))
    assert code == 0, output
    assert "3 created, 0 updated" in output
    with app.app_context():
        rows = snapshot()
        assert [r[0] for r in rows] == ["V0001", "V0002", "V0003"]
        mette = rows[0]
        assert mette[3:9] == ("mette@example.dk", "+4520304050", "2600", 1972, "f", "Røde Kors Glostrup")
        assert mette[9] == {"da": "native", "en": "fluent"}
        assert mette[12:] == (
            ["family_buddy", "child_culture"],
            ["weekday_evening", "weekend"],
            2,
            "received_ok",
            dt.date(2025, 6, 1),
            "approved",
            dt.date(2025, 5, 20),
            "Pensioneret lærer; elsker bøger.",
        )
        assert rows[1][4] == "+46701234567" and rows[1][14] == 1 and rows[1][17] == "pending"
        assert rows[2][3] == "olena@example.dk" and rows[2][5] == "0800" and rows[2][17] == "paused"
        assert {o for (o,) in db.session.execute(sa.select(Organisation.name))} == {
            "Røde Kors Glostrup",
            "Venligboerne Glostrup",
        }  # both created as unknown
        event = db.session.execute(
            sa.select(AuditEvent).where(AuditEvent.action == "import.volunteers")
        ).scalar_one()
        assert event.details == {"file_type": "csv", "rows": 3, "created": 3, "updated": 0}
        assert (
            db.session.execute(
                sa.select(sa.func.count()).where(AuditEvent.action == "volunteer.imported")
            ).scalar()
            == 3
        )


def test_semicolon_csv_bom_and_xlsx_import_exactly_like_the_comma_csv(app, tmp_path, municipalities):
    assert run_import(app, write_csv(tmp_path / "comma.csv", ROWS))[0] == 0
    code, output = run_import(
        app, write_csv(tmp_path / "semi.csv", ROWS, delimiter=";", bom=True), "--municipality", "0165"
    )
    assert code == 0, output
    code, output = run_import(app, write_xlsx(tmp_path / "v.xlsx", ROWS), "--municipality", "0151")
    assert code == 0, output
    with app.app_context():
        comma = snapshot("0161")
        assert len(comma) == 3
        assert snapshot("0165") == comma
        assert snapshot("0151") == comma


BAD_ROWS = [
    ROWS[0],
    [
        "V0002",
        "",
        "Tesfay",
        "yonas@",
        "12",
        "9999",
        "1890",
        "q",
        "",
        "ti:native|xx:fluent|da",
        "flying",
        "",
        "",
        "weekend|night",
        "zero",
        "2099-01-01",
        "retired",
        "10/01/2026",
        "",
    ],
    [
        "V0001",
        "Olena",
        "Kovalenko",
        "mette@example.dk",
        "",
        "2600",
        "",
        "",
        "",
        "uk:native",
        "",
        "",
        "contact_person",
        "weekday_daytime",
        "",
        "",
        "",
        "",
        "",
    ],
]
EXPECTED_PROBLEMS = {
    ("3", "first_name"),
    ("3", "email"),
    ("3", "phone"),
    ("3", "postcode"),
    ("3", "birth_year"),
    ("3", "gender"),
    ("3", "languages"),
    ("3", "skills"),
    ("3", "schemes"),
    ("3", "availability"),
    ("3", "capacity"),
    ("3", "child_certificate_on"),
    ("3", "status"),
    ("3", "registered_on"),
    ("4", "ref"),
    ("4", "email"),
}


@pytest.mark.parametrize("kind", ["comma", "semicolon", "xlsx"])
def test_a_file_with_bad_rows_writes_nothing_and_names_every_bad_cell(app, tmp_path, municipalities, kind):
    if kind == "xlsx":  # cells that are not numbers or dates stay text in a spreadsheet
        path = write_xlsx_text(tmp_path / "bad.xlsx", BAD_ROWS)
    else:
        path = write_csv(tmp_path / "bad.csv", BAD_ROWS, delimiter=";" if kind == "semicolon" else ",")
    code, output = run_import(app, path)
    assert code == 1
    lines = [line for line in output.splitlines() if line.startswith("row ")]
    found = {tuple(line[len("row ") :].split(": ", 1)[0].split(", column ")) for line in lines}
    assert found == EXPECTED_PROBLEMS, output
    assert "row 3, column postcode: 9999 is not a Danish postcode." in output
    assert "row 4, column ref: V0001 is also on row 2" in output
    assert "row 4, column email: the address is also on row 2" in output
    assert "nothing was imported" in output
    with app.app_context():
        assert db.session.execute(sa.select(sa.func.count(Volunteer.id))).scalar() == 0
        assert db.session.execute(sa.select(sa.func.count(Organisation.id))).scalar() == 0
        assert db.session.execute(sa.select(sa.func.count(AuditEvent.id))).scalar() == 0


def write_xlsx_text(path, rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append([value or None for value in row])
    workbook.save(path)
    return path


def test_reimport_updates_by_ref_and_creates_no_duplicates(app, tmp_path, municipalities):
    assert run_import(app, write_csv(tmp_path / "v.csv", ROWS))[0] == 0
    changed = [list(r) for r in ROWS]
    changed[1][4] = "+4531313131"
    changed[1][11] = "chess"
    changed[0][16] = ""  # an empty status keeps what Volunteer Hub has
    added = [
        "V0004",
        "Abdi",
        "Warsame",
        "abdi@example.dk",
        "",
        "2620",
        "",
        "",
        "Røde Kors Glostrup",
        "so:native|da:fluent",
        "",
        "",
        "leisure_intro",
        "weekend",
        "",
        "",
        "",
        "",
        "",
    ]
    code, output = run_import(app, write_csv(tmp_path / "v2.csv", [*changed, added]))
    assert code == 0, output
    assert "1 created, 3 updated" in output
    code, output = run_import(app, write_csv(tmp_path / "v2.csv", [*changed, added]))
    assert "0 created, 4 updated" in output
    with app.app_context():
        rows = snapshot()
        assert [r[0] for r in rows] == ["V0001", "V0002", "V0003", "V0004"]
        assert rows[1][4] == "+4531313131" and rows[1][11] == ["chess"]
        assert rows[0][17] == "approved"
        assert db.session.execute(sa.select(sa.func.count(Organisation.id))).scalar() == 2


def test_dry_run_reports_and_writes_nothing(app, tmp_path, municipalities):
    code, output = run_import(app, write_csv(tmp_path / "v.csv", ROWS), "--dry-run")
    assert code == 0
    assert "3 created, 0 updated" in output and "nothing was written" in output
    with app.app_context():
        assert db.session.execute(sa.select(sa.func.count(Volunteer.id))).scalar() == 0
        assert db.session.execute(sa.select(sa.func.count(AuditEvent.id))).scalar() == 0


def test_unknown_and_missing_columns_are_errors(app, tmp_path, municipalities):
    header = [h for h in HEADER if h != "schemes"] + ["favourite_colour"]
    rows = [[v for h, v in zip(HEADER, r, strict=True) if h != "schemes"] + ["blue"] for r in ROWS]
    code, output = run_import(app, write_csv(tmp_path / "v.csv", rows, header=header))
    assert code == 1
    assert "row 1, column favourite_colour: unknown column" in output
    assert "row 1, column schemes: this required column is missing" in output


def test_a_file_that_is_not_utf8_is_refused(app, tmp_path, municipalities):
    path = tmp_path / "latin1.csv"
    path.write_bytes(",".join(HEADER).encode() + "\nV1,Søren".encode("latin-1"))
    code, output = run_import(app, path)
    assert code == 1 and "not UTF-8" in output


def test_unknown_municipality_is_an_error(app, tmp_path, municipalities):
    code, output = run_import(app, write_csv(tmp_path / "v.csv", ROWS), "--municipality", "9999")
    assert code != 0 and "9999" in output


def test_a_volunteer_who_erased_their_data_is_not_imported_again(app, tmp_path, municipalities):
    from volunteer_hub.volunteers.privacy import erase_volunteer

    assert run_import(app, write_csv(tmp_path / "v.csv", ROWS))[0] == 0
    with app.app_context():
        volunteer = db.session.execute(sa.select(Volunteer).where(Volunteer.ref == "V0002")).scalar_one()
        user = make_user(
            db.session.get(Municipality, volunteer.municipality_id), Role.VOLUNTEER, email="yonas@example.dk"
        )
        volunteer.user_id = user.id
        erase_volunteer(volunteer, db.session.get(User, user.id))
        db.session.commit()
    code, output = run_import(app, write_csv(tmp_path / "v.csv", ROWS))
    assert code == 1
    assert "row 3, column ref: V0002 deleted their data" in output
    with app.app_context():
        assert (
            db.session.execute(sa.select(Volunteer.first_name).where(Volunteer.ref == "V0002")).scalar() == ""
        )


def test_an_import_cannot_revive_a_withdrawn_volunteer_or_overrule_a_certificate_with_remarks(
    app, tmp_path, municipalities
):
    with app.app_context():
        municipality = db.session.execute(
            sa.select(Municipality).where(Municipality.code == "0161")
        ).scalar_one()
        make_volunteer(municipality, email="mette@example.dk", status=VolunteerStatus.WITHDRAWN).ref = "V0001"
        remarks = make_volunteer(
            municipality,
            email="yonas@example.dk",
            child_certificate_state=ChildCertificateState.RECEIVED_WITH_REMARKS,
            child_certificate_received_on=dt.date(2025, 1, 1),
        )
        remarks.ref = "V0002"
        db.session.commit()
    rows = [list(r) for r in ROWS]
    rows[1][15] = "2025-09-01"
    code, output = run_import(app, write_csv(tmp_path / "v.csv", rows))
    assert code == 1
    assert "row 2, column status: V0001 is withdrawn in Volunteer Hub" in output
    assert "row 3, column child_certificate_on:" in output


def test_help_documents_the_row_numbers_and_the_municipality_option(app):
    result = app.test_cli_runner().invoke(args=["import", "volunteers", "--help"])
    assert "header is row 1" in " ".join(result.output.split())
    assert "--municipality CODE" in result.output and "0161" in result.output
    assert "--dry-run" in result.output
