"""The outbox delivers every message exactly once through a real SMTP server, or marks it failed."""

from __future__ import annotations

import sqlalchemy as sa

from tests.factories import make_municipality
from volunteer_hub.extensions import db
from volunteer_hub.notifications.models import OutboxMessage, OutboxStatus
from volunteer_hub.notifications.services import queue_email, resend, send_due_messages


def _queue(n: int) -> None:
    municipality = make_municipality()
    for i in range(n):
        queue_email(
            municipality_id=municipality.id,
            to=f"person{i}@example.dk",
            template="password_reset",
            language="da",
            context={"name": f"Person {i}", "url": "http://127.0.0.1/x", "minutes": 60},
        )
    db.session.commit()


def test_messages_wait_while_smtp_is_down_and_arrive_once_when_it_is_back(app, smtp_sink):
    with app.app_context():
        _queue(3)
        smtp_sink.stop()
        assert send_due_messages() == {"sent": 0, "retry": 3, "failed": 0}
        smtp_sink.start()
        assert send_due_messages()["sent"] == 3
        assert send_due_messages() == {"sent": 0, "retry": 0, "failed": 0}
    ids = [m["Message-ID"] for m in smtp_sink.messages]
    assert len(ids) == 3 and len(set(ids)) == 3
    assert sorted(m["To"] for m in smtp_sink.messages) == [f"person{i}@example.dk" for i in range(3)]
    assert smtp_sink.messages[0]["Subject"] == "Vælg en ny adgangskode til Volunteer Hub"


def test_message_is_marked_failed_after_the_last_retry_and_can_be_resent(app, smtp_sink):
    app.config["OUTBOX_MAX_ATTEMPTS"] = 2
    try:
        with app.app_context():
            _queue(1)
            smtp_sink.stop()
            send_due_messages()
            assert send_due_messages()["failed"] == 1
            message = db.session.execute(sa.select(OutboxMessage)).scalar_one()
            assert message.status == OutboxStatus.FAILED
            assert message.last_error == "ConnectionRefusedError"
            original_id = message.message_id
            resend(message)
            db.session.commit()
            smtp_sink.start()
            assert send_due_messages()["sent"] == 1
    finally:
        app.config["OUTBOX_MAX_ATTEMPTS"] = 8
    [delivered] = smtp_sink.messages
    assert delivered["Message-ID"] == original_id


def test_no_message_exists_when_the_causing_transaction_rolls_back(app):
    with app.app_context():
        municipality = make_municipality()
        db.session.commit()
        queue_email(
            municipality_id=municipality.id,
            to="x@example.dk",
            template="password_reset",
            language="da",
            context={"name": "X", "url": "u", "minutes": 1},
        )
        db.session.rollback()
        assert db.session.execute(sa.select(sa.func.count(OutboxMessage.id))).scalar() == 0
