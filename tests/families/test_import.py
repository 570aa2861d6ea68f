"""``flask import families``: FORMATS.md's contract, all or nothing, re-import by ref."""

from __future__ import annotations

import datetime as dt

from openpyxl import Workbook
from sqlalchemy import func, select

from tests.factories import make_municipality
from volunteer_hub.audit.models import AuditEvent
from volunteer_hub.core.clock import local_today
from volunteer_hub.extensions import db
from volunteer_hub.families.models import ConsentScope, Household, Member, MemberKind

HEADER = [
    "ref",
    "name",
    "contact_name",
    "phone",
    "email",
    "postcode",
    "arrival_on",
    "registered_on",
    "languages",
    "letter_language",
    "adults",
    "children_ages",
    "interests",
    "schemes",
    "availability",
    "volunteer_gender",
    "consent_on",
    "notes",
]
HAILE = [
    "F0007",
    "Haile family",
    "Senait Haile",
    "+45 52 12 34 56",
    "senait@example.dk",
    "2600",
    "2026-09-01",
    "2026-09-03",
    "ti:native|ar:conversational",
    "",
    "2",
    "3|7|12",
    "football|swimming",
    "family_buddy|child_culture",
    "weekend|weekday_evening",
    "f",
    "2026-09-02",
    "Prefers afternoons",
]
AHMADI = [
    "F0008",
    "Farid Ahmadi",
    "Farid Ahmadi",
    "",
    "",
    "2605",
    "2026-10-15",
    "",
    "prs:native|en:basic",
    "fa",
    "1",
    "",
    "",
    "friend_buddy",
    "",
    "",
    "2026-10-16",
    "",
]


def _csv(rows, sep=",", bom=False) -> bytes:
    text = "\n".join(sep.join(cell for cell in row) for row in [HEADER, *rows]) + "\n"
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def _run(app, tmp_path, content: bytes, *args: str, name: str = "families.csv"):
    path = tmp_path / name
    path.write_bytes(content)
    return app.test_cli_runner().invoke(args=["import", "families", str(path), *args])


def _households(app):
    with app.app_context():
        return (
            db.session.execute(select(Household).order_by(Household.ref).execution_options(all_tenants=True))
            .scalars()
            .all()
        )


def test_valid_file_creates_households_with_members_and_reports_counts(app, tmp_path, glostrup):
    result = _run(app, tmp_path, _csv([HAILE, AHMADI]))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Imported families: 2 created, 0 updated."
    with app.app_context():
        haile = db.session.execute(select(Household).where(Household.ref == "F0007")).scalar_one()
        assert (haile.name, haile.contact_name, haile.phone, haile.postcode) == (
            "Haile family",
            "Senait Haile",
            "+4552123456",
            "2600",
        )
        assert haile.language_levels == {"ti": "native", "ar": "conversational"}
        assert haile.letter_language == "ti"  # default: the best language
        assert haile.scheme_codes == ["family_buddy", "child_culture"]
        assert (haile.interests, haile.availability, haile.volunteer_gender) == (
            ["football", "swimming"],
            ["weekend", "weekday_evening"],
            "f",
        )
        assert (haile.consent_on, haile.consent_scope) == (dt.date(2026, 9, 2), ConsentScope.CONTACT_CARD)
        assert (haile.registered_on, haile.notes) == (dt.date(2026, 9, 3), "Prefers afternoons")
        assert [m.name for m in haile.adults] == ["Senait Haile", "Adult 2"]
        assert [m.name for m in haile.children] == ["Child 1", "Child 2", "Child 3"]
        assert haile.children_ages(local_today()) == [3, 7, 12]
        assert {m.arrival_on for m in haile.members} == {dt.date(2026, 9, 1)}
        ahmadi = db.session.execute(select(Household).where(Household.ref == "F0008")).scalar_one()
        assert (ahmadi.letter_language, ahmadi.registered_on) == ("fa", dt.date(2026, 10, 15))
        event = db.session.execute(
            select(AuditEvent).where(AuditEvent.action == "families.imported")
        ).scalar_one()
        assert (event.details["created"], event.details["updated"]) == (2, 0)
        assert len(event.details["file_sha256"]) == 64


def test_every_bad_cell_is_reported_and_nothing_is_written(app, tmp_path, glostrup):
    bad = list(AHMADI)
    bad[HEADER.index("postcode")] = "99"
    bad[HEADER.index("arrival_on")] = "15-10-2026"
    bad[HEADER.index("languages")] = "prs:native|xx:basic"
    bad[HEADER.index("schemes")] = ""
    bad[HEADER.index("adults")] = "0"
    bad[HEADER.index("children_ages")] = "4|19"
    bad[HEADER.index("volunteer_gender")] = "female"
    duplicate = list(HAILE)
    result = _run(app, tmp_path, _csv([HAILE, bad, duplicate]))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[:-1] == [
        "row 3, column postcode: '99' is not a Danish postcode (4 digits, e.g. 2600)",
        "row 3, column arrival_on: '15-10-2026' is not a date written as YYYY-MM-DD",
        "row 3, column languages: unknown language code 'xx' (allowed: " + lines[2].split("(allowed: ")[1],
        "row 3, column adults: 0 is outside the allowed range 1–20",
        "row 3, column children_ages: 19 is outside the allowed range 0–17: list each child's age 0–17; "
        "count older ones as adults",
        "row 3, column schemes: a value is required",
        "row 3, column volunteer_gender: 'female' is not a gender code (allowed: f, m, x, or empty for no "
        "preference)",
        "row 4, column ref: 'F0007' is also used in row 2",
    ]
    assert lines[-1] == "8 problems found; nothing was imported."
    assert _households(app) == []  # the valid first row was not written either


