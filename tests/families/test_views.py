"""The case pages through HTTP: registering, viewing (audited), editing, stale saves and errors."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.factories import household_data, make_household, make_municipality
from tests.support import csrf_token, login_as
from volunteer_hub.audit.models import AuditEvent
from volunteer_hub.core.clock import local_today
from volunteer_hub.extensions import db
from volunteer_hub.families.card import contact_card_fields, render_contact_card
from volunteer_hub.families.models import ConsentScope, Household
from volunteer_hub.families.services.households import update_household


@pytest.fixture
def coordinator(client, glostrup):
    """Glostrup's coordinator, signed in on ``client``."""
    login_as(client, glostrup.coordinator_login)
    return glostrup.coordinator_login


def _household(app, **kwargs):
    with app.app_context():
        from volunteer_hub.tenancy.services import get_municipality_by_code

        household = make_household(get_municipality_by_code("0161"), **kwargs)
        db.session.commit()
        return household.id


def _registration_form(token, arrival):
    form = {
        "csrf_token": token,
        "arrival_on": arrival.isoformat(),
        "name": "Haile family",
        "contact_name": "Senait Haile",
        "phone": "52 12 34 56",
        "email": "senait@example.dk",
        "postcode": "2600",
        "address": "Hovedvejen 12",
        "languages-0-language": "ti",
        "languages-0-level": "native",
        "languages-1-language": "ar",
        "languages-1-level": "basic",
        "schemes": ["family_buddy", "child_culture"],
        "interests": ["football"],
        "availability": ["weekend"],
        "consent_on": arrival.isoformat(),
        "consent_scope": "contact_card",
        "members-0-name": "Senait Haile",
        "members-0-kind": "adult",
        "members-0-birth_year": "1990",
        "members-1-name": "Yonas Haile",
        "members-1-kind": "adult",
        "members-1-birth_year": "1987",
        "members-2-name": "Yara Haile",
        "members-2-kind": "child",
        "members-2-birth_year": "2016",
        "members-3-name": "Noah Haile",
        "members-3-kind": "child",
        "members-3-birth_year": "2022",
    }
    return form


