"""Sign-in, sign-out with session revocation, throttling, CSRF and password reset."""

from __future__ import annotations

import datetime as dt
import re

from tests.factories import PASSWORD, make_municipality, make_user
from tests.support import csrf_token
from volunteer_hub.auth.models import PasswordResetToken
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db
from volunteer_hub.notifications.services import send_due_messages


def _make_coordinator(app, email="mette@glostrup.dk"):
    with app.app_context():
        user = make_user(make_municipality(), Role.MUNICIPAL_COORDINATOR, email=email)
        db.session.commit()
        return user.id


def _login(client, email, password):
    token = csrf_token(client, "/login")
    return client.post("/login", data={"csrf_token": token, "email": email, "password": password})


def test_coordinator_signs_in_and_sees_the_overview(app, client):
    _make_coordinator(app)
    response = _login(client, "Mette@Glostrup.dk ", PASSWORD)
    assert response.status_code == 302
    assert "Glostrup Kommune" in client.get("/").get_data(as_text=True)


def test_unknown_email_and_wrong_password_get_the_same_answer(app, client):
    _make_coordinator(app)
    wrong_password = _login(client, "mette@glostrup.dk", "not the password")
    unknown_email = _login(client, "nobody@glostrup.dk", "not the password")
    assert wrong_password.status_code == unknown_email.status_code == 200

    def strip_token(html: str) -> str:
        return re.sub(r'(name="csrf_token" type="hidden" value|name="csrf-token" content)="[^"]+"', "", html)

    first = strip_token(wrong_password.get_data(as_text=True)).replace("mette@", "EMAIL@")
    second = strip_token(unknown_email.get_data(as_text=True)).replace("nobody@", "EMAIL@")
    assert first == second
    assert "forkert" in wrong_password.get_data(as_text=True)


def test_repeated_failures_throttle_sign_in_even_with_the_right_password(app, client):
    _make_coordinator(app)
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        assert _login(client, "mette@glostrup.dk", "wrong password!").status_code == 200
    throttled = _login(client, "mette@glostrup.dk", PASSWORD)
    assert throttled.status_code == 429
    assert "Prøv igen om" in throttled.get_data(as_text=True)
    assert client.get("/").status_code == 302  # still not signed in


def test_unknown_emails_are_throttled_too(app, client):
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        _login(client, "ghost@glostrup.dk", "wrong password!")
    assert _login(client, "ghost@glostrup.dk", "wrong password!").status_code == 429


def test_logout_makes_a_copied_session_cookie_useless(app, client):
    _make_coordinator(app)
    _login(client, "mette@glostrup.dk", PASSWORD)
    stolen = client.get_cookie("vh_session").value

    thief = app.test_client()
    thief.set_cookie("vh_session", stolen)
    assert thief.get("/").status_code == 200  # the copy works while the session lives

    client.post("/logout", data={"csrf_token": csrf_token(client)})
    assert client.get("/").status_code == 302
    assert thief.get("/").status_code == 302  # and stops working at logout


def test_state_changing_request_without_csrf_token_is_refused(app, client):
    _make_coordinator(app)
    _login(client, "mette@glostrup.dk", PASSWORD)
    assert client.post("/logout").status_code == 400
    assert client.post("/logout", data={"csrf_token": "forged"}).status_code == 400
    assert client.get("/").status_code == 200  # still signed in
    assert client.post("/login", data={"email": "mette@glostrup.dk", "password": PASSWORD}).status_code == 400


def test_session_cookie_is_httponly_and_samesite(app, client):
    _make_coordinator(app)
    response = _login(client, "mette@glostrup.dk", PASSWORD)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_open_redirect_after_login_is_refused(app, client):
    _make_coordinator(app)
    token = csrf_token(client, "/login")
    response = client.post(
        "/login?next=//evil.example/x",
        data={"csrf_token": token, "email": "mette@glostrup.dk", "password": PASSWORD},
    )
    assert response.headers["Location"] == "/"


def _request_reset(client, email):
    return client.post(
        "/password/forgot", data={"csrf_token": csrf_token(client, "/password/forgot"), "email": email}
    )


def test_password_reset_link_is_mailed_works_once_and_ends_old_sessions(app, client, smtp_sink):
    _make_coordinator(app)
    other_device = app.test_client()
    _login(other_device, "mette@glostrup.dk", PASSWORD)

    assert _request_reset(client, "mette@glostrup.dk").status_code == 302
    with app.app_context():
        assert send_due_messages()["sent"] == 1
    [mail] = smtp_sink.to("mette@glostrup.dk")
    assert app.config["PUBLIC_BASE_URL"] + "/password/reset/" in mail.get_content()
    path = re.search(r"/password/reset/\S+", mail.get_content()).group(0)

    new_password = "a brand new passphrase"
    response = client.post(
        path, data={"csrf_token": csrf_token(client, path), "password": new_password, "confirm": new_password}
    )
    assert response.status_code == 302
    assert client.get(path).status_code == 404  # single use
    assert other_device.get("/").status_code == 302  # old sessions ended
    assert _login(client, "mette@glostrup.dk", new_password).status_code == 302


def test_password_reset_for_unknown_email_looks_the_same_and_sends_nothing(app, client, smtp_sink):
    _make_coordinator(app)
    known = _request_reset(client, "mette@glostrup.dk")
    unknown = _request_reset(client, "nobody@glostrup.dk")
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    with app.app_context():
        send_due_messages()
    assert smtp_sink.to("nobody@glostrup.dk") == []


def test_expired_reset_token_is_refused(app, client, smtp_sink):
    _make_coordinator(app)
    _request_reset(client, "mette@glostrup.dk")
    with app.app_context():
        send_due_messages()
        token_row = db.session.execute(db.select(PasswordResetToken)).scalar_one()
        token_row.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
        db.session.commit()
    link = re.search(r"/password/reset/\S+", smtp_sink.messages[0].get_content()).group(0)
    assert client.get(link).status_code == 404


def test_reset_form_explains_a_too_short_password(app, client, smtp_sink):
    _make_coordinator(app)
    _request_reset(client, "mette@glostrup.dk")
    with app.app_context():
        send_due_messages()
    path = re.search(r"/password/reset/\S+", smtp_sink.messages[0].get_content()).group(0)
    form = {"csrf_token": csrf_token(client, path), "password": "short", "confirm": "short"}
    response = client.post(path, data=form)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "mindst 12 tegn" in html
    assert 'aria-invalid="true"' in html
