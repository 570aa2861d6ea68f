"""Issue 20, item 2, on real PostgreSQL connections: the same meeting submitted twice at the same
moment (a double click, two tabs) is logged once; the match's row lock makes the second wait and
then see the first."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import func, select

from tests.factories import make_household, make_match, make_volunteer
from tests.support import make_glostrup
from volunteer_hub.auth.models import User
from volunteer_hub.core.clock import local_today
from volunteer_hub.extensions import db
from volunteer_hub.matching import followup, workflow
from volunteer_hub.matching.models import Match, MatchStatus, Meeting, MeetingKind
from volunteer_hub.volunteers.models import VolunteerStatus

pytestmark = pytest.mark.pg_only

ROUNDS = 10


def _log(app, barrier, match_id, user_id, outcome):
    with app.app_context():
        match = db.session.get(Match, match_id)
        actor = db.session.get(User, user_id)
        barrier.wait(5)
        try:
            followup.log_meeting(
                match,
                actor=actor,
                on=local_today() - dt.timedelta(days=1),
                minutes=45,
                kind=MeetingKind.PHONE,
            )
            db.session.commit()
            outcome.append("logged")
        except workflow.MatchError:
            db.session.rollback()
            outcome.append("refused")
        except Exception as error:  # noqa: BLE001 - any other failure is reported by the test
            db.session.rollback()
            outcome.append(repr(error))


def test_two_identical_meetings_at_the_same_moment_are_logged_once(pg_app):
    with pg_app.app_context():
        glostrup = make_glostrup()
        pairs = []
        for _ in range(ROUNDS):
            volunteer = make_volunteer(
                glostrup.municipality, status=VolunteerStatus.APPROVED, with_account=True
            )
            household = make_household(glostrup.municipality)
            match = make_match(
                household, volunteer, status=MatchStatus.ACTIVE, started_on=dt.date(2026, 11, 1)
            )
            pairs.append((match, volunteer))
        db.session.commit()
        rounds = [(match.id, volunteer.user_id) for match, volunteer in pairs]
    for match_id, user_id in rounds:
        barrier, outcome = threading.Barrier(2), []
        threads = [
            threading.Thread(target=_log, args=(pg_app, barrier, match_id, user_id, outcome))
            for _ in range(2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert sorted(outcome) == ["logged", "refused"], outcome
        with pg_app.app_context():
            count = db.session.execute(
                select(func.count(Meeting.id)).where(Meeting.match_id == match_id)
            ).scalar_one()
        assert count == 1
