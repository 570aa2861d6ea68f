"""Issue 23: re-authentication returns the user to the form they posted, with what they typed.

A POST behind ``recent_authentication_required`` with a stale sign-in used to send the user to
the confirmation page with the absolute Referer as ``next``, which the safe-redirect check refused:
they landed on ``/`` and nothing was created. Now the posted fields (never the CSRF token or a
password) are kept in the session, and confirming the password carries out the form.
"""

from __future__ import annotations

import re
import time

import sqlalchemy as sa

from tests.factories import PASSWORD
from tests.support import csrf_token, login_as
from volunteer_hub.auth.api_tokens.models import ApiToken
from volunteer_hub.auth.models import User
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db

FORM_ACTION = re.compile(r'<form method="post" novalidate action="([^"]+)"')


def _stale(client) -> None:
    with client.session_transaction() as session:
        session["vh_auth_at"] = int(time.time()) - 3600


def _confirm_page(client, response):
    assert response.status_code == 302 and "/login/confirm" in response.headers["Location"]
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    resume = re.search(r'name="vh_resume" value="([^"]+)"', html).group(1)
    return FORM_ACTION.search(html).group(1), resume


def test_a_new_api_key_form_is_carried_out_after_the_password_is_confirmed(app, client, glostrup):
    login_as(client, glostrup.coordinator_login)
    token = csrf_token(client, "/api-noegler/")
    _stale(client)
    typed = {"csrf_token": token, "name": "Kommunens BI", "scopes": ["read", "write"], "expires_in": "30"}
    asked = client.post("/api-noegler/", data=typed, headers={"Referer": "http://localhost/api-noegler/"})
    action, resume = _confirm_page(client, asked)
    assert action == "/api-noegler/"
    with client.session_transaction() as session:
        kept = str(session["vh_reauth_forms"])
        assert token not in kept and "Kommunens BI" in kept

    wrong = client.post(action, data={"csrf_token": token, "vh_resume": resume, "password": "not it at all"})
    assert wrong.status_code == 400
    with app.app_context():
        assert db.session.execute(sa.select(sa.func.count(ApiToken.id))).scalar() == 0

    done = client.post(action, data={"csrf_token": token, "vh_resume": resume, "password": PASSWORD})
    assert done.status_code == 200
    assert "Kommunens BI" in done.get_data(as_text=True)
    with app.app_context():
        created = db.session.execute(sa.select(ApiToken)).scalar_one()
        assert (created.name, created.scopes) == ("Kommunens BI", "read write")
        assert created.user_id == glostrup.coordinator_login.id


def test_a_role_change_is_carried_out_after_the_password_is_confirmed(app, client, glostrup):
    login_as(client, glostrup.admin_login)
    target = glostrup.coordinator_login.id
    path = f"/admin/users/{target}"
    token = csrf_token(client, path)
    _stale(client)
    asked = client.post(path, data={"csrf_token": token, "role": "admin", "organisation_id": ""})
    action, resume = _confirm_page(client, asked)
    assert action == path
    done = client.post(action, data={"csrf_token": token, "vh_resume": resume, "password": PASSWORD})
    assert done.status_code == 302 and done.headers["Location"] == "/admin/users/"
    with app.app_context():
        assert db.session.get(User, target).role == Role.ADMIN


def test_a_kept_form_is_used_once_and_never_keeps_a_password(app, client, glostrup):
    login_as(client, glostrup.admin_login)
    path = f"/admin/users/{glostrup.coordinator_login.id}"
    token = csrf_token(client, path)
    _stale(client)
    asked = client.post(
        path, data={"csrf_token": token, "role": "admin", "organisation_id": "", "password": "x"}
    )
    action, resume = _confirm_page(client, asked)
    with client.session_transaction() as session:
        [(nonce, kept)] = session["vh_reauth_forms"].items()
        assert {name for name, _value in kept["fields"]} == {"role", "organisation_id"}
    client.post(action, data={"csrf_token": token, "vh_resume": resume, "password": PASSWORD})
    _stale(client)
    again = client.post(action, data={"csrf_token": token, "vh_resume": resume, "password": PASSWORD})
    assert again.status_code == 302 and "/login/confirm" in again.headers["Location"]


def test_a_form_too_large_to_keep_returns_to_its_page_and_never_to_another_site(app, client, glostrup):
    login_as(client, glostrup.coordinator_login)
    token = csrf_token(client, "/api-noegler/")
    _stale(client)
    large = {"csrf_token": token, "name": "x" * 3000, "scopes": ["read"]}
    ours = client.post("/api-noegler/", data=large, headers={"Referer": "http://localhost/api-noegler/?a=1"})
    assert ours.headers["Location"] == "/login/confirm?next=/api-noegler/?a%3D1"
    theirs = client.post("/api-noegler/", data=large, headers={"Referer": "https://evil.example/api-noegler/"})
    assert theirs.headers["Location"] == "/login/confirm"
