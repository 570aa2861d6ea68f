"""Issue 18, findings 4 and 10: one throttle for every password or code check, which slows an
attacker without locking the owner out, counted in the database so every process agrees.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
import sqlalchemy as sa

from tests.factories import PASSWORD, make_municipality, make_user
from tests.support import Login, csrf_token, login_as, make_app
from volunteer_hub.auth import throttle, totp, two_factor
from volunteer_hub.auth.models import FailedLogin, User
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db
from volunteer_hub.notifications.models import OutboxMessage

EMAIL = "mette@glostrup.dk"


def _user(app, role=Role.MUNICIPAL_COORDINATOR, email=EMAIL) -> Login:
    with app.app_context():
        user = make_user(make_municipality(), role, email=email)
        db.session.commit()
        return Login(user)


def _client(app, address: str = "192.0.2.10"):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _login(client, password: str, email: str = EMAIL):
    token = csrf_token(client, "/login")
    return client.post("/login", data={"csrf_token": token, "email": email, "password": password})


def _stale(client) -> None:
    with client.session_transaction() as session:
        session["vh_auth_at"] = int(time.time()) - 3600


def _confirm(client, password: str, code: str | None = None):
    data = {"csrf_token": csrf_token(client, "/login/confirm"), "password": password}
    if code is not None:
        data["code"] = code
    return client.post("/login/confirm?next=/", data=data)


def test_reauthentication_refuses_the_right_password_after_repeated_wrong_ones(app):
    login = _user(app)
    client = _client(app)
    login_as(client, login)
    _stale(client)
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        assert _confirm(client, "wrong password 123").status_code == 400
    refused = _confirm(client, PASSWORD)
    assert refused.status_code == 429
    assert "Prøv igen om" in refused.get_data(as_text=True)
    with client.session_transaction() as session:
        assert session["vh_auth_at"] < time.time() - 3000  # still not confirmed


def test_reauthentication_refuses_the_right_code_after_repeated_wrong_codes(app):
    login = _user(app)
    with app.app_context():
        user = db.session.get(User, login.id)
        secret = two_factor.start_enrolment(user)
        user.totp_enabled_at = user.created_at
        db.session.commit()
    client = _client(app)
    login_as(client, login)
    _stale(client)
    for wrong in range(15):
        assert _confirm(client, PASSWORD, f"{wrong:06d}").status_code in (400, 429)
    right = totp.code_at(secret, totp.time_step(time.time()))
    assert _confirm(client, PASSWORD, right).status_code == 429


def test_a_volunteers_reauthentication_is_throttled_too(app):
    login = _user(app, Role.VOLUNTEER, email="frivillig@example.dk")
    client = _client(app)
    login_as(client, login)
    _stale(client)
    answers = [_confirm(client, f"wrong password {n}").status_code for n in range(12)]
    assert answers.count(429) >= 12 - app.config["LOGIN_MAX_FAILURES"]
    assert _confirm(client, PASSWORD).status_code == 429


def test_an_attacker_cannot_lock_the_owner_out(app):
    _user(app)
    attacker = _client(app, "198.51.100.66")
    for _ in range(app.config["LOGIN_MAX_FAILURES"] + 3):
        _login(attacker, "guess guess guess")
    assert _login(attacker, PASSWORD).status_code == 429  # the attacker's address waits
    owner = _client(app, "192.0.2.10")
    answer = _login(owner, PASSWORD)
    assert answer.status_code == 302
    assert owner.get("/").status_code == 200


def test_the_wait_doubles_with_each_further_failure(app):
    _user(app)
    client = _client(app)
    free = app.config["LOGIN_MAX_FAILURES"]
    waits = []
    for _ in range(3):
        for _ in range(free if not waits else 1):
            _login(client, "guess guess guess")
        with app.app_context():
            with app.test_request_context(environ_base={"REMOTE_ADDR": "192.0.2.10"}):
                waits.append(throttle.check(EMAIL).retry_after_seconds)
            # Let the wait pass: move every failure back in time.
            for failure in db.session.execute(sa.select(FailedLogin)).scalars():
                failure.attempted_at -= dt.timedelta(hours=2)
            db.session.commit()
    assert waits[0] > 0
    assert waits[1] >= 2 * waits[0] - 2 and waits[2] >= 2 * waits[1] - 2, waits


def test_the_owner_is_told_by_email_once(app):
    _user(app)
    client = _client(app, "198.51.100.66")
    for _ in range(app.config["LOGIN_MAX_FAILURES"] * 2):
        _login(client, "guess guess guess")
    with app.app_context():
        messages = db.session.execute(sa.select(OutboxMessage)).scalars().all()
        assert [(m.recipient, m.template) for m in messages] == [(EMAIL, "sign_in_failures")]
        assert "ikke spærret" in messages[0].body
        assert app.config["PUBLIC_BASE_URL"] + "/password/forgot" in messages[0].body


def test_failures_counted_by_one_process_hold_in_another(app, tmp_path):
    # Two app instances on one database stand for two worker processes (or two servers).
    _user(app)
    first = _client(app)
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        _login(first, "guess guess guess")
    other_app = make_app(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        second = _client(other_app)
        assert _login(second, PASSWORD).status_code == 429
    finally:
        with other_app.app_context():
            db.engine.dispose()


@pytest.mark.parametrize("path", ["/login/code"])
def test_second_factor_at_sign_in_is_throttled(app, path):
    app.config["STAFF_TWO_FACTOR_REQUIRED"] = True
    try:
        login = _user(app)
        with app.app_context():
            user = db.session.get(User, login.id)
            secret = two_factor.start_enrolment(user)
            user.totp_enabled_at = user.created_at
            db.session.commit()
        client = _client(app)
        assert _login(client, PASSWORD).headers["Location"] == path
        for wrong in range(app.config["LOGIN_MAX_FAILURES"]):
            client.post(path, data={"csrf_token": csrf_token(client, path), "code": f"{wrong:06d}"})
        right = totp.code_at(secret, totp.time_step(time.time()))
        answer = client.post(path, data={"csrf_token": csrf_token(client, path), "code": right})
        assert answer.status_code == 429
    finally:
        app.config["STAFF_TWO_FACTOR_REQUIRED"] = False


def test_one_address_spraying_many_accounts_is_slowed_in_every_process(app):
    # The per-address limit used to be counted per process (Flask-Limiter's memory) without Redis.
    first = _client(app, "198.51.100.66")
    for n in range(30):
        _login(first, "guess guess guess", email=f"person{n}@glostrup.dk")
    other_app = make_app(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        second = _client(other_app, "198.51.100.66")
        assert _login(second, "guess guess guess", email="someone-else@glostrup.dk").status_code == 429
        elsewhere = _client(other_app, "192.0.2.10")
        assert _login(elsewhere, "guess guess guess", email="someone-else@glostrup.dk").status_code == 200
    finally:
        with other_app.app_context():
            db.engine.dispose()
