"""Access matrix: every families route × every role × a case of another municipality.

Only municipal coordinators and administrators of the household's own municipality get case
data. Partner coordinators and volunteers get 404 on case routes (403 on the registers),
anonymous visitors are sent to the login page, and staff of another municipality get 404.
"""

from __future__ import annotations

import re

import pytest

from tests.factories import make_household, make_municipality, make_organisation, make_user
from tests.support import Login, csrf_token, login_as
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db
from volunteer_hub.families.models import Household, LeisureKind, WorkSector
from volunteer_hub.families.services.registers import (
    LeisureOfferData,
    SharedUnitData,
    WorkplaceData,
    save_leisure_offer,
    save_shared_unit,
    save_workplace,
)

SECRETS = (
    "Matrix-Haile family",
    "Senait Haile",
    "Matrix Plejecenter",
    "Matrix Bofællesskab",
    "Matrix Svømmeklub",
)


@pytest.fixture
def world(app):
    """Glostrup with a case and register entries; Albertslund with its own staff."""
    with app.app_context():
        glostrup = make_municipality("0161", "Glostrup Kommune")
        albertslund = make_municipality("0165", "Albertslund Kommune")
        household = make_household(glostrup, name="Matrix-Haile family", children_birth_years=(2016,))
        ids = {
            "household_id": household.id,
            "member_id": household.adults[0].id,
            "workplace_id": save_workplace(
                None,
                WorkplaceData("Matrix Plejecenter", WorkSector.CARE, 1),
                municipality_id=glostrup.id,
                actor=None,
            ).id,
            "unit_id": save_shared_unit(
                None, SharedUnitData("Matrix Bofællesskab"), municipality_id=glostrup.id, actor=None
            ).id,
            "offer_id": save_leisure_offer(
                None,
                LeisureOfferData("Matrix Svømmeklub", LeisureKind.SWIMMING_POOL, interests=["swimming"]),
                municipality_id=glostrup.id,
                actor=None,
            ).id,
        }
        users = {
            "glostrup admin": make_user(glostrup, Role.ADMIN),
            "glostrup coordinator": make_user(glostrup, Role.MUNICIPAL_COORDINATOR),
            "glostrup partner coordinator": make_user(
                glostrup, Role.PARTNER_COORDINATOR, organisation=make_organisation(glostrup)
            ),
            "glostrup volunteer": make_user(glostrup, Role.VOLUNTEER),
            "albertslund coordinator": make_user(albertslund, Role.MUNICIPAL_COORDINATOR),
            "albertslund admin": make_user(albertslund, Role.ADMIN),
        }
        db.session.commit()
        logins = {who: Login(user) for who, user in users.items()}
    return ids, logins


ALLOWED = {"glostrup admin", "glostrup coordinator"}


def _families_rules(app):
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("families.")]
    assert len(rules) >= 19, "the matrix must cover every families route"
    return rules


def _url(rule, ids):
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: str(ids[m.group(1)]), rule.rule)


def _is_object_route(rule) -> bool:
    return "<" in rule.rule  # "/ny" routes carry their id only as a default


def test_every_families_route_gives_data_only_to_municipal_staff_of_the_municipality(app, world):
    ids, users = world
    rules = _families_rules(app)
    for who, user in [(None, None), *users.items()]:
        client = app.test_client()
        if user is not None:
            login_as(client, user)
        for rule in rules:
            url = _url(rule, ids)
            if "GET" not in rule.methods:
                continue
            response = client.get(url)
            body = response.get_data(as_text=True) if not response.mimetype.endswith("pdf") else ""
            context = (who, rule.endpoint, response.status_code, response.headers.get("Location"))
            if who is None:
                assert response.status_code == 302 and "/login" in response.headers["Location"], context
            elif who in ALLOWED:
                assert response.status_code == 200, context
            elif who.startswith("glostrup"):  # partner coordinator, volunteer
                expected = 404 if rule.endpoint in CASE_ENDPOINTS else 403
                assert response.status_code == expected, context
            elif _is_object_route(rule):  # staff of another municipality
                assert response.status_code == 404, context
            else:
                assert response.status_code in (200, 403), context
            if who not in ALLOWED:
                leaked = [s for s in SECRETS if s in body]
                assert leaked == [], context


CASE_ENDPOINTS = {
    "families.case",
    "families.edit_case",
    "families.add_member_view",
    "families.edit_member",
    "families.reception",
    "families.health_check",
    "families.housing",
    "families.leisure",
    "families.remove_member_view",
    "families.welcome_letter",
    "families.welcome_letter_page",
    "families.welcome_letter_pdf",
}


def test_case_routes_are_exactly_the_routes_under_a_household(app):
    under_household = {r.endpoint for r in _families_rules(app) if "<int:household_id>" in r.rule}
    assert under_household == CASE_ENDPOINTS


def test_no_one_but_municipal_staff_of_the_municipality_can_change_a_case(app, world):
    ids, users = world
    with app.app_context():
        before = db.session.get(Household, ids["household_id"]).version_id
    for who, user in users.items():
        if who in ALLOWED:
            continue
        client = app.test_client()
        login_as(client, user)
        token = csrf_token(client)
        for rule in _families_rules(app):
            if "POST" not in rule.methods:
                continue
            if who.startswith("albertslund") and not _is_object_route(rule):
                continue  # they may add entries to their own municipality's registers
            data = {
                "csrf_token": token,
                "health-csrf_token": token,
                "version": before,
                "name": "Hijacked",
                "contact_name": "X",
                "postcode": "2600",
                "sector": "care",
                "kind": "other",
            }
            response = client.post(_url(rule, ids), data=data)
            assert response.status_code in (403, 404), (who, rule.endpoint, response.status_code)
    with app.app_context():
        household = db.session.get(Household, ids["household_id"])
        assert household.version_id == before and household.name == "Matrix-Haile family"
