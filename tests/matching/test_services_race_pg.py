"""Two coordinators approving competing matches for a volunteer's last free place, on real connections.

Each round, two threads (two sessions, two PostgreSQL connections) approve matches of the same
volunteer for two different households at the same moment. The volunteer's row lock serialises
them: exactly one wins, the other is refused with a clear "already changed" error, and the
database holds exactly one approval, one audit event and one set of messages.
"""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select

from tests.factories import make_user
from tests.matching.factories import TODAY, household, volunteer
from tests.support import make_glostrup
from volunteer_hub.audit.models import AuditEvent
from volunteer_hub.auth.models import User
from volunteer_hub.extensions import db
from volunteer_hub.families.models import Household
from volunteer_hub.letters.models import FamilyLink
from volunteer_hub.matching import workflow
from volunteer_hub.matching.models import Match, MatchSource, MatchStatus
from volunteer_hub.notifications.models import OutboxMessage
from volunteer_hub.volunteers.models import Volunteer

pytestmark = pytest.mark.pg_only

ROUNDS = 50


def _setup(app):
    """Per round: a volunteer with one free place and two households; even rounds pre-proposed."""
    with app.app_context():
        glostrup = make_glostrup()
        municipality = glostrup.municipality
        coordinators = (glostrup.coordinator_login.id, make_user(municipality).id)
        rounds = []
        for n in range(ROUNDS):
            v = volunteer(municipality)
            pair = [household(municipality), household(municipality)]
            if n % 2 == 0:
                actor = db.session.get(User, coordinators[0])
                source = MatchSource.SUGGESTION
                proposals = [
                    workflow.propose_match(h, v, "friend_buddy", actor=actor, source=source).id for h in pair
                ]
                rounds.append((v.id, [h.id for h in pair], proposals))
            else:
                rounds.append((v.id, [h.id for h in pair], None))
        db.session.commit()
    return coordinators, rounds


def _approve(app, barrier, user_id, volunteer_id, household_id, match_id, outcome):
    with app.app_context():
        actor = db.session.get(User, user_id)
        if match_id is None:
            household_row = db.session.get(Household, household_id)
            volunteer_row = db.session.get(Volunteer, volunteer_id)
        barrier.wait(5)
        try:
            if match_id is None:  # "approve this suggestion": propose and approve in one step
                match = workflow.propose_match(
                    household_row, volunteer_row, "friend_buddy", actor=actor, source=MatchSource.SUGGESTION
                )
            else:
                match = db.session.get(Match, match_id)
            workflow.approve_match(match, actor=actor, on=TODAY)
            db.session.commit()
            outcome.append(("won", household_id))
        except workflow.MatchChangedError as error:
            db.session.rollback()
            outcome.append(("refused", str(error)))
        except Exception as error:  # noqa: BLE001 - any other failure is reported by the test
            db.session.rollback()
            outcome.append(("error", repr(error)))


def test_two_approvals_for_a_last_free_place_exactly_one_wins(pg_app):
    coordinators, rounds = _setup(pg_app)
    started = time.monotonic()
    for volunteer_id, households, proposals in rounds:
        barrier = threading.Barrier(2)
        outcome: list[tuple[str, object]] = []
        threads = [
            threading.Thread(
                target=_approve,
                args=(
                    pg_app,
                    barrier,
                    coordinators[i],
                    volunteer_id,
                    households[i],
                    proposals[i] if proposals else None,
                    outcome,
                ),
            )
            for i in range(2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        kinds = sorted(kind for kind, _ in outcome)
        assert kinds == ["refused", "won"], outcome
        refusal = next(text for kind, text in outcome if kind == "refused")
        assert "i mellemtiden" in refusal or "allerede" in refusal, refusal  # Danish, the default
    elapsed = time.monotonic() - started
    assert elapsed < 30, f"{ROUNDS} rounds took {elapsed:.1f} s"

    with pg_app.app_context():
        for volunteer_id, _households, _proposals in rounds:
            approved = db.session.execute(
                select(Match).where(Match.volunteer_id == volunteer_id, Match.status == MatchStatus.APPROVED)
            ).scalars()
            [match] = list(approved)
            events = db.session.execute(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "match.approved", AuditEvent.object_id == match.id)
            ).scalar()
            assert events == 1
            v = db.session.get(Volunteer, volunteer_id)
            to_volunteer = db.session.execute(
                select(func.count()).select_from(OutboxMessage).where(OutboxMessage.recipient == v.email)
            ).scalar()
            links = db.session.execute(
                select(func.count()).select_from(FamilyLink).where(FamilyLink.object_id == match.id)
            ).scalar()
            assert (to_volunteer, links) == (1, 1)
        total_approved = db.session.execute(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "match.approved")
        ).scalar()
        assert total_approved == ROUNDS
        assert db.session.execute(select(func.count()).select_from(FamilyLink)).scalar() == ROUNDS
