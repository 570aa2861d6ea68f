"""The coordinator's overview: the right households at the boundary days, and only for municipal staff."""

from __future__ import annotations

import datetime as dt

from tests.factories import adult, make_household, make_municipality, make_organisation, make_user
from tests.support import Login, login_as
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db
from volunteer_hub.families.deadlines import DeadlineState
from volunteer_hub.families.models import ReceptionStepKind
from volunteer_hub.families.queries import build_dashboard, list_cases
from volunteer_hub.families.services.members import update_adult
from volunteer_hub.families.services.reception import StepData, update_reception_checklist
from volunteer_hub.matching.waiting import list_waiting_households

TODAY = dt.date(2026, 11, 27)


def _arrived(glostrup, days_ago: int, name: str, **kwargs):
    return make_household(glostrup, name=name, arrival=TODAY - dt.timedelta(days=days_ago), **kwargs)


def test_dashboard_lists_letters_and_internships_overdue_or_due_within_three_days(ctx):
    glostrup = make_municipality()
    _arrived(glostrup, 15, "Overdue by one day")
    _arrived(glostrup, 14, "Due today")
    _arrived(glostrup, 11, "Due in three days")
    _arrived(glostrup, 10, "Due in four days")
    done = _arrived(glostrup, 30, "Letter sent late")
    employed = _arrived(glostrup, 20, "Employed adult")
    db.session.commit()
    update_reception_checklist(
        done,
        {ReceptionStepKind.WELCOME_LETTER: StepData(TODAY - dt.timedelta(days=2))},
        expected_version=done.version_id,
        actor=None,
    )
    update_adult(
        employed,
        employed.adults[0],
        adult("Senait Haile", employed.adults[0].arrival_on, employed=True),
        internship=None,
        danish=None,
        expected_version=employed.version_id,
        actor=None,
    )
    db.session.commit()

    board = build_dashboard(glostrup.id, TODAY)
    letters = [(r.household.name, r.days_left, r.state) for r in board.letters]
    assert letters == [
        ("Employed adult", -6, DeadlineState.OVERDUE),
        ("Overdue by one day", -1, DeadlineState.OVERDUE),
        ("Due today", 0, DeadlineState.DUE_SOON),
        ("Due in three days", 3, DeadlineState.DUE_SOON),
    ]
    internships = [(r.household.name, r.member.name, r.days_left) for r in board.internships]
    assert internships == [
        ("Letter sent late", "Senait Haile", -16),  # the letter is done, the internship is not
        ("Overdue by one day", "Senait Haile", -1),
        ("Due today", "Senait Haile", 0),
        ("Due in three days", "Senait Haile", 3),
    ]
    assert all(r.household.name != "Employed adult" for r in board.internships)
    attention = list_cases(glostrup.id, TODAY, show="attention", sort="deadline")
    assert [row.household.name for row in attention.items] == [
        "Letter sent late",
        "Employed adult",
        "Overdue by one day",
        "Due today",
        "Due in three days",
    ]


def test_waiting_households_count_days_from_when_they_asked(ctx):
    glostrup = make_municipality()
    make_household(glostrup, name="Asked long ago", registered_on=TODAY - dt.timedelta(days=40))
    make_household(
        glostrup, name="No consent yet", registered_on=TODAY - dt.timedelta(days=5), consent_on=None
    )
    make_household(glostrup, name="Wants nothing", schemes=[])
    db.session.commit()
    waiting = [
        (w.household.name, w.days_waiting, w.consented) for w in list_waiting_households(glostrup.id, TODAY)
    ]
    assert waiting == [("Asked long ago", 40, True), ("No consent yet", 5, False)]


def test_only_municipal_staff_see_the_family_section_of_the_overview(app):
    with app.app_context():
        glostrup = make_municipality()
        make_household(glostrup, name="Visible only to the municipality")
        users = {
            role: Login(
                make_user(
                    glostrup,
                    role,
                    organisation=make_organisation(glostrup) if role == Role.PARTNER_COORDINATOR else None,
                )
            )
            for role in Role
        }
        db.session.commit()
    for role, user in users.items():
        client = app.test_client()
        login_as(client, user)
        html = client.get("/").get_data(as_text=True)
        shown = "Familiesager: det skal gøres" in html and "Visible only to the municipality" in html
        assert shown == (role in (Role.MUNICIPAL_COORDINATOR, Role.ADMIN)), role
