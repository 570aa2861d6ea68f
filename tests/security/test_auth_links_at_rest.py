"""Issue 18, finding 5: no usable link at rest.

Sent password-reset, invitation and e-mail-confirmation messages used to keep working links in the
outbox (and so in every backup), and the confirmation token was readable base64 carrying the
address. Now tokens are random and stored hashed, and a delivered e-mail's stored body loses them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re

import sqlalchemy as sa

from tests.factories import make_municipality, make_user
from tests.support import csrf_token
from volunteer_hub.auth import services
from volunteer_hub.auth.models import EmailVerificationToken
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db
from volunteer_hub.notifications.models import OutboxMessage, OutboxStatus
from volunteer_hub.notifications.services import send_due_messages
from volunteer_hub.volunteers import signup
from volunteer_hub.volunteers.services import Consents, Profile

LINK = re.compile(r"https?://\S+?(/(?:password/reset|bliv-frivillig/bekraeft)/\S+)")


def _profile() -> Profile:
    return Profile(
        first_name="Maja",
        last_name="Holm",
        phone=None,
        postcode="2600",
        birth_year=1990,
        gender=None,
        organisation_id=None,
        languages={"da": "native"},
        schemes=["family_buddy"],
        language="da",
    )


def _delivered_link(smtp_sink, address: str) -> str:
    [mail] = smtp_sink.to(address)
    return LINK.search(mail.get_content()).group(1)


def _stored_body(app, template: str) -> str:
    with app.app_context():
        message = db.session.execute(
            sa.select(OutboxMessage).where(OutboxMessage.template == template)
        ).scalar_one()
        assert message.status == OutboxStatus.SENT
        return message.body


def test_a_delivered_reset_email_keeps_no_working_link(app, client, smtp_sink):
    with app.app_context():
        make_user(make_municipality(), Role.MUNICIPAL_COORDINATOR, email="mette@glostrup.dk")
        db.session.commit()
    client.post(
        "/password/forgot",
        data={"csrf_token": csrf_token(client, "/password/forgot"), "email": "mette@glostrup.dk"},
    )
    with app.app_context():
        send_due_messages()
    path = _delivered_link(smtp_sink, "mette@glostrup.dk")
    assert client.get(path).status_code == 200  # the e-mailed link works
    body = _stored_body(app, "password_reset")
    token = path.rsplit("/", 1)[1]
    assert token not in body
    for found in LINK.finditer(body):
        assert client.get(found.group(1)).status_code == 404


def test_a_delivered_invitation_keeps_no_working_link(app, smtp_sink):
    with app.app_context():
        admin = make_user(make_municipality(), Role.ADMIN, email="admin@glostrup.dk")
        services.invite_staff_user(
            actor=admin,
            email="ny@glostrup.dk",
            name="Ny",
            role=Role.MUNICIPAL_COORDINATOR,
            organisation_id=None,
            reset_url_for=lambda token: f"http://127.0.0.1:5000/password/reset/{token}",
        )
        db.session.commit()
        send_due_messages()
    token = _delivered_link(smtp_sink, "ny@glostrup.dk").rsplit("/", 1)[1]
    assert token not in _stored_body(app, "account_invitation")


def test_the_confirmation_link_is_opaque_stored_hashed_and_removed_after_delivery(app, client, smtp_sink):
    email = "maja.holm@example.dk"
    with app.app_context():
        signup.submit_registration(make_municipality(), email, _profile(), Consents(True, True, True))
        db.session.commit()
        send_due_messages()
    path = _delivered_link(smtp_sink, email)
    token = path.rsplit("/", 1)[1]
    # Opaque: no part of the token decodes to the address (it used to be base64 of [id, address]).
    for part in re.split(r"[.:]", token):
        try:
            decoded = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        except (binascii.Error, ValueError):
            continue
        assert b"maja" not in decoded.lower()
    with app.app_context():
        stored = db.session.execute(sa.select(EmailVerificationToken.token_hash)).scalar_one()
        assert stored == hashlib.sha256(token.encode()).hexdigest()
    assert token not in _stored_body(app, "volunteer_verify_email")
    assert client.get(path).status_code == 200  # the e-mailed link still works
