"""Coordinators see what was sent to whom in which language, see failures, and resend through the page."""

from __future__ import annotations

import sqlalchemy as sa

from tests.factories import make_municipality, make_user
from tests.support import csrf_token, login_as
from volunteer_hub.audit.models import AuditEvent
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db
from volunteer_hub.notifications.models import OutboxMessage, OutboxStatus
from volunteer_hub.notifications.services import mask_address, queue_email, send_due_messages


def _queue(municipality, to: str, language: str = "da") -> OutboxMessage:
    return queue_email(
        municipality_id=municipality.id,
        to=to,
        template="password_reset",
        language=language,
        context={"name": "Navn", "url": "http://127.0.0.1/x", "minutes": 60},
    )


def _sign_in(app, client, role: Role = Role.MUNICIPAL_COORDINATOR, code: str = "0161") -> int:
    with app.app_context():
        user = make_user(
            make_municipality(code, "Glostrup Kommune" if code == "0161" else "Anden Kommune"), role
        )
        db.session.commit()
        login_as(client, user)
        return user.id


def test_failed_message_is_visible_and_resent_through_the_page_with_the_same_message_id(
    app, client, smtp_sink
):
    app.config["OUTBOX_MAX_ATTEMPTS"] = 2
    try:
        coordinator_id = _sign_in(app, client)
        with app.app_context():
            message = _queue(make_municipality(), "amanuel.haile@example.dk", "ti")
            db.session.commit()
            message_id, original = message.id, message.message_id
            smtp_sink.stop()
            send_due_messages()
            assert send_due_messages()["failed"] == 1

        page = client.get("/udbakke?status=failed").get_data(as_text=True)
        assert "a•••@example.dk" in page and "amanuel.haile@example.dk" not in page
        assert "Fejlet" in page and "ConnectionRefusedError" in page and "Tigrinya" in page
        response = client.post(
            f"/udbakke/{message_id}/send-igen", data={"csrf_token": csrf_token(client, "/udbakke")}
        )
        assert response.status_code == 302

        smtp_sink.start()
        with app.app_context():
            assert send_due_messages()["sent"] == 1
            assert send_due_messages()["sent"] == 0
            kept = db.session.get(OutboxMessage, message_id)
            assert kept.status == OutboxStatus.SENT and kept.sent_at is not None and kept.language == "ti"
            [event] = db.session.execute(
                sa.select(AuditEvent).where(AuditEvent.action == "outbox.resent")
            ).scalars()
            assert event.actor_user_id == coordinator_id and event.object_id == message_id
            assert event.details == {"template": "password_reset", "language": "ti"}
    finally:
        app.config["OUTBOX_MAX_ATTEMPTS"] = 8
    [delivered] = smtp_sink.to("amanuel.haile@example.dk")
    assert delivered["Message-ID"] == original
    sent_page = client.get("/udbakke?status=sent").get_data(as_text=True)
    assert "a•••@example.dk" in sent_page and "Send igen" not in sent_page


def test_only_a_failed_message_can_be_resent(app, client):
    _sign_in(app, client)
    with app.app_context():
        message = _queue(make_municipality(), "x@example.dk")
        db.session.commit()
        message_id = message.id
    response = client.post(
        f"/udbakke/{message_id}/send-igen",
        data={"csrf_token": csrf_token(client, "/udbakke")},
        follow_redirects=True,
    )
    assert "Kun en fejlet besked kan sendes igen." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(OutboxMessage, message_id).status == OutboxStatus.PENDING
        assert (
            db.session.execute(
                sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "outbox.resent")
            ).scalar()
            == 0
        )


def test_coordinator_finds_what_was_sent_to_an_address_they_know(app, client):
    _sign_in(app, client)
    with app.app_context():
        municipality = make_municipality()
        _queue(municipality, "first@example.dk")
        _queue(municipality, "second@example.dk", "en")
        db.session.commit()
    page = client.get("/udbakke?recipient=Second@Example.dk").get_data(as_text=True)
    assert "s•••@example.dk" in page and "f•••@example.dk" not in page and "Engelsk" in page


def test_other_municipalities_messages_are_neither_listed_nor_resendable(app, client):
    _sign_in(app, client, code="0165")
    with app.app_context():
        message = _queue(make_municipality(), "glostrup-family@example.dk")
        message.status = OutboxStatus.FAILED
        db.session.commit()
        message_id = message.id
    assert "g•••@example.dk" not in client.get("/udbakke").get_data(as_text=True)
    response = client.post(
        f"/udbakke/{message_id}/send-igen", data={"csrf_token": csrf_token(client, "/udbakke")}
    )
    assert response.status_code == 404


def test_partner_coordinators_do_not_see_the_outbox(app, client):
    _sign_in(app, client, Role.PARTNER_COORDINATOR)
    assert client.get("/udbakke").status_code == 403


def test_addresses_are_masked_to_their_first_letter_and_domain():
    assert mask_address("person@example.dk") == "p•••@example.dk"
    assert mask_address("not-an-address") == "•••"
