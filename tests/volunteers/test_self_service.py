"""The volunteer's own pages: status, profile changes, pause and resume, withdrawal."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.factories import make_municipality, make_organisation, make_volunteer
from tests.support import csrf_token, login_as
from volunteer_hub.auth.models import User
from volunteer_hub.extensions import db
from volunteer_hub.notifications.models import OutboxMessage
from volunteer_hub.volunteers.models import Volunteer, VolunteerStatus

PROFILE = {
    "first_name": "Anna",
    "last_name": "Jensen-Ali",
    "phone": "+4520304050",
    "postcode": "2620",
    "birth_year": "1980",
    "gender": "",
    "organisation": "none",
    "lang_da": "native",
    "lang_ar": "fluent",
    "skills": ["cooking"],
    "interests": [],
    "schemes": ["leisure_intro"],
    "availability": ["weekend"],
    "capacity": "3",
    "about": "Ny tekst",
    "language": "en",
}


def _volunteer(app, client, status=VolunteerStatus.APPROVED, **kwargs):
    with app.app_context():
        volunteer = make_volunteer(make_municipality(), status=status, with_account=True, **kwargs)
        db.session.commit()
        login_as(client, db.session.get(User, volunteer.user_id))
        return volunteer.id


def _get(app, volunteer_id):
    with app.app_context():
        volunteer = db.session.get(Volunteer, volunteer_id)
        return volunteer, volunteer.language_levels, volunteer.schemes


def test_my_page_shows_the_status_and_the_coordinators_question(app, client):
    volunteer_id = _volunteer(
        app,
        client,
        status=VolunteerStatus.NEEDS_INFORMATION,
        status_reason="Hvor mange timer om ugen kan du?",
    )
    page = client.get("/min-side").get_data(as_text=True)
    assert "mangler oplysninger" in page
    assert "Hvor mange timer om ugen kan du?" in page
    assert volunteer_id


def test_editing_the_profile_saves_it_and_keeps_list_rows_consistent(app, client):
    volunteer_id = _volunteer(app, client)
    form = client.get("/min-side/profil").get_data(as_text=True)
    assert 'value="Jensen"' in form
    response = client.post(
        "/min-side/profil", data={"csrf_token": csrf_token(client, "/min-side/profil"), **PROFILE}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    volunteer, languages, schemes = _get(app, volunteer_id)
    assert volunteer.last_name == "Jensen-Ali" and volunteer.postcode == "2620" and volunteer.capacity == 3
    assert languages == {"da": "native", "ar": "fluent"} and schemes == ["leisure_intro"]
    assert volunteer.language == "en" and volunteer.gender is None
    with app.app_context():
        assert db.session.get(User, volunteer.user_id).name == "Anna Jensen-Ali"


def test_profile_errors_are_shown_by_the_fields(app, client):
    _volunteer(app, client)
    bad = {**PROFILE, "postcode": "0000", "schemes": [], "lang_da": "", "lang_ar": ""}
    response = client.post(
        "/min-side/profil", data={"csrf_token": csrf_token(client, "/min-side/profil"), **bad}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "0000 er ikke et dansk postnummer." in page
    assert "Vælg mindst én måde, du vil hjælpe på." in page
    assert "Vælg et niveau for mindst ét sprog, du taler." in page


def test_an_approved_volunteer_cannot_move_themselves_to_another_organisation(app, client):
    with app.app_context():
        municipality = make_municipality()
        red_cross = make_organisation(municipality, "Røde Kors Glostrup")
        sports = make_organisation(municipality, "Glostrup Idrætsforening")
        db.session.commit()
        ids = red_cross.id, sports.id
    volunteer_id = _volunteer(app, client, organisation=red_cross)
    data = {**PROFILE, "organisation": str(ids[1])}
    response = client.post(
        "/min-side/profil", data={"csrf_token": csrf_token(client, "/min-side/profil"), **data}
    )
    assert response.status_code == 400
    assert "kun ændres, før du er godkendt" in response.get_data(as_text=True)
    assert _get(app, volunteer_id)[0].organisation_id == ids[0]


@pytest.mark.parametrize(
    ("start", "action", "end"),
    [
        (VolunteerStatus.APPROVED, "pause", VolunteerStatus.PAUSED),
        (VolunteerStatus.PAUSED, "resume", VolunteerStatus.APPROVED),
        (VolunteerStatus.PENDING, "withdraw", VolunteerStatus.WITHDRAWN),
    ],
)
def test_the_volunteer_pauses_resumes_and_withdraws(app, client, start, action, end):
    volunteer_id = _volunteer(app, client, status=start)
    token = csrf_token(client, "/min-side")
    response = client.post(f"/min-side/status/{action}", data={"csrf_token": token})
    assert response.status_code == 302
    assert _get(app, volunteer_id)[0].status == end
    with app.app_context():
        assert db.session.execute(sa.select(sa.func.count(OutboxMessage.id))).scalar() == 1


def test_a_volunteer_cannot_approve_themselves_through_the_url(app, client):
    volunteer_id = _volunteer(app, client, status=VolunteerStatus.PENDING)
    token = csrf_token(client, "/min-side")
    assert client.post("/min-side/status/approve", data={"csrf_token": token}).status_code == 404
    assert client.post("/min-side/status/pause", data={"csrf_token": token}).status_code == 302
    assert _get(app, volunteer_id)[0].status == VolunteerStatus.PENDING  # pausing a pending one is refused
    assert "ikke muligt" in client.get("/min-side").get_data(as_text=True)
