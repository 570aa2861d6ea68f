"""Staff sign in with a second factor; codes work once; sessions idle out; re-authentication."""

from __future__ import annotations

import re
import time

import pytest

from tests.factories import PASSWORD, make_municipality, make_user
from tests.support import csrf_token
from volunteer_hub.auth import totp
from volunteer_hub.auth.models import User
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db


@pytest.fixture
def two_factor_app(app):
    app.config["STAFF_TWO_FACTOR_REQUIRED"] = True
    yield app
    app.config["STAFF_TWO_FACTOR_REQUIRED"] = False


def test_rfc6238_reference_code():
    # RFC 6238 appendix B, SHA-1, T = 59 s, secret "12345678901234567890": 94287082 (8 digits).
    import base64

    secret = base64.b32encode(b"12345678901234567890").decode()
    assert totp.code_at(secret, totp.time_step(59)) == "287082"


def _make(app, role=Role.MUNICIPAL_COORDINATOR, email="staff@glostrup.dk"):
    with app.app_context():
        user = make_user(make_municipality(), role, email=email)
        db.session.commit()
        return user.id


def _password_step(client, email="staff@glostrup.dk"):
    return client.post(
        "/login", data={"csrf_token": csrf_token(client, "/login"), "email": email, "password": PASSWORD}
    )


def _enrol(app, client):
    """Sign in for the first time: set up the authenticator; returns (secret, recovery codes)."""
    response = _password_step(client)
    assert response.headers["Location"] == "/login/setup-code"
    page = client.get("/login/setup-code").get_data(as_text=True)
    secret = re.search(r'vh-secret">([A-Z2-7]+)<', page).group(1)
    code = totp.code_at(secret, totp.time_step(time.time()))
    token = csrf_token(client, "/login/setup-code")
    done = client.post("/login/setup-code", data={"csrf_token": token, "code": code})
    assert done.status_code == 200
    codes = re.findall(r"<code>([0-9a-f]{8}-[0-9a-f]{8})</code>", done.get_data(as_text=True))
    return secret, codes


def test_staff_must_set_up_and_use_a_second_factor(two_factor_app, client):
    _make(two_factor_app)
    _password_step(client)
    assert client.get("/").status_code == 302  # the password alone does not sign in
    secret, codes = _enrol(two_factor_app, client)
    assert len(codes) == 10
    assert client.get("/").status_code == 200


def test_a_code_is_refused_when_reused_within_its_time_step(two_factor_app, client):
    _make(two_factor_app)
    secret, _codes = _enrol(two_factor_app, client)
    with two_factor_app.app_context():
        used_step = db.session.execute(db.select(User)).scalar_one().totp_last_step
    client.post("/logout", data={"csrf_token": csrf_token(client)})

    _password_step(client)
    replay = client.post(
        "/login/code",
        data={"csrf_token": csrf_token(client, "/login/code"), "code": totp.code_at(secret, used_step)},
    )
    assert replay.status_code == 400
    assert "forkert eller allerede brugt" in replay.get_data(as_text=True)
    assert client.get("/").status_code == 302

    # The next step's code works once, and not a second time.
    with two_factor_app.app_context():
        from volunteer_hub.auth import two_factor

        user = db.session.execute(db.select(User)).scalar_one()
        next_code = totp.code_at(secret, used_step + 1)
        assert two_factor.verify_second_factor(user, next_code, now=(used_step + 1) * 30 + 1)
        assert not two_factor.verify_second_factor(user, next_code, now=(used_step + 1) * 30 + 2)
        db.session.rollback()


def test_a_recovery_code_works_once(two_factor_app, client):
    _make(two_factor_app)
    _secret, codes = _enrol(two_factor_app, client)
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    for expected in (302, 400):
        _password_step(client)
        response = client.post(
            "/login/code", data={"csrf_token": csrf_token(client, "/login/code"), "code": codes[0]}
        )
        assert response.status_code == expected
        if expected == 302:
            client.post("/logout", data={"csrf_token": csrf_token(client)})


def test_volunteers_sign_in_without_a_second_factor(two_factor_app, client):
    _make(two_factor_app, Role.VOLUNTEER, email="vol@example.dk")
    assert _password_step(client, "vol@example.dk").headers["Location"] == "/"


def test_code_page_without_password_step_is_not_found(two_factor_app, client):
    assert client.get("/login/code").status_code == 404
    assert client.get("/login/setup-code").status_code == 404


def test_idle_staff_session_is_signed_out(app, client):
    _make(app)
    _password_step(client)
    assert client.get("/").status_code == 200
    with client.session_transaction() as session:
        session["vh_seen_at"] = int(time.time()) - app.config["STAFF_IDLE_TIMEOUT_SECONDS"] - 1
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/").status_code == 302


def test_role_change_needs_recent_authentication(app, client):
    admin_id = _make(app, Role.ADMIN, email="admin@glostrup.dk")
    other_id = _make(app, Role.MUNICIPAL_COORDINATOR, email="other@glostrup.dk")
    _password_step(client, "admin@glostrup.dk")
    path = f"/admin/users/{other_id}"
    assert client.get(path).status_code == 200  # just signed in
    with client.session_transaction() as session:
        session["vh_auth_at"] = int(time.time()) - app.config["REAUTH_MAX_AGE_SECONDS"] - 1
    response = client.get(path)
    assert response.status_code == 302 and "/login/confirm" in response.headers["Location"]
    confirm = response.headers["Location"]
    wrong = client.post(confirm, data={"csrf_token": csrf_token(client), "password": "nope"})
    assert wrong.status_code == 400
    ok = client.post(confirm, data={"csrf_token": csrf_token(client), "password": PASSWORD})
    assert ok.headers["Location"] == path
    changed = client.post(
        path, data={"csrf_token": csrf_token(client, path), "role": "admin", "organisation_id": ""}
    )
    assert changed.status_code == 302
    with app.app_context():
        assert db.session.get(User, other_id).role == Role.ADMIN
        assert db.session.get(User, admin_id).role == Role.ADMIN


def test_admin_invites_a_partner_coordinator_who_sets_a_password(app, client, smtp_sink):
    from volunteer_hub.notifications.services import send_due_messages
    from volunteer_hub.tenancy.services import ensure_organisation

    _make(app, Role.ADMIN, email="admin@glostrup.dk")
    with app.app_context():
        organisation = ensure_organisation(make_municipality(), "Røde Kors Glostrup")
        db.session.commit()
        organisation_id = organisation.id
    _password_step(client, "admin@glostrup.dk")
    form = {"csrf_token": csrf_token(client, "/admin/users/"), "name": "Peter", "email": "peter@rk.dk",
            "role": "partner_coordinator", "organisation_id": ""}
    refused = client.post("/admin/users/", data=form)
    assert refused.status_code == 400
    assert "skal høre til en organisation" in refused.get_data(as_text=True)
    form["organisation_id"] = str(organisation_id)
    assert client.post("/admin/users/", data=form).status_code == 302
    with app.app_context():
        send_due_messages()
    [mail] = smtp_sink.to("peter@rk.dk")
    assert "/password/reset/" in mail.get_content()


def test_coordinator_cannot_manage_users(app, client):
    _make(app)
    _password_step(client)
    assert client.get("/admin/users/").status_code == 403
