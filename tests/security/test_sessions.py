"""Session hardening across all routes: re-authentication, idle timeout, one-time codes.

tests/auth/test_two_factor.py covers sign-in with TOTP and recovery codes, reuse of a code
at sign-in, the idle timeout of one coordinator and re-authentication before a role change.
This file adds what those leave open: every route the matrix marks ``reauth`` refuses a
stale session without changing anything; the idle timeout for every staff role (and not
for volunteers, nor for API tokens); and codes reused at re-authentication.
"""

from __future__ import annotations

import time

from tests.factories import PASSWORD
from tests.security.domains import REGISTRY, SECURITY_MATRIX
from tests.security.harness import ROLES, STAFF, csrf_for, iter_rules, methods_of, page_client, samples
from tests.security.test_csrf import caller_for, full_snapshot
from volunteer_hub.auth import totp, two_factor
from volunteer_hub.auth.models import User
from volunteer_hub.extensions import db


def _age(client, key: str, seconds: int) -> None:
    with client.session_transaction() as session:
        session[key] = int(time.time()) - seconds


def test_every_reauth_route_refuses_a_stale_session_and_changes_nothing(app, world):
    stale = app.config["REAUTH_MAX_AGE_SECONDS"] + 1
    checked, failures = 0, []
    for rule in iter_rules(app):
        route = SECURITY_MATRIX.get(rule.endpoint)
        if route is None or not route.reauth:
            continue
        viewer = caller_for(route, world)
        sample = next(s for s in samples(rule, route, REGISTRY.params, world) if s.visible_to(viewer))
        for method in methods_of(rule):
            client = page_client(app, viewer)
            token = csrf_for(client)
            _age(client, "vh_auth_at", stale)
            before = full_snapshot(app)
            data = {"csrf_token": token} if method != "GET" else None
            response = client.open(sample.path, method=method, data=data)
            checked += 1
            if response.status_code != 302 or "/login/confirm" not in response.headers.get("Location", ""):
                failures.append(f"{method} {sample.path}: {response.status_code}, no re-authentication asked")
            if full_snapshot(app) != before:
                failures.append(f"{method} {sample.path}: changed the database with a stale sign-in")
    assert checked >= 3, "the matrix marks too few routes as needing re-authentication"
    assert not failures, "\n".join(failures)


def test_idle_timeout_signs_out_every_staff_role_but_not_volunteers(app, world):
    idle = app.config["STAFF_IDLE_TIMEOUT_SECONDS"] + 1
    for role in ROLES:
        client = page_client(app, world.viewer(role.value))
        assert client.get("/").status_code == 200
        _age(client, "vh_seen_at", idle)
        response = client.get("/")
        if role in STAFF:
            assert response.status_code == 302 and "/login" in response.headers["Location"], role
            assert client.get("/").status_code == 302, f"{role}: the idle session came back"
        else:
            assert response.status_code == 200, role


def test_api_tokens_are_not_sessions_and_do_not_idle_out(app, world):
    admin = world.viewer("admin")
    client = page_client(app, admin)
    _age(client, "vh_seen_at", app.config["STAFF_IDLE_TIMEOUT_SECONDS"] + 1)
    # The idle cookie rides along, and is ignored: the token alone decides.
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {admin.token}"})
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert client.get("/api/v1/me").status_code == 401  # the cookie alone is nobody


def _enrol(app, user_id: int) -> str:
    with app.app_context():
        user = db.session.get(User, user_id)
        secret = two_factor.start_enrolment(user)
        user.totp_enabled_at = user.created_at
        db.session.commit()
        return secret


def test_reauthentication_refuses_a_code_already_used(app, world):
    admin = world.viewer("admin")
    secret = _enrol(app, admin.user_id)
    step = totp.time_step(time.time())
    with app.app_context():  # the code of this time step was just used to sign in
        db.session.get(User, admin.user_id).totp_last_step = step
        db.session.commit()
    client = page_client(app, admin)
    _age(client, "vh_auth_at", app.config["REAUTH_MAX_AGE_SECONDS"] + 1)
    form = {"csrf_token": csrf_for(client), "password": PASSWORD, "code": totp.code_at(secret, step)}
    replay = client.post("/login/confirm?next=/admin/users/", data=form)
    assert replay.status_code == 400
    assert client.get(f"/admin/users/{world.records['user'][0].id}").status_code == 302  # still stale


def test_a_recovery_code_used_to_reauthenticate_is_spent(app, world):
    admin = world.viewer("admin")
    _enrol(app, admin.user_id)
    from volunteer_hub.auth.models import RecoveryCode

    with app.app_context():
        db.session.add(RecoveryCode(user_id=admin.user_id, code_hash=two_factor._hash("abcd1234-ef567890")))
        db.session.commit()
    for expected in (302, 400):
        client = page_client(app, admin)
        _age(client, "vh_auth_at", app.config["REAUTH_MAX_AGE_SECONDS"] + 1)
        form = {"csrf_token": csrf_for(client), "password": PASSWORD, "code": "abcd1234-ef567890"}
        assert client.post("/login/confirm?next=/", data=form).status_code == expected
