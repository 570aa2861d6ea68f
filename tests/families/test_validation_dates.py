"""Issue 20, item 2: impossible dates and quantities are refused by the case services, so the
forms, the import and anything else that writes through them refuse them alike, each with a
message beside the field it concerns; and a meeting is logged once, for at least a minute."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import adult, child, make_household, make_match, make_volunteer
from tests.support import csrf_token, login_as
from volunteer_hub.core.clock import local_today
from volunteer_hub.extensions import db
from volunteer_hub.families.models import Household, ReceptionStepKind, WorkSector
from volunteer_hub.families.services.households import CaseError, add_member
from volunteer_hub.families.services.members import InternshipData, update_adult
from volunteer_hub.families.services.reception import StepData, offer_health_check, update_reception_checklist
from volunteer_hub.families.services.registers import WorkplaceData, save_workplace
from volunteer_hub.matching import followup, workflow
from volunteer_hub.matching.models import MatchStatus, MeetingKind
from volunteer_hub.volunteers.models import VolunteerStatus

TODAY = local_today()
ARRIVAL = dt.date(2026, 11, 1)


def test_a_child_cannot_be_born_after_this_year(ctx, glostrup):
    household = make_household(glostrup.municipality, arrival=ARRIVAL)
    with pytest.raises(CaseError) as refused:
        add_member(
            household,
            child("Lina", ARRIVAL, TODAY.year + 5),
            expected_version=household.version_id,
            actor=glostrup.coordinator,
        )
    assert refused.value.field_name == "birth_year"
    assert str(TODAY.year) in str(refused.value)
    assert len(household.children) == 0
    add_member(
        household, child("Lina", ARRIVAL, TODAY.year), expected_version=household.version_id, actor=None
    )
    with pytest.raises(CaseError):
        make_household(glostrup.municipality, children_birth_years=(2031,))


def test_reception_dates_cannot_be_before_arrival_or_in_the_future(ctx, glostrup):
    household = make_household(glostrup.municipality, arrival=ARRIVAL)
    for day in (ARRIVAL - dt.timedelta(days=1), TODAY + dt.timedelta(days=1)):
        with pytest.raises(CaseError) as refused:
            update_reception_checklist(
                household,
                {ReceptionStepKind.GUIDED_TOUR: StepData(day, "Mette")},
                expected_version=household.version_id,
                actor=None,
            )
        assert refused.value.field_name == "guided_tour_on"
    with pytest.raises(CaseError) as refused:
        offer_health_check(
            household, ARRIVAL - dt.timedelta(days=3), expected_version=household.version_id, actor=None
        )
    assert refused.value.field_name == "on"
    update_reception_checklist(
        household,
        {ReceptionStepKind.GUIDED_TOUR: StepData(ARRIVAL, "Mette")},
        expected_version=household.version_id,
        actor=None,
    )


def test_an_internship_at_a_workplace_without_free_places_is_refused(ctx, glostrup):
    coordinator = glostrup.coordinator
    full = save_workplace(
        None,
        WorkplaceData("Plejecenter Fuld", WorkSector.CARE, 0),
        municipality_id=glostrup.municipality_id,
        actor=coordinator,
    )
    household = make_household(glostrup.municipality, arrival=ARRIVAL)
    member = household.adults[0]

    def offer(**kwargs):
        update_adult(
            household,
            member,
            adult(member.name, ARRIVAL),
            internship=InternshipData("", WorkSector.CARE, ARRIVAL + dt.timedelta(days=3), **kwargs),
            danish=None,
            expected_version=household.version_id,
            actor=coordinator,
        )

    with pytest.raises(CaseError) as refused:
        offer(workplace_id=full.id)
    assert refused.value.field_name == "workplace_id" and "Plejecenter Fuld" in str(refused.value)
    with pytest.raises(CaseError) as refused:
        offer(starts_on=ARRIVAL)  # before the offer
    assert refused.value.field_name == "starts_on"


def test_the_child_page_shows_the_refusal_beside_the_birth_year(app, client, glostrup):
    with app.app_context():
        household = make_household(glostrup.municipality, arrival=ARRIVAL, children_birth_years=(2016,))
        db.session.commit()
        household_id, child_id, version = household.id, household.children[0].id, household.version_id
    login_as(client, glostrup.coordinator_login)
    url = f"/familier/{household_id}/medlemmer/{child_id}"
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "version": version,
            "name": "Yara Haile",
            "birth_year": "2031",
            "arrival_on": ARRIVAL.isoformat(),
            "arrival_route": "asylum",
        },
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Fødselsåret kan ikke være senere end i år" in page
    with app.app_context():
        assert db.session.get(Household, household_id).children[0].birth_year == 2016


def test_the_reception_page_refuses_a_tour_before_arrival(app, client, glostrup):
    with app.app_context():
        household = make_household(glostrup.municipality, arrival=ARRIVAL)
        db.session.commit()
        household_id, version = household.id, household.version_id
    login_as(client, glostrup.coordinator_login)
    url = f"/familier/{household_id}/modtagelse"
    response = client.post(
        url,
        data={"csrf_token": csrf_token(client, url), "version": version, "guided_tour_on": "2026-10-01"},
    )
    assert response.status_code == 400
    assert "Datoen kan ikke ligge før husstanden ankom" in response.get_data(as_text=True)


def test_a_meeting_is_logged_once_and_lasts_at_least_a_minute(ctx, glostrup):
    household = make_household(glostrup.municipality, arrival=ARRIVAL)
    volunteer = make_volunteer(glostrup.municipality, status=VolunteerStatus.APPROVED, with_account=True)
    match = make_match(household, volunteer, status=MatchStatus.ACTIVE, started_on=ARRIVAL)
    day = TODAY - dt.timedelta(days=1)
    with pytest.raises(workflow.MatchError, match="1 til 1440"):
        followup.log_meeting(match, actor=volunteer.user, on=day, minutes=0, kind=MeetingKind.PHONE)
    followup.log_meeting(match, actor=volunteer.user, on=day, minutes=45, kind=MeetingKind.PHONE)
    with pytest.raises(workflow.MatchError, match="allerede registreret"):
        followup.log_meeting(match, actor=volunteer.user, on=day, minutes=45, kind=MeetingKind.PHONE)
    followup.log_meeting(match, actor=volunteer.user, on=day, minutes=30, kind=MeetingKind.IN_PERSON)
    assert len(match.meetings) == 2
