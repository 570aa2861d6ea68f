"""Who reaches which matching page: every matching route × every role, and guessed ids.

Municipal coordinators and administrators act on every match of their municipality; partner
coordinators only on their own organisation's volunteers' matches (404 otherwise, also for
guessed ids); volunteers see only their own approved matches; staff of another municipality
see nothing.
"""

from __future__ import annotations

import re

import pytest

from tests.factories import make_municipality, make_user
from tests.matching.factories import TODAY, household, volunteer
from tests.support import Login, csrf_token, login_as
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db
from volunteer_hub.matching import workflow
from volunteer_hub.matching.models import Match, MatchSource, MatchStatus


@pytest.fixture
def world(app, glostrup):
    with app.app_context():
        municipality = glostrup.municipality
        albertslund = make_municipality("0165", "Albertslund Kommune")
        red_cross = glostrup.red_cross
        coordinator = glostrup.coordinator
        ours = volunteer(municipality, organisation=red_cross, with_account=True, first_name="Rikke")
        theirs = volunteer(
            municipality, organisation=glostrup.refugee_council, with_account=True, first_name="Vibeke"
        )
        idle = volunteer(municipality, with_account=True, first_name="Ida")
        approved = workflow.create_manual_match(
            household(municipality, name="Access-Haile family"),
            ours,
            "friend_buddy",
            actor=coordinator,
            on=TODAY,
        )
        other_household = household(municipality, name="Access-Tesfay family")
        proposed = workflow.propose_match(
            other_household, theirs, "friend_buddy", actor=coordinator, source=MatchSource.SUGGESTION
        )
        check_in = approved.check_ins[0]
        users = {
            "glostrup coordinator": coordinator,
            "glostrup admin": glostrup.admin,
            "red cross coordinator": make_user(
                municipality, Role.PARTNER_COORDINATOR, organisation=red_cross
            ),
            "rikke": ours.user,
            "vibeke": theirs.user,
            "ida": idle.user,
            "albertslund coordinator": make_user(albertslund),
        }
        ids = {
            "household_id": other_household.id,
            "match_id": approved.id,
            "check_in_id": check_in.id,
            "approved": approved.id,
            "proposed": proposed.id,
        }
        db.session.commit()
        return ids, {who: Login(user) for who, user in users.items()}


def _rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("matching.")]


def _url(rule, ids):
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: str(ids[m.group(1)]), rule.rule)


CASE_ROUTES = {"matching.suggestions", "matching.manual"}
MUNICIPAL_ONLY = {
    "matching.suggestions": 404,  # a case route: partners and volunteers must not learn it exists
    "matching.manual": 404,
    "matching.plan": 403,
    "matching.contact_card_pdf": 403,  # the letter to the household is the municipality's
}


def test_every_matching_get_route_gives_data_only_to_who_may_see_it(app, world):
    ids, users = world
    rules = [r for r in _rules(app) if "GET" in r.methods]
    assert {r.endpoint for r in rules} >= {
        "matching.suggestions",
        "matching.plan",
        "matching.detail",
        "matching.my_match",
    }
    for who, user in [(None, None), *users.items()]:
        client = app.test_client()
        if user is not None:
            login_as(client, user)
        for rule in rules:
            response = client.get(_url(rule, ids))
            context = (who, rule.endpoint, response.status_code)
            body = response.data.decode("utf-8", errors="replace")
            if who is None:
                assert response.status_code == 302 and "/login" in response.headers["Location"], context
            elif who in ("glostrup coordinator", "glostrup admin"):
                assert response.status_code == (403 if rule.endpoint == "matching.my_match" else 200), context
            elif who == "red cross coordinator":
                expected = {**MUNICIPAL_ONLY, "matching.my_match": 403}.get(rule.endpoint, 200)
                assert response.status_code == expected, context
            elif who in ("rikke", "vibeke", "ida"):
                if rule.endpoint == "matching.my_match":
                    expected = 200 if who == "rikke" else 404
                else:
                    expected = 404 if rule.endpoint in CASE_ROUTES else 403
                assert response.status_code == expected, context
            else:  # another municipality's coordinator
                assert response.status_code in (404 if "<" in rule.rule else 200, 403), context
            if response.status_code != 200:
                assert "Access-Haile" not in body and "Access-Tesfay" not in body, context


def test_a_partner_coordinator_sees_only_their_organisations_matches_even_guessing_ids(app, world):
    ids, users = world
    client = app.test_client()
    login_as(client, users["red cross coordinator"])
    page = client.get(f"/matching/{ids['approved']}")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "52 12 34 56" in body and "Access-Haile family" not in body  # the contact card, not the case
    for guess in range(1, ids["proposed"] + 5):
        if guess != ids["approved"]:
            assert client.get(f"/matching/{guess}").status_code == 404, guess
    listing = client.get("/matching/?status=all").get_data(as_text=True)
    assert "Rikke" in listing and "Vibeke" not in listing
    token = csrf_token(client)
    for action in ("godkend", "afslut", "aktiver", "afvis"):
        response = client.post(
            f"/matching/{ids['proposed']}/{action}", data={"csrf_token": token, "reason": "x"}
        )
        assert response.status_code == 404, action
    with app.app_context():
        assert db.session.get(Match, ids["proposed"]).status == MatchStatus.PROPOSED


def test_a_partner_coordinator_approves_and_ends_their_own_volunteers_match(app, world):
    ids, users = world
    client = app.test_client()
    login_as(client, users["red cross coordinator"])
    token = csrf_token(client)
    response = client.post(
        f"/matching/{ids['approved']}/afslut", data={"csrf_token": token, "reason": "completed", "note": ""}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Match, ids["approved"]).status == MatchStatus.ENDED


def test_volunteers_see_only_their_own_approved_matches(app, world):
    ids, users = world
    rikke, vibeke = app.test_client(), app.test_client()
    login_as(rikke, users["rikke"])
    login_as(vibeke, users["vibeke"])
    page = rikke.get("/min-side").get_data(as_text=True)
    assert f"/min-side/match/{ids['approved']}" in page
    assert rikke.get(f"/min-side/match/{ids['approved']}").status_code == 200
    assert vibeke.get(f"/min-side/match/{ids['approved']}").status_code == 404
    assert vibeke.get(f"/min-side/match/{ids['proposed']}").status_code == 404  # a proposal is not shown yet
    token = csrf_token(vibeke)
    response = vibeke.post(
        f"/min-side/match/{ids['approved']}",
        data={"csrf_token": token, "on": TODAY.isoformat(), "minutes": "60", "kind": "phone"},
    )
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(Match, ids["approved"]).meetings == []
