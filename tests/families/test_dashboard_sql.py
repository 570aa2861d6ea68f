"""The dashboard, the case list and the waiting list computed in SQL give exactly what the pure
rules (deadlines.py, warnings.py, the housed figure, ``Match.is_active_on``) give for the same
households: boundary days, ages, employment, internships, Danish classes, housing and matches."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from sqlalchemy import select

from tests.factories import make_household, make_match, make_municipality
from tests.matching.factories import volunteer
from volunteer_hub.core.clock import local_today
from volunteer_hub.extensions import db
from volunteer_hub.families.deadlines import DeadlineKind, DeadlineState, needing_attention
from volunteer_hub.families.models import (
    DanishClass,
    Household,
    Housing,
    HousingSector,
    HousingStatus,
    InternshipOffer,
    InternshipStatus,
    ReceptionStep,
    ReceptionStepKind,
    SharedUnit,
    WorkSector,
)
from volunteer_hub.families.queries import (
    CASE_FILTERS,
    CASE_SORTS,
    build_dashboard,
    case_deadlines,
    case_row,
    case_row_load_options,
    case_warnings,
    housed_before_arrival_count,
    list_cases,
)
from volunteer_hub.families.services.housing import housed_before_arrival_figure
from volunteer_hub.families.warnings import WarningKind
from volunteer_hub.matching.models import Match, MatchStatus
from volunteer_hub.matching.waiting import list_waiting_households, waiting_board, waiting_household_ids
from volunteer_hub.tenancy.services import get_municipality_by_code

TODAY = dt.date(2026, 11, 27)


def _day(days_ago: int) -> dt.date:
    return TODAY - dt.timedelta(days=days_ago)


def _varied_households(municipality: Any) -> None:
    """About 60 households spanning the rules' boundaries, with refs out of step with names."""
    flagged = SharedUnit(municipality_id=municipality.id, name="Flagged", mix_flagged=True)
    calm = SharedUnit(municipality_id=municipality.id, name="Calm", mix_flagged=False)
    db.session.add_all([flagged, calm])
    db.session.flush()
    sectors = [None, HousingSector.HOTEL, HousingSector.HOSTEL, HousingSector.PRIVATE_ROOM]
    statuses = list(HousingStatus)
    internship_statuses = [None, *InternshipStatus]
    birth_years = [None, 1990, TODAY.year - 17, TODAY.year - 18, TODAY.year - 64, TODAY.year - 65]
    v = volunteer(municipality)
    for n in range(60):
        arrival = _day([0, 10, 11, 12, 14, 15, 16, 30, 400, -5][n % 10])
        household = make_household(
            municipality,
            ref=f"R{(n * 37) % 61:03d}",
            name=["alma", "Bent", "Åse", "carl", "Dorte", "bent"][n % 6] + f" family {n}",
            contact_name=f"Contact {n % 7}",
            arrival=arrival,
            adults=1 + n % 3,
            children_birth_years=(TODAY.year - 5,) * (n % 2),
            registered_on=_day([40, 5, 0, -3, 40][n % 5]),
            consent_on=[None, _day(1), TODAY + dt.timedelta(days=2)][n % 3],
            schemes=[[], ["friend_buddy"], ["family_buddy", "friend_buddy"]][n % 3],
        )
        db.session.flush()
        if n % 4 == 0:
            db.session.add(
                ReceptionStep(
                    household_id=household.id, kind=ReceptionStepKind.WELCOME_LETTER, done_on=_day(n % 9)
                )
            )
        if n % 5:
            db.session.add(
                Housing(
                    household_id=household.id,
                    sector=sectors[n % 4],
                    status=statuses[n % 3 + (n % 7 == 0)],
                    found_on=[None, arrival, arrival - dt.timedelta(days=1), arrival + dt.timedelta(days=1)][
                        n % 4
                    ],
                    shared_unit_id=[None, flagged.id, calm.id][n % 3],
                )
            )
        for k, member in enumerate(household.adults):
            m = n + k
            member.birth_year = birth_years[m % len(birth_years)]
            member.employed = m % 7 == 3
            if k == 1:  # a later arrival through family reunification, or the same day
                member.arrival_on = arrival + dt.timedelta(days=[0, 3, 20][n % 3])
            if status := internship_statuses[m % len(internship_statuses)]:
                db.session.add(
                    InternshipOffer(
                        member_id=member.id,
                        workplace_name="Plejecenter",
                        sector=WorkSector.CARE,
                        offered_on=member.arrival_on,
                        status=status,
                    )
                )
            if m % 3:
                db.session.add(
                    DanishClass(
                        member_id=member.id,
                        language_school="Sprogcenter",
                        programme=2,
                        module=1,
                        start_on=[None, _day(30), TODAY, TODAY + dt.timedelta(days=1)][m % 4],
                        ended_on=[None, TODAY, TODAY + dt.timedelta(days=1), _day(1)][(m // 2) % 4],
                    )
                )
        if n % 3 == 2:  # active, starting tomorrow, ended, ending tomorrow, proposed, approved
            status, started_on, ended_on = [
                (MatchStatus.ACTIVE, _day(10), None),
                (MatchStatus.ACTIVE, TODAY + dt.timedelta(days=1), None),
                (MatchStatus.ENDED, _day(10), _day(1)),
                (MatchStatus.ENDED, _day(10), TODAY + dt.timedelta(days=1)),
                (MatchStatus.PROPOSED, None, None),
                (MatchStatus.APPROVED, _day(2), None),
            ][(n // 3) % 6]
            make_match(
                household,
                v,
                scheme=["family_buddy", "friend_buddy"][n % 2],
                status=status,
                started_on=started_on,
                ended_on=ended_on,
            )
    db.session.flush()


def _models(municipality_id: int) -> list[Household]:
    """Every household as models, in reference order: what the pure rules run over."""
    db.session.expire_all()
    return list(
        db.session.execute(
            select(Household)
            .where(Household.municipality_id == municipality_id)
            .options(*case_row_load_options())
            .order_by(Household.ref)
        ).scalars()
    )


def _expected_board(households: list[Household], today: dt.date) -> dict[str, list[tuple]]:
    letters, internships, housing, danish = [], [], [], []
    for h in households:
        members = {m.id: m for m in h.members}
        for d in needing_attention(case_deadlines(h), today):
            if d.kind == DeadlineKind.WELCOME_LETTER:
                letters.append(
                    (d.due_on, h.ref, h.id, h.first_arrival_on, d.state(today), d.days_left(today))
                )
            else:
                m = members[d.member_id]
                internships.append(
                    (d.due_on, h.ref, h.id, m.id, m.name, m.arrival_on, d.state(today), d.days_left(today))
                )
        for w in case_warnings(h, today):
            if w.kind == WarningKind.DANISH_WITHOUT_WORK:
                danish.append((h.id, h.name, h.ref, w.member_id, members[w.member_id].name))
            else:
                housing.append((h.id, h.name, h.ref, w.kind))
    letters.sort(key=lambda row: row[:2])  # stable: by due date, then reference (then member)
    internships.sort(key=lambda row: row[:2])
    return {"letters": letters, "internships": internships, "housing": housing, "danish": danish}


def _board(municipality_id: int, today: dt.date, rows: int | None) -> tuple[dict[str, list[tuple]], dict]:
    board = build_dashboard(municipality_id, today, rows=rows)
    lists = {
        "letters": [
            (
                r.deadline.due_on,
                r.household.ref,
                r.household.id,
                r.household.first_arrival_on,
                r.state,
                r.days_left,
            )
            for r in board.letters
        ],
        "internships": [
            (
                r.deadline.due_on,
                r.household.ref,
                r.household.id,
                r.member.id,
                r.member.name,
                r.member.arrival_on,
                r.state,
                r.days_left,
            )
            for r in board.internships
        ],
        "housing": [(h.id, h.name, h.ref, w.kind) for h, w in board.housing_warnings],
        "danish": [(h.id, h.name, h.ref, m.id, m.name) for h, m, w in board.danish_warnings],
    }
    totals = {
        "letters": board.letters_total,
        "internships": board.internships_total,
        "housing": board.housing_warnings_total,
        "danish": board.danish_warnings_total,
    }
    return lists, totals


def _expected_cases(
    households: list[Household], today: dt.date, show: str, sort: str, text: str, waiting: set[int]
) -> list[int]:
    rows = [case_row(h, today) for h in households]
    if text:
        needle = text.casefold()
        rows = [
            r
            for r in rows
            if any(
                needle in v.casefold() for v in (r.household.ref, r.household.name, r.household.contact_name)
            )
        ]
    shown = {
        "attention": lambda r: r.next_state in (DeadlineState.OVERDUE, DeadlineState.DUE_SOON),
        "overdue": lambda r: r.next_state == DeadlineState.OVERDUE,
        "warnings": lambda r: bool(r.warnings),
        "waiting": lambda r: r.household.id in waiting,
    }.get(show, lambda r: True)
    far = dt.date.max
    key = {
        "ref": lambda r: (r.household.ref,),
        "name": lambda r: (r.household.name.casefold(), r.household.ref),
        "arrival": lambda r: (r.first_arrival_on or far, r.household.ref),
        "registered": lambda r: (r.household.registered_on, r.household.ref),
        "deadline": lambda r: (r.next_open.due_on if r.next_open else far, r.household.ref),
    }[sort]
    return [r.household.id for r in sorted(filter(shown, rows), key=key)]


def _listed(municipality_id: int, today: dt.date, show: str, sort: str, text: str) -> list[Any]:
    """Every page of the case list, 7 a page, as (id, the row's next deadline and warnings)."""
    rows, number = [], 1
    while True:
        page = list_cases(
            municipality_id,
            today,
            text=text,
            show=show,
            sort=sort,
            page=number,
            per_page=7,
            waiting_ids=waiting_household_ids(municipality_id, today),
        )
        rows += page.items
        if number >= page.pages:
            assert len(rows) == page.total
            return rows
        number += 1


def _expected_waiting(households: list[Household], today: dt.date) -> list[tuple]:
    matches = db.session.execute(select(Match)).scalars().all()
    active = {(m.household_id, m.scheme) for m in matches if m.is_active_on(today)}
    waiting = []
    for h in households:
        schemes = tuple(
            s.scheme for s in sorted(h.schemes, key=lambda s: s.id) if (h.id, s.scheme) not in active
        )
        if schemes:
            days = max(0, (today - h.registered_on).days)
            consented = h.consent_on is not None and h.consent_on <= today
            waiting.append((h.id, h.name, h.ref, schemes, days, consented))
    return sorted(waiting, key=lambda w: (-w[4], w[2]))


def _assert_sql_gives_what_the_rules_give(municipality_id: int, today: dt.date) -> None:
    households = _models(municipality_id)
    expected = _expected_board(households, today)
    lists, totals = _board(municipality_id, today, rows=None)
    assert lists == expected
    first, totals = _board(municipality_id, today, rows=10)
    assert first == {name: rows[:10] for name, rows in expected.items()}
    assert totals == {name: len(rows) for name, rows in expected.items()}
    assert housed_before_arrival_count(municipality_id) == housed_before_arrival_figure(households)

    waiting = _expected_waiting(households, today)
    found = [
        (w.household.id, w.household.name, w.household.ref, w.schemes, w.days_waiting, w.consented)
        for w in list_waiting_households(municipality_id, today)
    ]
    assert found == waiting
    board = waiting_board(municipality_id, today)
    assert board.total == len(waiting) and len(board.rows) == min(10, len(waiting))

    waiting_ids = {w[0] for w in waiting}
    by_id = {h.id: case_row(h, today) for h in households}
    for show, sort in itertools.product(CASE_FILTERS, CASE_SORTS):
        for text in ("", "BENT", "r01", "contact 3"):
            rows = _listed(municipality_id, today, show, sort, text)
            assert [r.household.id for r in rows] == _expected_cases(
                households, today, show, sort, text, waiting_ids
            ), (show, sort, text)
            assert rows == [by_id[r.household.id] for r in rows]


@pytest.mark.parametrize("days_later", [0, 3, 12, 30])
def test_sql_dashboard_case_list_and_waiting_list_equal_the_pure_rules(ctx, days_later):
    glostrup = make_municipality()
    _varied_households(glostrup)
    other = make_municipality("0165", "Albertslund Kommune")
    make_household(other, name="Bent elsewhere", arrival=_day(20))  # never shown in Glostrup
    db.session.flush()
    _assert_sql_gives_what_the_rules_give(glostrup.id, TODAY + dt.timedelta(days=days_later))


@pytest.mark.parametrize("days_later", [0, 10, 400])
def test_the_demo_households_give_the_same_in_sql_as_by_the_rules(app, days_later):
    # The demo's 30 households: overdue and open welcome letters and internships, shared units,
    # temporary housing with children, Danish classes without work, reunified adults.
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        municipality_id = get_municipality_by_code("0161").id
        today = local_today() + dt.timedelta(days=days_later)
        board = build_dashboard(municipality_id, today)
        assert board.letters or board.internships or board.housing_warnings  # not trivially empty
        _assert_sql_gives_what_the_rules_give(municipality_id, today)
        db.session.rollback()
