"""The suggestion page, the plan and the match list issue the same number of SQL queries for 3 and 30
volunteers and households: the bridge loads in bulk, never one query per person."""

from __future__ import annotations

from tests.factories import make_municipality, make_user
from tests.families.test_query_count import counting_queries
from tests.matching.factories import TODAY, household, volunteer
from tests.support import Login, login_as
from volunteer_hub.extensions import db
from volunteer_hub.families.models import Household
from volunteer_hub.matching import workflow


def _people(glostrup, coordinator, count):
    for _ in range(count):
        v = volunteer(glostrup, capacity=2, certificate_on=TODAY)
        h = household(
            glostrup, schemes=["friend_buddy", "leisure_intro"], children_birth_years=(TODAY.year - 8,)
        )
        workflow.create_manual_match(h, v, "leisure_intro", actor=coordinator, on=TODAY)
    db.session.commit()


def _count(app, client, path):
    with app.app_context():
        engine = db.engine
    with counting_queries(engine) as statements:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(statements), response.get_data(as_text=True)


def test_matching_pages_do_not_grow_queries_with_people(app, client):
    with app.app_context():
        glostrup = make_municipality()
        user = make_user(glostrup)
        coordinator = Login(user)
        target = household(glostrup, name="Target family").id
        _people(glostrup, user, 3)
    login_as(client, coordinator)
    paths = (f"/familier/{target}/forslag", "/matching/plan", "/matching/?status=all", "/")
    few = {path: _count(app, client, path) for path in paths}
    with app.app_context():
        from volunteer_hub.auth.models import User
        from volunteer_hub.tenancy.services import get_municipality_by_code

        _people(get_municipality_by_code("0161"), db.session.get(User, coordinator.id), 27)
        assert db.session.query(Household).count() == 31
    many = {path: _count(app, client, path) for path in paths}
    for path in paths:
        assert few[path][0] == many[path][0], (path, few[path][0], many[path][0])
    assert many["/matching/plan"][1].count("Godkend") > few["/matching/plan"][1].count("Godkend")
