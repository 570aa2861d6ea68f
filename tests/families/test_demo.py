"""``flask seed-demo`` adds about 30 realistic households, deterministically and idempotently."""

from __future__ import annotations

from sqlalchemy import func, select

from volunteer_hub.core.clock import local_today
from volunteer_hub.extensions import db
from volunteer_hub.families.deadlines import DeadlineState
from volunteer_hub.families.models import (
    Household,
    HouseholdLanguage,
    LeisureOffer,
    Member,
    ReceptionStep,
    SharedUnit,
    Workplace,
)
from volunteer_hub.families.queries import build_dashboard
from volunteer_hub.matching.waiting import waiting_board
from volunteer_hub.tenancy.services import get_municipality_by_code

TABLES = (Household, Member, HouseholdLanguage, ReceptionStep, Workplace, LeisureOffer, SharedUnit)


def _snapshot():
    counts = {
        model.__tablename__: db.session.execute(select(func.count()).select_from(model)).scalar()
        for model in TABLES
    }
    households = db.session.execute(
        select(Household.ref, Household.name, Household.version_id).order_by(Household.ref)
    ).all()
    return counts, households


def test_seed_demo_adds_30_households_with_live_deadlines_and_is_idempotent(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        first = _snapshot()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        assert _snapshot() == first
        counts, households = first
        assert counts["household"] == 30
        households = db.session.execute(select(Household)).scalars().all()
        spoken = {lang.language for h in households for lang in h.languages}
        assert {"ar", "ti", "prs", "uk", "so"} <= spoken  # Syrian, Eritrean, Afghan, Ukrainian, Somali
        assert any(len(h.members) == 1 for h in households)  # singles
        ages = {age for h in households for age in h.children_ages(local_today())}
        assert {0, 4, 9, 13, 17} <= ages  # children of all ages
        board = build_dashboard(get_municipality_by_code("0161").id, local_today())
        assert any(row.state == DeadlineState.OVERDUE for row in board.letters)
        assert any(row.state == DeadlineState.OVERDUE for row in board.internships)
        assert board.housing_warnings and board.danish_warnings
        assert waiting_board(get_municipality_by_code("0161").id, local_today()).rows
