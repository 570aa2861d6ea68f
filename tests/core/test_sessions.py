"""Signed session cookies remembered once verified (core/sessions.py): the same sessions as
Flask's own, a forged or expired cookie still refused, and no request sharing another's state."""

from __future__ import annotations

import time

import pytest
from flask import request

from tests.support import login_as, make_municipality, make_user
from volunteer_hub.core.sessions import RememberingSessionInterface
from volunteer_hub.extensions import db


@pytest.fixture
def signed_in(app, client):
    with app.app_context():
        user = make_user(make_municipality(), email="anna@glostrup.dk", name="Anna Coordinator")
        db.session.commit()
        login_as(client, user)
    return client


def _cookie(app, client) -> str:
    return client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value


def _opened(app, cookie: str):
    """The session a request with this cookie would get."""
    headers = {"Cookie": f"{app.config['SESSION_COOKIE_NAME']}={cookie}"}
    with app.test_request_context("/", headers=headers):
        return app.session_interface.open_session(app, request)


def test_the_app_uses_it_and_a_remembered_cookie_opens_the_same_session(app, signed_in):
    assert isinstance(app.session_interface, RememberingSessionInterface)
    cookie = _cookie(app, signed_in)
    first, second = _opened(app, cookie), _opened(app, cookie)
    assert dict(first) == dict(second) and first["_user_id"]
    assert first is not second
    first["lang"] = "en"  # a change to one request's session is not another's
    assert "lang" not in _opened(app, cookie)
    assert signed_in.get("/").status_code == 200  # signed in, request after request
    assert "Anna Coordinator" in signed_in.get("/").get_data(as_text=True)


def test_an_altered_cookie_is_refused_though_the_real_one_is_remembered(app, signed_in):
    cookie = _cookie(app, signed_in)
    assert _opened(app, cookie)["_user_id"]
    body, signature = cookie.rsplit(".", 1)
    forged = body + "." + ("A" if signature[0] != "A" else "B") + signature[1:]
    assert dict(_opened(app, forged)) == {}
    assert dict(_opened(app, body.replace(body[-3], "x" if body[-3] != "x" else "y") + "." + signature)) == {}


def test_an_expired_cookie_is_refused_though_it_is_remembered(app, signed_in, monkeypatch):
    cookie = _cookie(app, signed_in)
    assert _opened(app, cookie)["_user_id"]
    lifetime = int(app.permanent_session_lifetime.total_seconds())
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + lifetime + 5)
    assert dict(_opened(app, cookie)) == {}
    page = signed_in.get("/")
    assert page.status_code == 302 and "/login" in page.headers["Location"]


def test_a_session_holding_more_than_plain_values_is_decoded_for_each_request(app, signed_in):
    with signed_in.session_transaction() as stored:
        stored["_flashes"] = [["info", "Saved."]]
    cookie = _cookie(app, signed_in)
    first = _opened(app, cookie)
    first["_flashes"].append(["info", "Changed in one request"])
    assert _opened(app, cookie)["_flashes"] == [["info", "Saved."]]
