"""The benchmarked pages run the same number of SQL queries with 10 records as with ~200 (PostgreSQL).

Counted with SQLAlchemy's ``before_cursor_execute`` around one request each, after a warm-up
request (so one-off lookups are not counted). Data from ``seed_scale``, as the load benchmark uses.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.families.support import Login
from tests.families.test_query_count import counting_queries
from tests.support import login_as, make_user
from volunteer_hub.auth.models import Role
from volunteer_hub.extensions import db
from volunteer_hub.families.models import Household
from volunteer_hub.matching.models import Match
from volunteer_hub.ops.scale import seed_scale
from volunteer_hub.tenancy.services import get_municipality_by_code
from volunteer_hub.volunteers.models import Volunteer

pytestmark = pytest.mark.pg_only

CODE = "0161"


def _pages(household_id: int) -> tuple[str, ...]:
    return (
        "/",
        "/frivillige?status=approved&language=da&scheme=friend_buddy",
        "/frivillige?q=Volunteer&availability=weekend&certificate=received_ok",
        f"/familier/{household_id}",
        f"/familier/{household_id}/forslag",
        "/reports/quarterly",
    )


def _counts(app, client, paths) -> dict[str, int]:
    with app.app_context():
        engine = db.engine
    counts = {}
    for path in paths:
        assert client.get(path).status_code == 200, path  # warm-up
        with counting_queries(engine) as statements:
            response = client.get(path)
        assert response.status_code == 200, path
        counts[path] = len(statements)
    return counts


def test_the_benchmarked_pages_do_not_grow_queries_with_records(pg_app):
    with pg_app.app_context():
        seed_scale(CODE, 10, 10, 10, seed=1)
        municipality = get_municipality_by_code(CODE)
        coordinator = Login(make_user(municipality, Role.MUNICIPAL_COORDINATOR))
        household_id = db.session.execute(select(func.min(Household.id))).scalar()
        db.session.commit()
    client = pg_app.test_client()
    login_as(client, coordinator)
    paths = _pages(household_id)
    few = _counts(pg_app, client, paths)

    with pg_app.app_context():
        seed_scale(CODE, 190, 190, 400, seed=2)
        db.session.commit()
        assert db.session.execute(select(func.count()).select_from(Volunteer)).scalar() == 200
        assert db.session.execute(select(func.count()).select_from(Household)).scalar() == 200
        assert db.session.execute(select(func.count()).select_from(Match)).scalar() == 410
    many = _counts(pg_app, client, paths)
    assert few == many
