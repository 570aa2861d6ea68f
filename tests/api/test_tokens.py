"""Personal API tokens: created on a page after re-authentication, shown once, stored hashed,
scoped, revocable, expiring, and acting with the owner's current role and municipality."""

from __future__ import annotations

import datetime as dt
import re
import time

import sqlalchemy as sa

from tests.api.conftest import bearer
from tests.security.harness import page_client
from tests.support import csrf_token
from volunteer_hub.audit.models import AuditEvent
from volunteer_hub.auth.api_tokens import tokens
from volunteer_hub.auth.api_tokens.models import ApiToken
from volunteer_hub.auth.models import User
from volunteer_hub.core.roles import Role
from volunteer_hub.db import utcnow
from volunteer_hub.extensions import db


def _signed_in(app, user_id):
    from tests.security.harness import Viewer

    return page_client(app, Viewer("x", Role.ADMIN, user_id=user_id))


def _all_text_in_database(app) -> str:
    with app.app_context(), db.engine.connect() as connection:
        return " ".join(
            repr(tuple(row))
            for table in db.metadata.sorted_tables
            for row in connection.execute(sa.select(table))
        )


def test_coordinator_creates_a_key_and_sees_its_secret_exactly_once(app, staff):
    client = _signed_in(app, staff.ids["coordinator"])
    form = {
        "csrf_token": csrf_token(client, "/api-noegler/"),
        "name": "Sagssystem",
        "scopes": ["read"],
        "expires_in": "30",
    }
    created = client.post("/api-noegler/", data=form)
    assert created.status_code == 200
    secret = re.search(r"(vhk_[A-Za-z0-9_-]{43})", created.get_data(as_text=True)).group(1)

    listing = client.get("/api-noegler/").get_data(as_text=True)
    assert secret not in listing and "Sagssystem" in listing and secret[:12] in listing
    assert secret not in _all_text_in_database(app)  # only its SHA-256 is kept
    with app.app_context():
        token = db.session.execute(sa.select(ApiToken).where(ApiToken.name == "Sagssystem")).scalar_one()
        assert token.token_hash == tokens.hash_secret(secret) and token.scopes == "read"
        assert dt.timedelta(days=29) < token.expires_at - utcnow() <= dt.timedelta(days=30)
        event = db.session.execute(
            sa.select(AuditEvent)
            .where(AuditEvent.action == "api_token.created")
            .where(AuditEvent.object_id == token.id)
        ).scalar_one()
        assert event.details == {"scopes": "read", "expires": True}
    me = app.test_client().get("/api/v1/me", headers=bearer(secret))
    assert me.status_code == 200 and me.get_json()["role"] == "municipal_coordinator"


def test_creating_a_key_asks_for_the_password_again_after_a_while(app, staff):
    client = _signed_in(app, staff.ids["coordinator"])
    token = csrf_token(client, "/api-noegler/")
    with client.session_transaction() as session:
        session["vh_auth_at"] = int(time.time()) - app.config["REAUTH_MAX_AGE_SECONDS"] - 1
    response = client.post(
        "/api-noegler/",
        data={"csrf_token": token, "name": "Late", "scopes": ["read"], "expires_in": "30"},
        headers={"Referer": "/api-noegler/"},
    )
    assert response.status_code == 302 and "/login/confirm" in response.headers["Location"]
    with app.app_context():
        assert db.session.execute(sa.select(ApiToken).where(ApiToken.name == "Late")).first() is None


