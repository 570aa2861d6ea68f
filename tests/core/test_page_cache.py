"""Whole pages kept per data version (core/page_cache.py): reused only for the same user, address
and data; a change, a role change or a pending message is seen at once; every view is audited;
each answer carries the request's own CSRF token."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.families.support import Login, make_household
from tests.support import CSRF_META, login_as, make_municipality, make_organisation, make_user
from volunteer_hub.audit.models import AuditEvent
from volunteer_hub.auth.models import Role, User
from volunteer_hub.core import derived, page_cache
from volunteer_hub.extensions import db
from volunteer_hub.families.models import Household


def _hits(kind: str) -> int:
    return derived.statistics().get("page:" + kind, (0, 0, 0))[1]


@pytest.fixture
def glostrup(app):
    derived.clear()
    with app.app_context():
        municipality = make_municipality()
        household = make_household(municipality, name="Haile family")
        anna = Login(make_user(municipality, email="anna@glostrup.dk", name="Anna Coordinator"))
        bo = Login(make_user(municipality, email="bo@glostrup.dk", name="Bo Coordinator"))
        organisation = make_organisation(municipality)
        db.session.commit()
        return {"household": household.id, "anna": anna, "bo": bo, "organisation": organisation.id}


def _case(client, household_id: int) -> str:
    response = client.get(f"/familier/{household_id}")
    assert response.status_code == 200
    assert response.content_type == "text/html; charset=utf-8"  # kept pages are bytes: still HTML
    return response.get_data(as_text=True)


def test_a_page_read_again_is_reused_audited_again_and_carries_a_working_csrf_token(app, client, glostrup):
    login_as(client, glostrup["anna"])
    first = _case(client, glostrup["household"])
    hits = _hits("case")
    second = _case(client, glostrup["household"])
    assert _hits("case") == hits + 1  # served from what the first request kept
    unsigned = [page.replace(CSRF_META.search(page).group(1), "TOKEN") for page in (first, second)]
    assert unsigned[0] == unsigned[1]  # the same page; its CSRF token is signed for each answer
    with app.app_context():
        placeholder = page_cache._placeholder()
        events = (
            db.session.execute(select(AuditEvent).where(AuditEvent.action == "family.viewed")).scalars().all()
        )
    assert placeholder not in second
    assert [(e.actor_user_id, e.object_id) for e in events] == [
        (glostrup["anna"].id, glostrup["household"])
    ] * 2
    token = CSRF_META.search(second).group(1)
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302  # the token is accepted


def test_a_change_is_shown_at_once(app, client, glostrup):
    login_as(client, glostrup["anna"])
    assert "Haile family" in _case(client, glostrup["household"])
    with app.app_context():
        db.session.get(Household, glostrup["household"]).name = "Tesfay family"
        db.session.commit()
    page = _case(client, glostrup["household"])
    assert "Tesfay family" in page and "Haile family" not in page


def test_a_page_is_never_served_to_another_user(app, client, glostrup):
    login_as(client, glostrup["anna"])
    assert "Anna Coordinator" in client.get("/").get_data(as_text=True)
    login_as(client, glostrup["bo"])
    page = client.get("/").get_data(as_text=True)
    assert "Bo Coordinator" in page and "Anna Coordinator" not in page


def test_a_role_change_takes_effect_at_once(app, client, glostrup):
    """Accounts are not case data (their changes leave the data version alone), so the user's
    role and account state are part of what a kept page is kept for."""
    login_as(client, glostrup["anna"])
    assert 'href="/familier/"' in client.get("/").get_data(as_text=True)
    with app.app_context():
        user = db.session.get(User, glostrup["anna"].id)
        user.organisation_id, user.role = glostrup["organisation"], Role.PARTNER_COORDINATOR
        db.session.commit()
    assert 'href="/familier/"' not in client.get("/").get_data(as_text=True)
    assert client.get(f"/familier/{glostrup['household']}").status_code == 404


def test_a_pending_message_is_shown_on_the_next_page_and_only_once(app, client, glostrup):
    login_as(client, glostrup["anna"])
    _case(client, glostrup["household"])
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Saved, and shown once.")]
    assert "Saved, and shown once." in _case(client, glostrup["household"])
    assert "Saved, and shown once." not in _case(client, glostrup["household"])


def test_pages_that_compute_over_the_municipality_are_kept(app, client, glostrup):
    login_as(client, glostrup["anna"])
    for kind, path in (
        ("dashboard", "/"),
        ("volunteer_list", "/frivillige"),
        ("suggestions", f"/familier/{glostrup['household']}/forslag"),
        ("report", "/reports/quarterly"),
    ):
        assert client.get(path).status_code == 200
        hits = _hits(kind)
        assert client.get(path).status_code == 200
        assert _hits(kind) == hits + 1, kind
        assert client.get(path + "?side=2" if kind == "volunteer_list" else path + "?x=1").status_code == 200
        assert _hits(kind) == hits + 1, f"{kind}: another address is another page"


def test_without_the_page_cache_every_request_renders(app, client, glostrup):
    app.config["PAGE_CACHE"] = False
    try:
        login_as(client, glostrup["anna"])
        _case(client, glostrup["household"])
        _case(client, glostrup["household"])
        assert _hits("case") == 0
    finally:
        app.config["PAGE_CACHE"] = True


def test_the_public_registration_start_is_kept_and_each_visitor_gets_an_own_csrf_token(app, glostrup):
    first, second = app.test_client(), app.test_client()
    pages = [client.get("/bliv-frivillig") for client in (first, second, first)]
    assert [page.status_code for page in pages] == [200, 200, 200]
    assert _hits("registration_start") == 2  # the first visit rendered, the next two reused it
    tokens = [CSRF_META.search(page.get_data(as_text=True)).group(1) for page in pages]
    assert tokens[0] != tokens[1]  # each visitor's session has its own token
    with app.app_context():
        assert page_cache._placeholder() not in pages[1].get_data(as_text=True)


def test_a_kept_pages_csrf_token_is_signed_once_per_session_token_unless_tokens_expire(app, client, glostrup):
    login_as(client, glostrup["anna"])
    _case(client, glostrup["household"])  # rendered and kept
    tokens = [CSRF_META.search(_case(client, glostrup["household"])).group(1) for _ in range(2)]
    assert tokens[0] == tokens[1]
    assert tokens[0] in page_cache._SIGNED_TOKENS.values()  # signed once in this process, then reused
    app.config["WTF_CSRF_TIME_LIMIT"] = 3600
    try:
        page_cache._SIGNED_TOKENS.clear()
        expiring = CSRF_META.search(_case(client, glostrup["household"])).group(1)
        assert not page_cache._SIGNED_TOKENS  # a token that expires is signed for each answer
        assert client.post("/logout", data={"csrf_token": expiring}).status_code == 302
    finally:
        app.config["WTF_CSRF_TIME_LIMIT"] = None
    other = app.test_client()
    login_as(other, glostrup["bo"])
    _case(other, glostrup["household"])
    assert CSRF_META.search(_case(other, glostrup["household"])).group(1) not in tokens  # never shared
