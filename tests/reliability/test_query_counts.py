"""The benchmarked pages run the same number of SQL queries with 10 records as with 1,000 (PostgreSQL).

Counted with SQLAlchemy's ``before_cursor_execute`` around one request each, after a warm-up
request (so one-off lookups are not counted). Nothing is kept between requests, so each request
computes its page from the database. Data from ``seed_scale``, as the load benchmark uses.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert

from tests.factories import make_user
from tests.families.test_query_count import counting_queries
from tests.matching.factories import household, volunteer
from tests.support import Login, login_as
from volunteer_hub.core.roles import Role
from volunteer_hub.demo.scale import seed_scale
from volunteer_hub.extensions import db
from volunteer_hub.families.models import Household
from volunteer_hub.matching.models import EndReason, Match, MatchSource, MatchStatus, Meeting, MeetingKind
from volunteer_hub.tenancy.services import get_municipality_by_code
from volunteer_hub.volunteers.models import (
    AttributeKind,
    LanguageLevel,
    Volunteer,
    VolunteerAttribute,
    VolunteerLanguage,
    VolunteerStatus,
)

pytestmark = pytest.mark.pg_only

CODE = "0161"


def _pages(household_id: int, suggested_id: int) -> tuple[str, ...]:
    return (
        "/",
        "/frivillige?status=approved&language=da&scheme=friend_buddy",
        "/frivillige?q=Volunteer&availability=weekend&certificate=received_ok",
        f"/familier/{household_id}",
        f"/familier/{suggested_id}/forslag",
        "/reports/quarterly",
    )


def _household_with_a_candidate(municipality) -> int:
    """A household with at least one eligible volunteer: the suggestions page only scores (and
    so only reads the pool's interest counts) when someone passes the hard rules, whatever the
    municipality's size."""
    suggested = household(municipality)
    volunteer(municipality, first_name="Senait")
    db.session.flush()
    return suggested.id


def _analyze() -> None:
    """Statistics for the grown tables, as ``flask seed-scale`` takes them: without, the planner
    still believes the 10 rows of before, and a nested loop over 1,000 rows took minutes whenever
    autovacuum had not yet come by (the count of queries, what this test checks, is the same)."""
    db.session.execute(text("ANALYZE"))
    db.session.commit()


def _counts(app, client, paths) -> dict[str, int]:
    """path -> queries of one request."""
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


def test_the_benchmarked_pages_do_not_grow_queries_from_10_to_1000_records(pg_app):
    with pg_app.app_context():
        seed_scale(CODE, 10, 10, 10, seed=1)
        municipality = get_municipality_by_code(CODE)
        coordinator = Login(make_user(municipality, Role.MUNICIPAL_COORDINATOR))
        household_id = db.session.execute(select(func.min(Household.id))).scalar()
        suggested_id = _household_with_a_candidate(municipality)
        db.session.commit()
    client = pg_app.test_client()
    login_as(client, coordinator)
    paths = _pages(household_id, suggested_id)
    few = _counts(pg_app, client, paths)

    with pg_app.app_context():
        seed_scale(CODE, 990, 990, 990, seed=2)
        db.session.commit()
        _analyze()
        assert db.session.execute(select(func.count()).select_from(Volunteer)).scalar() == 1001
        assert db.session.execute(select(func.count()).select_from(Household)).scalar() == 1001
        assert db.session.execute(select(func.count()).select_from(Match)).scalar() == 1000
    many = _counts(pg_app, client, paths)
    assert few == many
    print(many)


LISTED = "/frivillige?status=approved&language=ar&scheme=friend_buddy"  # as bench/load asks


def _make_listed(volunteer_ids: list[int]) -> None:
    """Approved, speaking Arabic and offering friend_buddy: on the filtered list (bulk statements)."""
    db.session.execute(
        Volunteer.__table__.update()
        .where(Volunteer.id.in_(volunteer_ids))
        .values(status=VolunteerStatus.APPROVED, erased_at=None)
    )
    db.session.execute(
        insert(VolunteerLanguage)
        .values([{"volunteer_id": v, "code": "ar", "level": LanguageLevel.FLUENT} for v in volunteer_ids])
        .on_conflict_do_nothing()
    )
    db.session.execute(
        insert(VolunteerAttribute)
        .values(
            [{"volunteer_id": v, "kind": AttributeKind.SCHEME, "code": "friend_buddy"} for v in volunteer_ids]
        )
        .on_conflict_do_nothing()
    )


def _add_ended_matches(household_id: int, volunteer_ids: list[int]) -> None:
    """One ended match (with two meetings) of the household with each volunteer, in bulk."""
    municipality_id = db.session.get(Household, household_id).municipality_id
    started = dt.date(2025, 1, 6)
    match_ids = db.session.execute(
        select(Match.id).from_statement(
            insert(Match)
            .values(
                [
                    {
                        "municipality_id": municipality_id,
                        "household_id": household_id,
                        "volunteer_id": v,
                        "scheme": "friend_buddy",
                        "status": MatchStatus.ENDED,
                        "source": MatchSource.IMPORT,
                        "started_on": started,
                        "ended_on": started + dt.timedelta(days=90),
                        "end_reason": EndReason.COMPLETED,
                        "end_note": "",
                        "proposed_at": dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
                    }
                    for v in volunteer_ids
                ]
            )
            .returning(Match.id)
        )
    ).scalars()
    db.session.execute(
        insert(Meeting).values(
            [
                {
                    "match_id": m,
                    "on": started + dt.timedelta(days=d),
                    "minutes": 60,
                    "kind": MeetingKind.IN_PERSON,
                }
                for m in match_ids
                for d in (7, 14)
            ]
        )
    )


def _volunteer_ids(limit: int) -> list[int]:
    return list(db.session.execute(select(Volunteer.id).order_by(Volunteer.id).limit(limit)).scalars())


def test_the_volunteer_list_and_the_case_page_do_not_grow_queries_from_10_to_1000_records(pg_app):
    with pg_app.app_context():
        seed_scale(CODE, 10, 10, 10, seed=3)
        _make_listed(_volunteer_ids(2))
        municipality = get_municipality_by_code(CODE)
        coordinator = Login(make_user(municipality, Role.MUNICIPAL_COORDINATOR))
        household_id = db.session.execute(select(func.min(Household.id))).scalar()
        db.session.commit()
    client = pg_app.test_client()
    login_as(client, coordinator)
    paths = (LISTED, f"/familier/{household_id}")
    few = _counts(pg_app, client, paths)
    assert "/frivillige/" in client.get(LISTED).get_data(as_text=True)  # the list is not empty

    with pg_app.app_context():
        seed_scale(CODE, 990, 990, 740, seed=4)
        _make_listed(_volunteer_ids(300))  # 300 on the filtered list: twelve pages
        _add_ended_matches(household_id, _volunteer_ids(250))  # the case shows 250 more matches
        db.session.commit()
        _analyze()
        assert db.session.execute(select(func.count()).select_from(Volunteer)).scalar() == 1000
        assert db.session.execute(select(func.count()).select_from(Household)).scalar() == 1000
        assert db.session.execute(select(func.count()).select_from(Match)).scalar() == 1000
    many = _counts(pg_app, client, paths)
    assert few == many
    listed = client.get(LISTED).get_data(as_text=True)
    assert listed.count('href="/frivillige/') >= 25
    case_page = client.get(f"/familier/{household_id}").get_data(as_text=True)
    assert len(re.findall(r'href="/matching/\d+"', case_page)) >= 250
