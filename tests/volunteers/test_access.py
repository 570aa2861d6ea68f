"""Who sees which volunteer: partner coordinators only their own organisation's, never by guessing ids."""

from __future__ import annotations

import pytest

from tests.factories import make_municipality, make_organisation, make_user, make_volunteer
from tests.support import csrf_token, login_as
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db
from volunteer_hub.volunteers.models import Volunteer, VolunteerStatus


@pytest.fixture
def world(app):
    with app.app_context():
        glostrup = make_municipality()
        red_cross = make_organisation(glostrup, "Røde Kors Glostrup")
        sports = make_organisation(glostrup, "Glostrup Idrætsforening")
        albertslund = make_municipality("0165", "Albertslund Kommune")
        ids = {
            "partner": make_user(glostrup, Role.PARTNER_COORDINATOR, organisation=red_cross).id,
            "coordinator": make_user(glostrup, Role.MUNICIPAL_COORDINATOR).id,
            "elsewhere": make_user(albertslund, Role.MUNICIPAL_COORDINATOR).id,
            "own": make_volunteer(glostrup, organisation=red_cross, first_name="Rikke").id,
            "foreign": make_volunteer(glostrup, organisation=sports, first_name="Fodbold-Finn").id,
            "independent": make_volunteer(glostrup, first_name="Ingrid").id,
            "volunteer_self": make_volunteer(glostrup, with_account=True, first_name="Selma").id,
        }
        db.session.commit()
        return ids


def _login(app, client, user_id):
    from volunteer_hub.auth.models import User

    with app.app_context():
        login_as(client, db.session.get(User, user_id))


def _status(app, volunteer_id):
    with app.app_context():
        return db.session.get(Volunteer, volunteer_id).status


def test_partner_coordinator_lists_only_their_own_organisations_volunteers(app, client, world):
    _login(app, client, world["partner"])
    page = client.get("/frivillige").get_data(as_text=True)
    assert "Rikke" in page
    assert "Fodbold-Finn" not in page and "Ingrid" not in page


@pytest.mark.parametrize("target", ["foreign", "independent"])
def test_partner_coordinator_gets_404_for_another_organisations_volunteer(app, client, world, target):
    _login(app, client, world["partner"])
    volunteer_id = world[target]
    assert client.get(f"/frivillige/{volunteer_id}").status_code == 404
    token = csrf_token(client, "/frivillige")
    for action in ("approve", "request_information", "reject"):
        response = client.post(
            f"/frivillige/{volunteer_id}/status/{action}",
            data={"csrf_token": token, f"{action}-csrf_token": token, f"{action}-reason": "x"},
        )
        assert response.status_code == 404
    response = client.post(
        f"/frivillige/{volunteer_id}/boerneattest",
        data={
            "certificate-csrf_token": token,
            "certificate-state": "received_ok",
            "certificate-received_on": "2026-01-01",
        },
    )
    assert response.status_code == 404
    assert _status(app, volunteer_id) == VolunteerStatus.PENDING


def test_guessed_ids_reveal_nothing(app, client, world):
    _login(app, client, world["partner"])
    answers = {client.get(f"/frivillige/{i}").status_code for i in range(1, 60) if i != world["own"]}
    assert answers == {404}
    assert client.get(f"/frivillige/{world['own']}").status_code == 200


def test_partner_coordinator_can_approve_their_own_volunteer(app, client, world):
    _login(app, client, world["partner"])
    token = csrf_token(client, f"/frivillige/{world['own']}")
    response = client.post(f"/frivillige/{world['own']}/status/approve", data={"approve-csrf_token": token})
    assert response.status_code == 302
    assert _status(app, world["own"]) == VolunteerStatus.APPROVED


def test_municipal_coordinator_sees_every_volunteer_of_the_municipality(app, client, world):
    _login(app, client, world["coordinator"])
    page = client.get("/frivillige").get_data(as_text=True)
    assert all(name in page for name in ("Rikke", "Fodbold-Finn", "Ingrid"))
    assert client.get(f"/frivillige/{world['foreign']}").status_code == 200


def test_another_municipalitys_coordinator_sees_nothing(app, client, world):
    _login(app, client, world["elsewhere"])
    assert "Rikke" not in client.get("/frivillige").get_data(as_text=True)
    for key in ("own", "foreign", "independent"):
        assert client.get(f"/frivillige/{world[key]}").status_code == 404


def test_volunteers_cannot_open_the_coordinators_pages(app, client, world):
    from volunteer_hub.auth.models import User

    with app.app_context():
        user_id = db.session.get(Volunteer, world["volunteer_self"]).user_id
        login_as(client, db.session.get(User, user_id))
    assert client.get("/frivillige").status_code == 403
    assert client.get(f"/frivillige/{world['volunteer_self']}").status_code == 403
    assert client.get("/min-side").status_code == 200


def test_coordinator_cannot_use_the_volunteers_own_pages(app, client, world):
    _login(app, client, world["coordinator"])
    assert client.get("/min-side").status_code == 403
    assert client.get("/min-side/data.json").status_code == 403
