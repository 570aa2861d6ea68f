"""Races on real concurrent PostgreSQL connections: exactly one side wins, and the record says so.

Each round starts two threads (each with its own app context, session and connection) at a
barrier, so both transactions run at the same moment. (a) Two coordinators approve the SAME
proposed match: one wins, the other is refused with the "already changed" error, and the
database holds one ``match.approved`` event, one e-mail to the volunteer and one family link.
(b) A volunteer pauses while a coordinator approves their match: either the approval commits
first and the pause then applies to a volunteer with an approved match, or the pause commits
first and the approval is refused; never an approval that happened after the pause.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from tests.factories import make_municipality, make_user
from tests.matching.factories import TODAY, household, volunteer
from volunteer_hub.audit.models import AuditEvent
from volunteer_hub.auth.models import User
from volunteer_hub.extensions import db
from volunteer_hub.letters.models import FamilyLink
from volunteer_hub.matching import cards, workflow
from volunteer_hub.matching.models import Match, MatchSource, MatchStatus
from volunteer_hub.notifications.models import OutboxMessage
from volunteer_hub.volunteers import services as volunteer_services
from volunteer_hub.volunteers.models import Volunteer, VolunteerStatus

pytestmark = pytest.mark.pg_only

ROUNDS = 100
MATCH_EMAIL = cards.VOLUNTEER_EMAIL


def _proposals(app, rounds: int, *, with_account: bool) -> tuple[tuple[int, int], list[int]]:
    """Two coordinators and ``rounds`` proposed matches, each with its own volunteer and household."""
    with app.app_context():
        glostrup = make_municipality()
        coordinators = (make_user(glostrup).id, make_user(glostrup).id)
        actor = db.session.get(User, coordinators[0])
        matches = []
        for _ in range(rounds):
            v = volunteer(glostrup, capacity=2, with_account=with_account)
            h = household(glostrup)
            source = MatchSource.SUGGESTION
            matches.append(workflow.propose_match(h, v, "friend_buddy", actor=actor, source=source).id)
        db.session.commit()
    return coordinators, matches


def _in_thread(app, barrier: threading.Barrier, outcome: list, name: str, prepare: Callable, act: Callable):
    """Run ``act(prepared)`` in its own session once both threads are at the barrier, then commit."""
    with app.app_context():
        prepared = prepare()
        barrier.wait(5)
        try:
            act(prepared)
            db.session.commit()
            outcome.append((name, "won", ""))
        except workflow.MatchChangedError as error:
            db.session.rollback()
            outcome.append((name, "changed", str(error)))
        except (workflow.MatchError, volunteer_services.VolunteerError) as error:
            db.session.rollback()
            outcome.append((name, "refused", str(error)))
        except Exception as error:  # noqa: BLE001 - any other failure is reported by the test
            db.session.rollback()
            outcome.append((name, "error", repr(error)))


def _race(app, *sides: tuple[str, Callable, Callable]) -> list[tuple[str, str, str]]:
    barrier = threading.Barrier(len(sides))
    outcome: list[tuple[str, str, str]] = []
    threads = [
        threading.Thread(target=_in_thread, args=(app, barrier, outcome, name, prepare, act))
        for name, prepare, act in sides
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)
    assert not any(thread.is_alive() for thread in threads), "a racing transaction hung (deadlock?)"
    return sorted(outcome)


def _approver(user_id: int, match_id: int) -> tuple[Callable, Callable]:
    def prepare():
        return db.session.get(User, user_id), db.session.get(Match, match_id)

    def act(prepared):
        actor, match = prepared
        workflow.approve_match(match, actor=actor, on=TODAY)

    return prepare, act


def _count(model, *where) -> int:
    return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar()


def _events(action: str, object_type: str, object_id: int) -> list[AuditEvent]:
    return list(
        db.session.execute(
            select(AuditEvent)
            .where(
                AuditEvent.action == action,
                AuditEvent.object_type == object_type,
                AuditEvent.object_id == object_id,
            )
            .order_by(AuditEvent.id)
        ).scalars()
    )


def test_two_coordinators_approving_the_same_match_exactly_one_wins(pg_app):
    coordinators, matches = _proposals(pg_app, ROUNDS, with_account=False)
    started = time.monotonic()
    for match_id in matches:
        outcome = _race(
            pg_app,
            ("first", *_approver(coordinators[0], match_id)),
            ("second", *_approver(coordinators[1], match_id)),
        )
        assert sorted(kind for _, kind, _ in outcome) == ["changed", "won"], outcome
        refusal = next(text for _, kind, text in outcome if kind == "changed")
        assert "allerede blevet ændret" in refusal, refusal  # Danish, the default language
    elapsed = time.monotonic() - started
    assert elapsed < 40, f"{ROUNDS} rounds took {elapsed:.1f} s"

    with pg_app.app_context():
        for match_id in matches:
            match = db.session.get(Match, match_id)
            assert match.status == MatchStatus.APPROVED
            assert match.approved_by_id in coordinators
            assert len(_events("match.approved", "match", match_id)) == 1
            v = db.session.get(Volunteer, match.volunteer_id)
            assert _count(OutboxMessage, OutboxMessage.recipient == v.email) == 1
            link = (FamilyLink.object_type == "match", FamilyLink.object_id == match_id)
            assert _count(FamilyLink, *link) == 1
            assert len(match.check_ins) == len(workflow.CHECK_IN_SCHEDULE)
        assert _count(AuditEvent, AuditEvent.action == "match.approved") == ROUNDS
        assert _count(OutboxMessage, OutboxMessage.template == MATCH_EMAIL) == ROUNDS


def _pauser(volunteer_id: int) -> tuple[Callable, Callable]:
    """The volunteer pauses themselves (signed in as their own account)."""

    def prepare():
        v = db.session.get(Volunteer, volunteer_id)
        return v, v.user

    def act(prepared):
        v, user = prepared
        volunteer_services.pause(v, user)

    return prepare, act


def test_a_volunteer_pausing_while_their_match_is_approved_gives_one_consistent_outcome(pg_app):
    coordinators, matches = _proposals(pg_app, ROUNDS, with_account=True)
    with pg_app.app_context():
        volunteers = {m: db.session.get(Match, m).volunteer_id for m in matches}
    outcomes = {}
    started = time.monotonic()
    for match_id in matches:
        outcome = _race(
            pg_app,
            ("approve", *_approver(coordinators[0], match_id)),
            ("pause", *_pauser(volunteers[match_id])),
        )
        by_side = {name: (kind, text) for name, kind, text in outcome}
        assert by_side["pause"][0] == "won", outcome  # pausing is always allowed from "approved"
        assert by_side["approve"][0] in ("won", "refused", "changed"), outcome
        outcomes[match_id] = by_side["approve"]
    elapsed = time.monotonic() - started
    assert elapsed < 40, f"{ROUNDS} rounds took {elapsed:.1f} s"

    with pg_app.app_context():
        for match_id, (kind, text) in outcomes.items():
            match = db.session.get(Match, match_id)
            v = db.session.get(Volunteer, match.volunteer_id)
            assert v.status == VolunteerStatus.PAUSED
            [paused] = _events("volunteer.pause", "volunteer", v.id)
            approved = _events("match.approved", "match", match_id)
            match_emails = _count(
                OutboxMessage, OutboxMessage.recipient == v.email, OutboxMessage.template == MATCH_EMAIL
            )
            links = _count(FamilyLink, FamilyLink.object_type == "match", FamilyLink.object_id == match_id)
            if kind == "won":
                # The approval committed first; the pause came after and applies to a matched volunteer.
                assert match.status == MatchStatus.APPROVED
                assert len(approved) == 1 and approved[0].id < paused.id
                assert (match_emails, links) == (1, 1)
            else:
                # The pause committed first; the approval saw it and was refused, leaving no trace.
                assert match.status == MatchStatus.PROPOSED and match.approved_at is None
                assert approved == [] and (match_emails, links) == (0, 0)
                assert text, "the refused coordinator is told why"
        won = sum(1 for kind, _ in outcomes.values() if kind == "won")
        assert _count(AuditEvent, AuditEvent.action == "match.approved") == won
        assert _count(AuditEvent, AuditEvent.action == "volunteer.pause") == ROUNDS


def test_a_volunteer_pausing_twice_at_once_is_paused_once(pg_app):
    """Two tabs (or a double click) send the same pause: one pause, one audit event, one e-mail."""
    rounds = ROUNDS // 2
    with pg_app.app_context():
        glostrup = make_municipality()
        volunteers = [volunteer(glostrup, with_account=True).id for _ in range(rounds)]
        db.session.commit()
    for volunteer_id in volunteers:
        outcome = _race(pg_app, ("first", *_pauser(volunteer_id)), ("second", *_pauser(volunteer_id)))
        assert sorted(kind for _, kind, _ in outcome) == ["refused", "won"], outcome
        refusal = next(text for _, kind, text in outcome if kind == "refused")
        assert "på pause" in refusal, refusal  # says the volunteer is already paused
    with pg_app.app_context():
        for volunteer_id in volunteers:
            v = db.session.get(Volunteer, volunteer_id)
            assert v.status == VolunteerStatus.PAUSED
            assert len(_events("volunteer.pause", "volunteer", volunteer_id)) == 1
            assert _count(OutboxMessage, OutboxMessage.recipient == v.email) == 1