def test_a_key_needs_a_name_and_some_access(app, staff):
    client = _signed_in(app, staff.ids["admin"])
    response = client.post(
        "/api-noegler/",
        data={"csrf_token": csrf_token(client, "/api-noegler/"), "name": "  ", "expires_in": "30"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Giv nøglen et navn" in page and "Vælg mindst én slags adgang" in page


def test_volunteers_have_no_keys(app, staff):
    with app.app_context():
        volunteer = db.session.get(User, staff.ids["volunteer"])
        try:
            tokens.create_token(volunteer, name="x", scopes=["read"])
        except ValueError as error:
            assert str(error) == "not_staff"
        else:
            raise AssertionError("a volunteer got an API token")
    assert _signed_in(app, staff.ids["volunteer"]).get("/api-noegler/").status_code == 403


def _problem(response):
    assert response.mimetype == "application/problem+json"
    return response.get_json()


def test_revoked_expired_and_disabled_tokens_are_refused_with_a_reason(app, staff):
    client = app.test_client()
    with app.app_context():
        admin = db.session.get(User, staff.ids["admin"])
        token = db.session.execute(sa.select(ApiToken).where(ApiToken.user_id == admin.id)).scalar_one()
        tokens.revoke_token(token, actor=admin)
        coordinator_token = db.session.execute(
            sa.select(ApiToken).where(ApiToken.user_id == staff.ids["coordinator"])
        ).scalar_one()
        coordinator_token.expires_at = utcnow() - dt.timedelta(seconds=1)
        db.session.get(User, staff.ids["partner"]).is_active_account = False
        db.session.commit()
    expectations = {"admin": "revoked", "coordinator": "expired", "partner": "can no longer"}
    for name, words in expectations.items():
        response = client.get("/api/v1/me", headers=bearer(staff.secrets[name]))
        assert response.status_code == 401
        assert words in _problem(response)["detail"]
        assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    unknown = client.get("/api/v1/me", headers=bearer("vhk_" + "x" * 43))
    assert unknown.status_code == 401 and "not known" in _problem(unknown)["detail"]
    wrong_scheme = client.get(
        "/api/v1/me", headers={"Authorization": "Basic " + staff.secrets["other_admin"]}
    )
    assert wrong_scheme.status_code == 401


def test_staff_revoke_their_own_keys_only(app, staff):
    with app.app_context():
        own = db.session.execute(
            sa.select(ApiToken.id).where(ApiToken.user_id == staff.ids["admin"])
        ).scalar_one()
        others = db.session.execute(
            sa.select(ApiToken.id).where(ApiToken.user_id == staff.ids["coordinator"])
        ).scalar_one()
    client = _signed_in(app, staff.ids["admin"])
    token = csrf_token(client, "/api-noegler/")
    assert client.post(f"/api-noegler/{others}/tilbagekald", data={"csrf_token": token}).status_code == 404
    assert client.post(f"/api-noegler/{own}/tilbagekald", data={"csrf_token": token}).status_code == 302
    api = app.test_client()
    assert api.get("/api/v1/me", headers=bearer(staff.secrets["coordinator"])).status_code == 200
    assert api.get("/api/v1/me", headers=bearer(staff.secrets["admin"])).status_code == 401
    with app.app_context():
        actions = (
            db.session.execute(
                sa.select(AuditEvent.action).where(
                    AuditEvent.object_id == own, AuditEvent.object_type == "api_token"
                )
            )
            .scalars()
            .all()
        )
        assert sorted(actions) == ["api_token.created", "api_token.revoked"]
    assert "tilbagekaldt" in client.get("/api-noegler/").get_data(as_text=True)


def test_scopes_limit_what_a_key_may_do(app, staff):
    with app.app_context():
        coordinator = db.session.get(User, staff.ids["coordinator"])
        read_only = tokens.create_token(coordinator, name="read", scopes=["read"]).secret
        write_only = tokens.create_token(coordinator, name="write", scopes=["write"]).secret
        db.session.commit()
    client = app.test_client()
    assert client.get("/api/v1/me", headers=bearer(read_only)).status_code == 200
    refused = client.patch("/api/v1/me", json={"name": "New"}, headers=bearer(read_only))
    assert refused.status_code == 403 and _problem(refused)["type"].endswith("insufficient-scope")
    assert client.get("/api/v1/me", headers=bearer(write_only)).status_code == 403
    assert client.patch("/api/v1/me", json={"name": "New"}, headers=bearer(write_only)).status_code == 200


def test_last_use_is_recorded_at_most_once_a_minute(app, staff):
    client = app.test_client()

    def last_used():
        with app.app_context():
            return db.session.execute(
                sa.select(ApiToken.last_used_at).where(ApiToken.user_id == staff.ids["admin"])
            ).scalar_one()

    assert last_used() is None
    client.get("/api/v1/me", headers=bearer(staff.secrets["admin"]))
    first = last_used()
    assert first is not None
    client.get("/api/v1/me", headers=bearer(staff.secrets["admin"]))
    assert last_used() == first  # the second call within the minute writes nothing
    with app.app_context():
        db.session.execute(
            sa.update(ApiToken)
            .where(ApiToken.user_id == staff.ids["admin"])
            .values(last_used_at=first - dt.timedelta(minutes=2))
        )
        db.session.commit()
    client.get("/api/v1/me", headers=bearer(staff.secrets["admin"]))
    assert last_used() > first


def test_a_key_acts_with_its_owners_current_role(app, staff):
    client = app.test_client()
    url = f"/api/v1/audit-events?object_type=user_account&object_id={staff.ids['admin']}"
    assert client.get(url, headers=bearer(staff.secrets["coordinator"])).status_code == 403
    with app.app_context():
        db.session.get(User, staff.ids["coordinator"]).role = Role.ADMIN
        db.session.commit()
    assert client.get(url, headers=bearer(staff.secrets["coordinator"])).status_code == 200
