"""Issue 18, finding 1: no redirect to a target the request supplies unless it is a local path.

Browsers drop tabs and line breaks from a Location header and read ``\\`` as ``/``, so
``/%09/evil.example`` used to leave the site after sign-in and on the language switch, and a line
break in ``next`` was a 500. Every place that redirects to ``next`` goes through core/redirects.py.
"""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD, make_municipality, make_user
from tests.support import Login, csrf_token, login_as
from volunteer_hub.core.redirects import is_safe_target
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db

HOSTILE = [
    "/%09/evil.example",
    "/%0a/evil.example",
    "/%0d%0aSet-Cookie:%20x=1",
    "/%0aX",
    "//evil.example",
    "/%5C/evil.example",
    "/%5Cevil.example",
    "%09//evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "evil.example",
    "/%7F/evil.example",
]


@pytest.mark.parametrize(
    "target",
    ["/\t/evil.example", "/\n/x", "//evil.example", "/\\evil.example", "https://evil.example", "", None, "x"],
)
def test_helper_refuses_anything_but_a_plain_local_path(target):
    assert not is_safe_target(target)


@pytest.mark.parametrize("target", ["/", "/admin/users/", "/families/?page=2&sort=name", "/a/b#c"])
def test_helper_keeps_local_paths(target):
    assert is_safe_target(target)


def _user(app, email="mette@glostrup.dk"):
    with app.app_context():
        user = make_user(make_municipality(), Role.MUNICIPAL_COORDINATOR, email=email)
        db.session.commit()
        return Login(user)


@pytest.mark.parametrize("target", HOSTILE)
def test_language_switch_never_leaves_the_site(client, target):
    response = client.get(f"/sprog/da?next={target}")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", HOSTILE)
def test_sign_in_never_sends_the_user_off_the_site(app, client, target):
    _user(app)
    token = csrf_token(client, "/login")
    response = client.post(
        f"/login?next={target}",
        data={"csrf_token": token, "email": "mette@glostrup.dk", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_sign_in_keeps_a_local_next(app, client):
    _user(app)
    token = csrf_token(client, "/login")
    response = client.post(
        "/login?next=/admin/users/%3Fx%3D1",
        data={"csrf_token": token, "email": "mette@glostrup.dk", "password": PASSWORD},
    )
    assert response.headers["Location"] == "/admin/users/?x=1"


@pytest.mark.parametrize("target", HOSTILE)
def test_reauthentication_never_sends_the_user_off_the_site(app, client, target):
    login_as(client, _user(app))
    token = csrf_token(client, "/login/confirm")
    response = client.post(f"/login/confirm?next={target}", data={"csrf_token": token, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_second_factor_step_keeps_only_a_safe_next(app, client):
    app.config["STAFF_TWO_FACTOR_REQUIRED"] = True
    try:
        _user(app)
        token = csrf_token(client, "/login")
        client.post(
            "/login?next=/%09/evil.example",
            data={"csrf_token": token, "email": "mette@glostrup.dk", "password": PASSWORD},
        )
        with client.session_transaction() as session:
            assert session["vh_pending_next"] == "/"
    finally:
        app.config["STAFF_TWO_FACTOR_REQUIRED"] = False
