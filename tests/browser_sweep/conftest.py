"""The sweep's data: the Glostrup demo, plus a family's answer, which the demo does not make."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from volunteer_hub.answers.models import AnswerKind, FamilyAnswer
from volunteer_hub.extensions import db
from volunteer_hub.matching.models import Match


@pytest.fixture
def demo(app):
    from volunteer_hub.demo import seed_demo

    with app.app_context():
        seed_demo()
        # The demo has no family's answer yet: one, so that the answer's page can be visited.
        first_match = select(Match).order_by(Match.id).execution_options(all_tenants=True)
        match = db.session.execute(first_match).scalar()
        db.session.add(
            FamilyAnswer(
                municipality_id=match.municipality_id,
                match_id=match.id,
                household_id=match.household_id,
                kind=AnswerKind.MET,
            )
        )
        db.session.commit()
