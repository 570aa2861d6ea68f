"""Issue 18, finding 6: no page tells whether an address has an account.

Asserted by what the visitor sees and by the work done (templates rendered, tokens made),
never by timing.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import template_rendered

from tests.factories import make_municipality, make_user
from tests.support import csrf_token, login_as
from tests.volunteers.test_registration import CONTACT, fill_all_steps
from volunteer_hub.auth import services
from volunteer_hub.auth.models import User
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db
from volunteer_hub.notifications.models import OutboxMessage

TOKEN_IN_PAGE = re.compile(r'(name="csrf_token" type="hidden" value|name="csrf-token" content)="[^"]+"')


class Work:
    """What a request computed: the templates it rendered and the link tokens it hashed."""

    def __init__(self, app, monkeypatch):
        self.templates: list[str] = []
        self.token_hashes = 0
        original = services._token_hash

        def counting(token: str) -> str:
            self.token_hashes += 1
            return original(token)

        monkeypatch.setattr(services, "_token_hash", counting)
        template_rendered.connect(self._rendered, app)

    def _rendered(self, sender, template, context, **extra):
        self.templates.append(template.name)

    def take(self) -> tuple[list[str], int]:
        taken = (self.templates[:], self.token_hashes)
        self.templates.clear()
        self.token_hashes = 0
        return taken


def test_password_reset_answers_and_works_the_same_for_known_and_unknown_addresses(app, client, monkeypatch):
    with app.app_context():
        make_user(make_municipality(), Role.MUNICIPAL_COORDINATOR, email="mette@glostrup.dk")
        db.session.commit()
    work = Work(app, monkeypatch)
    answers = []
    for email in ("mette@glostrup.dk", "nobody@glostrup.dk"):
        token = csrf_token(client, "/password/forgot")
        work.take()
        response = client.post("/password/forgot", data={"csrf_token": token, "email": email})
        done = work.take()
        page = TOKEN_IN_PAGE.sub("", client.get(response.headers["Location"]).get_data(as_text=True))
        answers.append((response.status_code, response.headers["Location"], page, done))
    known, unknown = answers
    assert known[:3] == unknown[:3]
    assert known[3] == unknown[3]  # the same e-mail templates rendered, the same token hashed
    assert "emails/password_reset.txt" in known[3][0]


def test_sign_up_with_a_registered_address_looks_like_any_sign_up_and_tells_the_owner(app, client, glostrup):
    with app.app_context():
        make_user(glostrup.municipality, Role.VOLUNTEER, email="maja.holm@example.dk")
        db.session.commit()
    answers = []
    for email in ("maja.holm@example.dk", "someone.new@example.dk", "maja.holm@example.dk"):
        visitor = app.test_client()
        fill_all_steps(visitor, glostrup.red_cross_id, contact={**CONTACT, "email": email})
        response = visitor.post(
            "/bliv-frivillig/tjek", data={"csrf_token": csrf_token(visitor, "/bliv-frivillig/tjek")}
        )
        page = TOKEN_IN_PAGE.sub("", visitor.get(response.headers["Location"]).get_data(as_text=True))
        answers.append((response.status_code, response.headers["Location"], page))
    assert answers[0] == answers[1] == answers[2]
    with app.app_context():
        sent = db.session.execute(sa.select(OutboxMessage.recipient, OutboxMessage.template)).all()
    # The owner hears of it (once a day at most); the new address gets its confirmation link.
    assert sorted(sent) == [
        ("maja.holm@example.dk", "volunteer_verify_email_already_registered"),
        ("someone.new@example.dk", "volunteer_verify_email"),
    ]


@pytest.fixture
def other_municipality_account(app):
    with app.app_context():
        other = make_municipality("0165", "Albertslund Kommune")
        make_user(other, Role.MUNICIPAL_COORDINATOR, email="someone@albertslund.dk")
        db.session.commit()


def test_an_administrator_cannot_tell_an_account_in_another_municipality(
    app, client, glostrup, other_municipality_account
):
    login_as(client, glostrup.admin_login)
    pages = []
    for email in ("someone@albertslund.dk", "koordinator@glostrup.dk"):
        form = {
            "csrf_token": csrf_token(client, "/admin/users/"),
            "name": "Someone",
            "email": email,
            "role": "municipal_coordinator",
            "organisation_id": "",
        }
        response = client.post("/admin/users/", data=form)
        assert response.status_code == 400
        page = TOKEN_IN_PAGE.sub("", response.get_data(as_text=True)).replace(email, "EMAIL")
        pages.append(page)
        assert "findes allerede" not in page
        assert "kan ikke bruges til en ny konto" in page
    assert pages[0] == pages[1]
    with app.app_context():
        assert db.session.execute(sa.select(sa.func.count(User.id))).scalar() == 3
