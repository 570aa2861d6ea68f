"""``flask import matches``: FORMATS.md's contract, all or nothing, re-import without duplicates."""

from __future__ import annotations

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from tests.matching.factories import household, volunteer
from volunteer_hub.audit.models import AuditEvent
from volunteer_hub.extensions import db
from volunteer_hub.matching.models import EndReason, Match, MatchSource, MatchStatus

HEADER = ["family", "volunteer", "scheme", "started_on", "ended_on", "end_reason"]
ROWS = [
    ["F0007", "V0042", "family_buddy", "2025-03-01", "", ""],
    ["F0008", "V0042", "friend_buddy", "2024-09-15", "2025-06-30", "The family moved to Odense"],
    ["F0008", "V0043", "leisure_intro", "2025-01-10", "2025-04-01", "completed"],
]


@pytest.fixture
def people(app, glostrup):
    with app.app_context():
        municipality = glostrup.municipality
        household(municipality, ref="F0007", schemes=["family_buddy"])
        household(municipality, ref="F0008", schemes=["friend_buddy"])
        volunteer(municipality, ref="V0042", capacity=2)
        volunteer(municipality, ref="V0043")
        db.session.commit()


def _csv(tmp_path, rows, separator=",", name="matches.csv"):
    path = tmp_path / name
    path.write_text("\n".join(separator.join(row) for row in [HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def _import(app, path, *extra):
    return app.test_cli_runner().invoke(args=["import", "matches", str(path), *extra])


def _matches(app):
    with app.app_context():
        return [
            (
                m.household.ref,
                m.volunteer.ref,
                m.scheme,
                m.status,
                m.started_on.isoformat(),
                m.end_reason,
                m.end_note,
            )
            for m in db.session.execute(select(Match).order_by(Match.started_on)).scalars()
        ]


def test_import_creates_active_and_ended_matches_and_audits_it(app, people, tmp_path):
    result = _import(app, _csv(tmp_path, ROWS))
    assert result.exit_code == 0, result.output
    assert "3 created, 0 updated" in result.output
    assert _matches(app) == [
        (
            "F0008",
            "V0042",
            "friend_buddy",
            MatchStatus.ENDED,
            "2024-09-15",
            EndReason.OTHER,
            "The family moved to Odense",
        ),
        ("F0008", "V0043", "leisure_intro", MatchStatus.ENDED, "2025-01-10", EndReason.COMPLETED, ""),
        ("F0007", "V0042", "family_buddy", MatchStatus.ACTIVE, "2025-03-01", None, ""),
    ]
    with app.app_context():
        assert {m.source for m in db.session.execute(select(Match)).scalars()} == {MatchSource.IMPORT}
        [event] = db.session.execute(
            select(AuditEvent).where(AuditEvent.action == "matches.imported")
        ).scalars()
        assert (event.details["created"], event.details["updated"]) == (3, 0)


def test_reimport_updates_and_never_duplicates(app, people, tmp_path):
    assert _import(app, _csv(tmp_path, ROWS)).exit_code == 0
    ended = [ROWS[0][:4] + ["2025-11-01", "moved_away"], *ROWS[1:]]
    result = _import(app, _csv(tmp_path, ended, name="again.csv"))
    assert result.exit_code == 0 and "0 created, 3 updated" in result.output, result.output
    rows = _matches(app)
    assert len(rows) == 3
    assert rows[-1][3:6] == (MatchStatus.ENDED, "2025-03-01", EndReason.MOVED_AWAY)


def test_semicolons_and_xlsx_read_the_same(app, people, tmp_path):
    assert _import(app, _csv(tmp_path, ROWS[:1], separator=";")).exit_code == 0
    workbook = Workbook()
    sheet = workbook.active
    for row in [HEADER, *ROWS[1:]]:
        sheet.append(row)
    path = tmp_path / "matches.xlsx"
    workbook.save(path)
    result = _import(app, path)
    assert result.exit_code == 0 and "2 created" in result.output, result.output
    assert len(_matches(app)) == 3


def test_bad_rows_write_nothing_and_name_each_bad_cell(app, people, tmp_path):
    rows = [
        ROWS[0],
        ["F0099", "V0042", "family_buddy", "2025-01-01", "", ""],
        ["F0008", "V0043", "yoga", "2025-13-01", "", ""],
        ["F0008", "V0043", "friend_buddy", "2025-05-01", "2025-04-01", ""],
        ["F0007", "V0042", "family_buddy", "2025-03-01", "", ""],
    ]
    result = _import(app, _csv(tmp_path, rows))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    for expected in (
        "row 3, column family: no family with ref 'F0099'",
        "row 4, column scheme: unknown scheme 'yoga'",
        "row 4, column started_on: '2025-13-01' is not a real date",
        "row 5, column ended_on: the match cannot end before it started",
        "row 5, column end_reason: a value is required when ended_on is set",
        "row 6, column started_on: the same pair and start date is also in row 2",
    ):
        assert any(line.startswith(expected) for line in lines), (expected, lines)
    assert "nothing was imported" in result.output
    assert _matches(app) == []


def test_unknown_columns_and_a_second_open_match_are_refused(app, people, tmp_path):
    path = tmp_path / "extra.csv"
    path.write_text("family,volunteer,scheme,started_on,colour\nF0007,V0042,family_buddy,2025-01-01,red\n")
    result = _import(app, path)
    assert result.exit_code == 1 and "row 1, column colour: unknown column" in result.output
    assert _import(app, _csv(tmp_path, ROWS[:1])).exit_code == 0
    second = _import(
        app, _csv(tmp_path, [["F0007", "V0042", "family_buddy", "2025-06-01", "", ""]], name="b.csv")
    )
    assert second.exit_code == 1 and "has not ended" in second.output
    assert len(_matches(app)) == 1


def test_dry_run_writes_nothing(app, people, tmp_path):
    result = _import(app, _csv(tmp_path, ROWS), "--dry-run")
    assert result.exit_code == 0 and "Dry run: 3 matches would be created" in result.output
    assert _matches(app) == []
    with app.app_context():
        audited = select(func.count()).select_from(AuditEvent).where(AuditEvent.action.like("match%"))
        assert db.session.execute(audited).scalar() == 0
