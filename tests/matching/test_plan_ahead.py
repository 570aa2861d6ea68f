"""Announced arrivals and the plan's memory through the database (issues 21 and 23): what the
plan proposes, what an approval reserves, when the contact cards go out, and which pairs the
matcher never proposes again."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from tests.factories import make_household
from tests.matching.factories import TODAY, household, volunteer
from volunteer_hub.extensions import db
from volunteer_hub.letters.models import FamilyLink
from volunteer_hub.matching import services, workflow
from volunteer_hub.matching.models import EndReason, MatchSource, MatchStatus
from volunteer_hub.notifications.models import OutboxMessage

pytestmark = pytest.mark.usefixtures("ctx")
ARRIVAL = TODAY + dt.timedelta(days=12)


@pytest.fixture
def municipality(ctx, glostrup):
    return glostrup.municipality


@pytest.fixture
def coordinator(ctx, glostrup):
    return glostrup.coordinator


def announced(municipality, arrival=ARRIVAL, **overrides):
    """A Tigrinya-speaking household announced to arrive on ``arrival``, asking for a friend buddy."""
    overrides.setdefault("languages", [("ti", "native")])
    overrides.setdefault("schemes", ["friend_buddy"])
    overrides.setdefault("registered_on", TODAY - dt.timedelta(days=2))
    overrides.setdefault("consent_on", TODAY - dt.timedelta(days=2))
    return make_household(municipality, arrival=arrival, **overrides)


def _plan(municipality, policy, **options):
    return services.proposed_plan(municipality.id, TODAY, 0.0, policy=policy, **options).plan


def test_plan_ahead_proposes_announced_households_to_start_on_arrival(municipality):
    h = announced(municipality, ref="F0100")
    volunteer(municipality, ref="V0100")
    later = announced(municipality, arrival=TODAY + dt.timedelta(days=40), ref="F0101")
    ahead = _plan(municipality, "ahead")
    assert [(a.household, a.volunteer, a.starts_on) for a in ahead.assignments] == [(h.ref, "V0100", ARRIVAL)]
    assert later.ref not in {u.household for u in ahead.unassigned}  # beyond the 28-day horizon
    assert _plan(municipality, "ahead", horizon=45).assignments[0].household in {h.ref, later.ref}
    today = _plan(municipality, "today")
    assert today.assignments == () and today.unassigned == ()  # nobody has arrived yet


def test_approving_an_announced_pair_reserves_the_place_from_today(municipality, coordinator):
    h = announced(municipality)
    selam = volunteer(municipality, ref="V0110", capacity=1)
    match = workflow.propose_match(h, selam, "friend_buddy", actor=coordinator, source=MatchSource.PLAN)
    workflow.approve_match(match, actor=coordinator)
    assert (match.status, match.started_on) == (MatchStatus.APPROVED, ARRIVAL)
    assert {c.due_on for c in match.check_ins} >= {ARRIVAL + dt.timedelta(days=14)}
    # Another household, already here, that only Selam could serve: her place is taken already.
    waiting = household(municipality, ref="F0111")
    plan = _plan(municipality, "today")
    assert plan.assignments == ()
    assert [(u.household, u.reason) for u in plan.unassigned] == [("F0111", "no_eligible_volunteer")]
    assert services.suggestions_for(waiting, "friend_buddy", TODAY, "en") == []
    failures = services.why_not(waiting, "friend_buddy", selam, TODAY, "en")
    assert [f.rule for f in failures] == ["approved_free_capacity"]
    # And the announced household's request is served: not planned again in either policy.
    assert h.ref not in {u.household for u in _plan(municipality, "ahead").unassigned}


def _cards(h, v):
    link = db.session.execute(select(FamilyLink).where(FamilyLink.object_type == "match")).scalar_one()
    to_family = db.session.get(OutboxMessage, link.email_message_id)
    to_volunteer = db.session.execute(
        select(OutboxMessage).where(OutboxMessage.recipient == v.email)
    ).scalar_one()
    return to_volunteer, to_family


def _local(moment):
    return moment.astimezone(ZoneInfo("Europe/Copenhagen"))


@pytest.mark.parametrize("days_before", [3, 7])
def test_the_contact_cards_go_out_the_set_days_before_arrival(app, municipality, coordinator, days_before):
    before = app.config["CONTACT_CARD_DAYS_BEFORE_ARRIVAL"]
    assert before == 3  # the default
    app.config["CONTACT_CARD_DAYS_BEFORE_ARRIVAL"] = days_before
    try:
        h = announced(municipality, email="haile@example.dk")
        v = volunteer(municipality, ref="V0120")
        workflow.create_manual_match(h, v, "friend_buddy", actor=coordinator)
        for message in _cards(h, v):
            sent_from = _local(message.next_attempt_at)
            assert sent_from.date() == ARRIVAL - dt.timedelta(days=days_before)
            assert sent_from.hour == 7
    finally:
        app.config["CONTACT_CARD_DAYS_BEFORE_ARRIVAL"] = before


def test_a_household_already_here_gets_its_cards_at_once(municipality, coordinator):
    h = household(municipality, email="here@example.dk")
    v = volunteer(municipality, ref="V0130")
    match = workflow.create_manual_match(h, v, "friend_buddy", actor=coordinator)
    assert match.started_on == TODAY
    for message in _cards(h, v):
        assert _local(message.next_attempt_at).date() <= TODAY


def test_a_pair_that_did_not_work_out_is_never_proposed_again(municipality, coordinator):
    h = household(municipality, ref="F0140")
    v = volunteer(municipality, ref="V0140")
    match = workflow.create_manual_match(h, v, "friend_buddy", actor=coordinator)
    workflow.end_match(match, EndReason.DID_NOT_WORK_OUT, actor=coordinator)
    db.session.flush()
    assert services.suggestions_for(h, "friend_buddy", TODAY, "en") == []  # the SQL pre-filter
    for policy in ("today", "ahead"):
        plan = _plan(municipality, policy)
        assert plan.assignments == ()
        assert [(u.household, u.reason) for u in plan.unassigned] == [("F0140", "no_eligible_volunteer")]
    with pytest.raises(workflow.MatchRuleError):
        workflow.propose_match(h, v, "friend_buddy", actor=coordinator, source=MatchSource.SUGGESTION)
    # A match that ended for another reason (the family moved and came back) may be proposed again.
    other = household(municipality, ref="F0141")
    again = workflow.create_manual_match(
        other, volunteer(municipality, ref="V0141"), "friend_buddy", actor=coordinator
    )
    workflow.end_match(again, EndReason.MOVED_AWAY, actor=coordinator)
    db.session.flush()
    suggested = [r.suggestion.volunteer for r in services.suggestions_for(other, "friend_buddy", TODAY, "en")]
    assert "V0141" in suggested


def test_a_request_with_a_pending_proposal_is_proposed_not_planned_twice(municipality, coordinator):
    h = household(municipality, ref="F0150")
    v = volunteer(municipality, ref="V0150")
    volunteer(municipality, ref="V0151")  # a second volunteer the plan could otherwise propose
    workflow.propose_match(h, v, "friend_buddy", actor=coordinator, source=MatchSource.SUGGESTION)
    for policy in ("today", "ahead"):
        plan = services.proposed_plan(municipality.id, TODAY, 0.0, lang="da", policy=policy).plan
        assert plan.assignments == ()
        assert [(u.household, u.reason, u.text) for u in plan.unassigned] == [
            ("F0150", "proposed", "foreslået, afventer godkendelse")
        ]
