"""Issue 20, item 3: suspending asks for confirmation with a reason, and a suspended volunteer
can be reinstated (with a reason, audited, a move of the state machine)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.factories import make_volunteer
from tests.support import csrf_token, login_as
from volunteer_hub.audit.models import AuditEvent
from volunteer_hub.extensions import db
from volunteer_hub.notifications.models import OutboxMessage
from volunteer_hub.volunteers import services
from volunteer_hub.volunteers.models import Volunteer, VolunteerStatus

S = VolunteerStatus


def test_reinstate_is_a_move_of_the_state_machine_from_suspended_to_approved():
    reinstate = services.TRANSITIONS["reinstate"]
    assert reinstate.sources == {S.SUSPENDED} and reinstate.target == S.APPROVED
    assert reinstate.by_coordinator and not reinstate.by_volunteer and reinstate.needs_reason
    assert services.TRANSITIONS["suspend"].needs_confirmation


def test_a_coordinator_reinstates_with_a_reason_and_it_is_audited_and_emailed(ctx, glostrup):
    volunteer = make_volunteer(glostrup.municipality, status=S.APPROVED, with_account=True)
    coordinator = glostrup.coordinator
    services.suspend(volunteer, coordinator, "Vi har modtaget en klage.")
    with pytest.raises(services.TransitionError, match="grund|reason"):
        services.reinstate(volunteer, coordinator, "  ")
    with pytest.raises(services.NotPermittedError):
        services.reinstate(volunteer, volunteer.user, "Jeg vil gerne igen.")
    services.reinstate(volunteer, coordinator, "Klagen er undersøgt og afvist.")
    assert volunteer.status == S.APPROVED
    assert volunteer.status_reason == "Klagen er undersøgt og afvist."
    event = db.session.execute(
        sa.select(AuditEvent).where(AuditEvent.action == "volunteer.reinstate")
    ).scalar_one()
    assert event.actor_user_id == coordinator.id
    assert event.details == {"from_status": "suspended", "to_status": "approved"}
    message = db.session.execute(
        sa.select(OutboxMessage).where(OutboxMessage.template == "volunteer_reinstated")
    ).scalar_one()
    assert "Klagen er undersøgt og afvist." in message.body
    assert "frivillig igen" in message.subject


def test_suspend_is_a_link_to_a_confirmation_page_not_a_one_click_button(app, client, glostrup):
    with app.app_context():
        volunteer_id = make_volunteer(glostrup.municipality, status=S.APPROVED, first_name="Bo").id
        db.session.commit()
    login_as(client, glostrup.coordinator_login)
    confirm_url = f"/frivillige/{volunteer_id}/status/suspend/bekraeft"
    post_url = f"/frivillige/{volunteer_id}/status/suspend"
    detail = client.get(f"/frivillige/{volunteer_id}").get_data(as_text=True)
    assert f'href="{confirm_url}"' in detail
    assert f'action="{post_url}"' not in detail  # no one-click form on the volunteer's page
    page = client.get(confirm_url)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Vil du suspendere Bo Jensen?" in text
    assert f'action="{post_url}"' in text and 'name="suspend-reason"' in text
    assert "genindsætte" in text
    token = csrf_token(client, confirm_url)
    without_reason = client.post(post_url, data={"suspend-csrf_token": token, "suspend-reason": ""})
    assert without_reason.status_code == 400
    assert "Vil du suspendere Bo Jensen?" in without_reason.get_data(as_text=True)
    done = client.post(post_url, data={"suspend-csrf_token": token, "suspend-reason": "En klage."})
    assert done.status_code == 302
    with app.app_context():
        assert db.session.get(Volunteer, volunteer_id).status == S.SUSPENDED


def test_a_suspended_volunteers_page_offers_reinstatement(app, client, glostrup):
    with app.app_context():
        volunteer = make_volunteer(glostrup.municipality, status=S.APPROVED)
        services.suspend(volunteer, glostrup.coordinator, "En klage.")
        db.session.commit()
        volunteer_id = volunteer.id
    login_as(client, glostrup.coordinator_login)
    url = f"/frivillige/{volunteer_id}"
    detail = client.get(url).get_data(as_text=True)
    reinstate_url = f"{url}/status/reinstate"
    assert f'href="{reinstate_url}/bekraeft"' in detail and "Genindsæt" in detail
    confirm = client.get(f"{reinstate_url}/bekraeft").get_data(as_text=True)
    assert "Vil du genindsætte Anna Jensen?" in confirm
    response = client.post(
        reinstate_url,
        data={"reinstate-csrf_token": csrf_token(client, url), "reinstate-reason": "Sagen er afklaret."},
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Volunteer, volunteer_id).status == S.APPROVED


def test_a_confirmation_page_exists_only_for_grave_moves_possible_now(app, client, glostrup):
    with app.app_context():
        volunteer_id = make_volunteer(glostrup.municipality, status=S.PENDING).id
        db.session.commit()
    login_as(client, glostrup.coordinator_login)
    not_now = client.get(f"/frivillige/{volunteer_id}/status/reinstate/bekraeft")
    assert not_now.status_code == 303 and not_now.headers["Location"].endswith(f"/frivillige/{volunteer_id}")
    assert client.get(f"/frivillige/{volunteer_id}/status/approve/bekraeft").status_code == 404
    assert client.get(f"/frivillige/{volunteer_id}/status/approve").status_code == 405