def test_coordinator_registers_a_household_and_sees_its_deadlines(app, client, coordinator):
    arrival = local_today() - dt.timedelta(days=15)
    response = client.post(
        "/familier/ny", data=_registration_form(csrf_token(client, "/familier/ny"), arrival)
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Haile family" in html and "F0001" in html
    # one welcome letter and two internship deadlines, all overdue by one day
    assert html.count("Forfalden med 1 dag") == 3
    with app.app_context():
        household = db.session.execute(db.select(Household)).scalar_one()
        assert household.phone == "+4552123456"
        assert [m.name for m in household.children] == ["Yara Haile", "Noah Haile"]
        assert household.scheme_codes == ["family_buddy", "child_culture"]


def test_registration_errors_say_what_is_wrong_and_where(app, client, coordinator):
    form = _registration_form(csrf_token(client, "/familier/ny"), local_today())
    form.update(
        {
            "postcode": "9999",
            "members-0-kind": "child",
            "members-1-kind": "child",
            "languages-1-level": "",
            "consent_scope": "",
        }
    )
    response = client.post("/familier/ny", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Skriv et dansk postnummer på 4 cifre, f.eks. 2600." in html
    assert 'href="#members"' in html  # the summary links to the members fieldset
    assert 'href="#languages"' in html
    assert 'href="#consent_scope"' in html
    with app.app_context():
        assert db.session.execute(db.select(Household)).first() is None


def test_every_view_of_a_case_is_audited(app, client, coordinator):
    household_id = _household(app)
    for path in ("", "/oplysninger", "/modtagelse", "/bolig", "/fritid"):
        assert client.get(f"/familier/{household_id}{path}").status_code == 200
    with app.app_context():
        events = (
            db.session.execute(db.select(AuditEvent).where(AuditEvent.action == "family.viewed"))
            .scalars()
            .all()
        )
        assert len(events) == 5
        assert {e.object_id for e in events} == {household_id}
        assert all(e.actor_user_id == coordinator.id for e in events)
        assert all(set(e.details) == {"endpoint"} for e in events)  # no personal data in the trail


def test_a_stale_edit_form_is_refused_with_409_and_nothing_is_overwritten(app, client, coordinator):
    household_id = _household(app)
    page = client.get(f"/familier/{household_id}/oplysninger").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    with app.app_context():  # a colleague saves first
        household = db.session.get(Household, household_id)
        update_household(
            household,
            household_data(name="Saved by a colleague"),
            expected_version=household.version_id,
            actor=None,
        )
        db.session.commit()
    form = {
        "csrf_token": csrf_token(client),
        "version": version,
        "name": "My late change",
        "contact_name": "Senait Haile",
        "postcode": "2600",
        "languages-0-language": "ti",
        "languages-0-level": "native",
        "registered_on": "2026-11-01",
    }
    response = client.post(f"/familier/{household_id}/oplysninger", data=form)
    assert response.status_code == 409
    assert "Nogen har gemt ændringer i sagen, mens du redigerede den" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Household, household_id).name == "Saved by a colleague"


def test_member_pages_save_work_danish_and_child_details(app, client, coordinator):
    household_id = _household(app, children_birth_years=(2016,))
    with app.app_context():
        household = db.session.get(Household, household_id)
        adult_id, child_id, version = household.adults[0].id, household.children[0].id, household.version_id
    token = csrf_token(client)
    response = client.post(
        f"/familier/{household_id}/medlemmer/{adult_id}",
        data={
            "csrf_token": token,
            "version": version,
            "name": "Senait Haile",
            "birth_year": "1990",
            "arrival_on": "2026-11-01",
            "arrival_route": "asylum",
            "job_centre_contact": "Jobcenter: Lise",
            "workplace_name": "Plejecenter Glostrup",
            "sector": "care",
            "offered_on": "2026-11-10",
            "internship_status": "accepted",
            "language_school": "Sprogcenter Vestegnen",
            "programme": "2",
            "module": "1",
            "class_start_on": "2026-11-15",
            "schedule": "Man, ons 9-12",
        },
    )
    assert response.status_code == 302
    response = client.post(
        f"/familier/{household_id}/medlemmer/{child_id}",
        data={
            "csrf_token": token,
            "version": version + 1,
            "name": "Yara Haile",
            "birth_year": "2016",
            "arrival_on": "2026-11-01",
            "arrival_route": "asylum",
            "school": "Nordvangskolen",
            "school_class": "4.b",
            "reception_class": "y",
            "ppr_contact": "PPR: Hanne",
        },
    )
    assert response.status_code == 302
    html = client.get(f"/familier/{household_id}").get_data(as_text=True)
    for text in (
        "Plejecenter Glostrup",
        "Sprogcenter Vestegnen",
        "Nordvangskolen, 4.b",
        "PPR: Hanne",
        "Jobcenter: Lise",
    ):
        assert text in html


def test_internship_without_date_is_refused_with_a_message_by_the_field(app, client, coordinator):
    household_id = _household(app)
    with app.app_context():
        household = db.session.get(Household, household_id)
        adult_id, version = household.adults[0].id, household.version_id
    response = client.post(
        f"/familier/{household_id}/medlemmer/{adult_id}",
        data={
            "csrf_token": csrf_token(client),
            "version": version,
            "name": "Senait Haile",
            "arrival_on": "2026-11-01",
            "arrival_route": "asylum",
            "workplace_name": "Plejecenter",
            "sector": "care",
            "offered_on": "not a date",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Skriv en dato som ÅÅÅÅ-MM-DD" in html
    assert 'id="offered_on-error"' in html


def test_health_check_moves_one_step_at_a_time_from_the_reception_page(app, client, coordinator):
    household_id = _household(app)
    with app.app_context():
        version = db.session.get(Household, household_id).version_id
    page = client.get(f"/familier/{household_id}/modtagelse").get_data(as_text=True)
    assert '<option value="offered">' in page and '<option value="done">' not in page
    response = client.post(
        f"/familier/{household_id}/modtagelse/helbredstjek",
        data={
            "health-csrf_token": csrf_token(client),
            "health-version": version,
            "health-status": "done",
            "health-on": "2026-11-05",
        },
    )
    assert response.status_code == 400  # "done" is not a choice before the check is offered
    response = client.post(
        f"/familier/{household_id}/modtagelse/helbredstjek",
        data={
            "health-csrf_token": csrf_token(client),
            "health-version": version,
            "health-status": "offered",
            "health-on": "2026-11-05",
        },
    )
    assert response.status_code == 302


def test_leisure_page_suggests_offers_that_fit_interests_and_ages(app, client, coordinator):
    household_id = _household(app, children_birth_years=(2016,), interests=["football", "chess"])
    with app.app_context():
        from volunteer_hub.families.models import LeisureKind
        from volunteer_hub.families.services.registers import LeisureOfferData, save_leisure_offer
        from volunteer_hub.tenancy.services import get_municipality_by_code

        glostrup = get_municipality_by_code("0161")
        save_leisure_offer(
            None,
            LeisureOfferData(
                "GIF fodbold",
                LeisureKind.SPORTS_CLUB,
                min_age=5,
                max_age=16,
                interests=["football"],
                leisure_pass=True,
            ),
            municipality_id=glostrup.id,
            actor=None,
        )
        save_leisure_offer(
            None,
            LeisureOfferData("Seniorskak", LeisureKind.OTHER, min_age=65, interests=["chess"]),
            municipality_id=glostrup.id,
            actor=None,
        )
        db.session.commit()
    html = client.get(f"/familier/{household_id}/fritid").get_data(as_text=True)
    assert "GIF fodbold" in html and "Seniorskak" not in html


def test_contact_card_shows_only_what_a_volunteer_needs(ctx):
    glostrup = make_municipality()
    household = make_household(glostrup, notes="Private note", address="Hovedvejen 12")
    db.session.commit()
    fields = contact_card_fields(household)
    assert fields["first_name"] == "Senait"
    assert fields["address"] == ""  # the consent covers the area, not the street address
    with ctx.test_request_context():
        html = str(render_contact_card(household))
    assert (
        "Senait" in html and "Haile" not in html and "Hovedvejen" not in html and "Private note" not in html
    )
    assert "52 12 34 56" in html and "2600 Glostrup" in html and "Tigrinya" in html and "Fodbold" in html
    household.consent_scope = ConsentScope.CONTACT_CARD_AND_ADDRESS
    assert contact_card_fields(household)["address"] == "Hovedvejen 12"
    household.consent_on = None
    assert "phone" not in contact_card_fields(household)


def test_a_member_registered_by_mistake_can_be_removed_but_not_the_last_adult(app, client, coordinator):
    household_id = _household(app, children_birth_years=(2016,))
    with app.app_context():
        household = db.session.get(Household, household_id)
        adult_id, child_id, version = household.adults[0].id, household.children[0].id, household.version_id
    token = csrf_token(client)
    response = client.post(
        f"/familier/{household_id}/medlemmer/{adult_id}/fjern",
        data={"remove-csrf_token": token, "remove-version": version},
        follow_redirects=True,
    )
    assert "Den sidste voksne kan ikke fjernes" in response.get_data(as_text=True)
    response = client.post(
        f"/familier/{household_id}/medlemmer/{child_id}/fjern",
        data={"remove-csrf_token": token, "remove-version": version},
    )
    assert response.status_code == 302
    with app.app_context():
        household = db.session.get(Household, household_id)
        assert [m.id for m in household.members] == [adult_id]
        event = db.session.execute(
            db.select(AuditEvent).where(AuditEvent.action == "family.member_removed")
        ).scalar_one()
        assert event.details == {"member_id": child_id, "kind": "child"}


@pytest.mark.parametrize(
    "query", ["/familier/praktikpladser?sektor=astronaut", "/familier/fritidstilbud?type=x"]
)
def test_a_register_filter_value_that_does_not_exist_lists_nothing(app, client, coordinator, query):
    """An unknown sector or kind is no server error: nothing in the register has it."""
    with app.app_context():
        from volunteer_hub.families.models import LeisureKind, WorkSector
        from volunteer_hub.families.services.registers import (
            LeisureOfferData,
            WorkplaceData,
            save_leisure_offer,
            save_workplace,
        )

        data = WorkplaceData(name="Netto Glostrup", sector=WorkSector.RETAIL)
        save_workplace(None, data, municipality_id=coordinator.municipality_id, actor=None)
        offer = LeisureOfferData(name="Glostrup IF", kind=LeisureKind.SPORTS_CLUB)
        save_leisure_offer(None, offer, municipality_id=coordinator.municipality_id, actor=None)
        db.session.commit()
    response = client.get(query)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Netto Glostrup" not in page and "Glostrup IF" not in page


def test_a_version_that_is_no_number_is_refused_as_stale(app, client, coordinator):
    household_id = _household(app)
    token = csrf_token(client, f"/familier/{household_id}/modtagelse")
    response = client.post(f"/familier/{household_id}/modtagelse", data={"csrf_token": token, "version": "²"})
    assert response.status_code == 409