def test_semicolon_separated_csv_with_bom_is_read(app, tmp_path, glostrup):
    result = _run(app, tmp_path, _csv([HAILE], sep=";", bom=True))
    assert result.exit_code == 0, result.output
    assert [h.ref for h in _households(app)] == ["F0007"]


def test_xlsx_first_sheet_is_imported(app, tmp_path, glostrup):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    row = list(HAILE)
    row[HEADER.index("arrival_on")] = dt.datetime(2026, 9, 1)  # a real date cell
    row[HEADER.index("adults")] = 2  # a number cell
    row[HEADER.index("postcode")] = 2600
    sheet.append(row)
    path = tmp_path / "families.xlsx"
    workbook.save(path)
    result = app.test_cli_runner().invoke(args=["import", "families", str(path)])
    assert result.exit_code == 0, result.output
    (household,) = _households(app)
    with app.app_context():
        household = db.session.get(Household, household.id)
        assert (household.postcode, len(household.adults), household.first_arrival_on) == (
            "2600",
            2,
            dt.date(2026, 9, 1),
        )


def test_unknown_columns_are_an_error(app, tmp_path, glostrup):
    content = _csv([HAILE]).replace(b"notes\n", b"notes,religion\n", 1)
    result = _run(app, tmp_path, content)
    assert result.exit_code == 1
    assert result.output.startswith("row 1, column religion: unknown column (allowed: ")
    assert _households(app) == []


def test_dry_run_reports_without_writing(app, tmp_path, glostrup):
    with app.app_context():
        events_before = db.session.execute(select(func.count(AuditEvent.id))).scalar()
    result = _run(app, tmp_path, _csv([HAILE, AHMADI]), "--dry-run")
    assert result.exit_code == 0
    assert "2 households would be created, 0 updated; nothing written" in result.output
    assert _households(app) == []
    with app.app_context():
        assert db.session.execute(select(func.count(AuditEvent.id))).scalar() == events_before


def test_reimport_updates_by_ref_adds_members_and_never_duplicates(app, tmp_path, glostrup):
    assert _run(app, tmp_path, _csv([HAILE, AHMADI])).exit_code == 0
    with app.app_context():  # a coordinator renames the second adult meanwhile
        member = db.session.execute(select(Member).where(Member.name == "Adult 2")).scalar_one()
        member.name = "Yonas Haile"
        db.session.commit()
    changed = list(HAILE)
    changed[HEADER.index("name")] = "Haile-Tesfay family"
    changed[HEADER.index("children_ages")] = "3|7|12|0"  # a baby was born
    changed[HEADER.index("schemes")] = "family_buddy"
    result = _run(app, tmp_path, _csv([changed, AHMADI]))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Imported families: 0 created, 2 updated."
    households = _households(app)
    assert [h.ref for h in households] == ["F0007", "F0008"]
    with app.app_context():
        haile = db.session.get(Household, households[0].id)
        assert haile.name == "Haile-Tesfay family"
        assert haile.scheme_codes == ["family_buddy"]
        assert [m.name for m in haile.adults] == ["Senait Haile", "Yonas Haile"]
        assert haile.children_ages(local_today()) == [0, 3, 7, 12]
        assert len(haile.children) == 4 and haile.children[-1].kind == MemberKind.CHILD


def test_reimport_never_removes_people(app, tmp_path, glostrup):
    assert _run(app, tmp_path, _csv([HAILE])).exit_code == 0
    fewer = list(HAILE)
    fewer[HEADER.index("adults")] = "1"
    fewer[HEADER.index("children_ages")] = "3|7"
    result = _run(app, tmp_path, _csv([fewer]))
    assert result.exit_code == 1
    assert (
        "row 2, column adults: the case F0007 already has 2 adults; an import never removes people"
        in result.output
    )
    assert "row 2, column children_ages: the case F0007 has a child born" in result.output
    with app.app_context():
        assert db.session.execute(select(func.count(Member.id))).scalar() == 5


def test_municipality_option_imports_into_another_municipality(app, tmp_path, glostrup):
    with app.app_context():
        make_municipality("0165", "Albertslund Kommune")
        db.session.commit()
    assert _run(app, tmp_path, _csv([HAILE]), "--municipality", "0165").exit_code == 0
    assert _run(app, tmp_path, _csv([HAILE])).exit_code == 0  # the same ref in Glostrup is another household
    with app.app_context():
        codes = sorted(h.municipality_id for h in _households(app))
        assert len(codes) == 2 and codes[0] != codes[1]
    result = _run(app, tmp_path, _csv([HAILE]), "--municipality", "9999")
    assert result.exit_code != 0 and "unknown municipality 9999" in result.output
