"""The outbox worker's edge cases: no second copy after an accepted send, no stalled queue, TLS verified."""

from __future__ import annotations

import shutil
import ssl
import subprocess

import pytest
import sqlalchemy as sa

from tests.factories import make_municipality
from tests.reliability.support import free_port
from volunteer_hub.extensions import db
from volunteer_hub.notifications.models import OutboxMessage, OutboxStatus
from volunteer_hub.notifications.services import queue_email, send_due_messages


class RecordingHandler:
    """An aiosmtpd handler that keeps the Message-IDs it accepted; QUIT can be made to fail."""

    def __init__(self, quit_reply: str | None = None) -> None:
        self.message_ids: list[str] = []
        self.quit_reply = quit_reply

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        from email import message_from_bytes, policy

        self.message_ids.append(message_from_bytes(envelope.content, policy=policy.default)["Message-ID"])
        return "250 OK"

    async def handle_QUIT(self, server, session, envelope):  # noqa: N802
        from aiosmtpd.smtp import MISSING

        return self.quit_reply or MISSING


@pytest.fixture
def smtp_server(app):
    """Start an aiosmtpd server with a given handler and point the app at it."""
    from aiosmtpd.controller import Controller

    controllers = []

    def start(handler, **kwargs):
        port = free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port, **kwargs)
        controller.start()
        controllers.append(controller)
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        return controller

    previous = app.config["MAIL_SERVER"], app.config["MAIL_PORT"], app.config["MAIL_USE_STARTTLS"]
    yield start
    for controller in controllers:
        controller.stop()
    app.config["MAIL_SERVER"], app.config["MAIL_PORT"], app.config["MAIL_USE_STARTTLS"] = previous


def _queue(n: int) -> list[str]:
    municipality = make_municipality()
    ids = [
        queue_email(
            municipality_id=municipality.id,
            to=f"person{i}@example.dk",
            template="password_reset",
            language="da",
            context={"name": f"Person {i}", "url": "http://127.0.0.1/x", "minutes": 60},
        ).message_id
        for i in range(n)
    ]
    db.session.commit()
    return ids


def test_a_message_the_server_accepted_is_not_sent_again_when_quit_fails(app, smtp_server):
    handler = RecordingHandler(quit_reply="421 closing down")
    smtp_server(handler)
    with app.app_context():
        [message_id] = _queue(1)
        assert send_due_messages() == {"sent": 1, "retry": 0, "failed": 0}
        assert send_due_messages() == {"sent": 0, "retry": 0, "failed": 0}
    assert handler.message_ids == [message_id]


def test_a_message_that_cannot_be_built_fails_at_once_and_the_queue_goes_on(app, smtp_server):
    handler = RecordingHandler()
    smtp_server(handler)
    with app.app_context():
        bad, good = _queue(2)
        # A header with a line break can never be sent; it must not block the message behind it.
        db.session.execute(
            sa.update(OutboxMessage).where(OutboxMessage.message_id == bad).values(subject="Hej\nBcc: x@y.dk")
        )
        db.session.commit()
        assert send_due_messages() == {"sent": 1, "retry": 0, "failed": 1}
        row = db.session.execute(sa.select(OutboxMessage).where(OutboxMessage.message_id == bad)).scalar_one()
        assert row.status == OutboxStatus.FAILED and row.attempts == 1 and row.last_error == "ValueError"
    assert handler.message_ids == [good]


def test_starttls_refuses_a_server_whose_certificate_cannot_be_verified(app, smtp_server, tmp_path):
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a self-signed certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    handler = RecordingHandler()
    smtp_server(handler, tls_context=context, require_starttls=True)
    app.config["MAIL_USE_STARTTLS"] = True
    with app.app_context():
        _queue(1)
        # An unverifiable certificate may be a man in the middle: nothing is sent to it.
        assert send_due_messages() == {"sent": 0, "retry": 1, "failed": 0}
        row = db.session.execute(sa.select(OutboxMessage)).scalar_one()
        assert row.last_error == "SSLCertVerificationError"
    assert handler.message_ids == []
