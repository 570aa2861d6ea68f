"""``flask seed-demo`` adds matches deterministically and idempotently, with the plan's signals."""

from __future__ import annotations

from sqlalchemy import select

from volunteer_hub.core.clock import local_today
from volunteer_hub.extensions import db
from volunteer_hub.matching import services
from volunteer_hub.matching.engine.plan import PLAN_BEST_FIT
from volunteer_hub.matching.models import Match, MatchStatus
from volunteer_hub.tenancy.services import get_municipality_by_code


def _snapshot():
    return [
        (m.household.ref, m.volunteer.ref, m.scheme, m.status, m.started_on, m.ended_on, len(m.meetings))
        for m in db.session.execute(select(Match).order_by(Match.id)).scalars()
    ]


def test_seed_demo_adds_matches_once_with_good_suggestions_and_a_recruitment_signal(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        first = _snapshot()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        assert _snapshot() == first
        statuses = [row[3] for row in first]
        assert statuses.count(MatchStatus.ACTIVE) >= 2 and statuses.count(MatchStatus.ENDED) >= 1
        assert MatchStatus.PROPOSED in statuses and MatchStatus.APPROVED in statuses
        assert any(row[1] == "V0001" and row[3] == MatchStatus.ACTIVE and row[6] for row in first)
        glostrup = get_municipality_by_code("0161")
        plan = services.proposed_plan(glostrup.id, local_today(), PLAN_BEST_FIT).plan
        assert len(plan.assignments) >= 5  # waiting households with good suggestions
        signal = {(u.household, u.scheme): u.reason for u in plan.unassigned}
        assert (
            signal[("F0007", "child_culture")] == "no_eligible_volunteer"
        )  # nobody speaks Tigrinya with a certificate
