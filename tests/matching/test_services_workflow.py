"""The life of a match through the services: transitions, overrides, messages, check-ins, meetings."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from tests.matching.factories import TODAY, household, volunteer
from volunteer_hub.audit.models import AuditEvent
from volunteer_hub.extensions import db
from volunteer_hub.families.models import ReceptionStepKind
from volunteer_hub.families.services.reception import step_of
from volunteer_hub.letters.models import FamilyLink, LetterRecord
from volunteer_hub.matching import followup, queries, workflow
from volunteer_hub.matching.models import (
    CheckInKind,
    EndReason,
    Match,
    MatchSource,
    MatchStatus,
    MeetingKind,
)
from volunteer_hub.matching.waiting import list_waiting_households
from volunteer_hub.notifications.models import OutboxMessage
from volunteer_hub.volunteers.models import add_months

# Every test here calls the services directly, inside one app context.
pytestmark = pytest.mark.usefixtures("ctx")


@pytest.fixture
def municipality(ctx, glostrup):
    """Glostrup Kommune, loaded in the test's app context."""
    return glostrup.municipality


@pytest.fixture
def coordinator(ctx, glostrup):
    """Glostrup's coordinator, loaded in the test's app context."""
    return glostrup.coordinator


def _events(action):
    return list(db.session.execute(select(AuditEvent).where(AuditEvent.action == action)).scalars())


def _count(model):
    return db.session.execute(select(func.count()).select_from(model)).scalar()


def _proposal(municipality, coordinator, **household_fields):
    h = household(municipality, **household_fields)
    v = volunteer(municipality, with_account=True, language="en")
    return (
        workflow.propose_match(h, v, "friend_buddy", actor=coordinator, source=MatchSource.SUGGESTION),
        h,
        v,
    )


def test_the_state_machine_allows_only_its_moves(municipality, coordinator):
    match, _h, _v = _proposal(municipality, coordinator)
    with pytest.raises(workflow.MatchChangedError):
        workflow.activate_match(match, actor=coordinator)  # proposed -> active skips approval
    workflow.approve_match(match, actor=coordinator, on=TODAY)
    with pytest.raises(workflow.MatchChangedError, match="allerede blevet ændret"):
        workflow.approve_match(match, actor=coordinator, on=TODAY)
    workflow.activate_match(match, actor=coordinator)
    with pytest.raises(workflow.MatchChangedError):
        workflow.activate_match(match, actor=coordinator)
    workflow.end_match(match, EndReason.MOVED_AWAY, actor=coordinator, on=TODAY)
    for move in (workflow.activate_match, workflow.approve_match):
        with pytest.raises(workflow.MatchChangedError):
            move(match, actor=coordinator)
    with pytest.raises(workflow.MatchChangedError):
        workflow.end_match(match, EndReason.COMPLETED, actor=coordinator)
    actions = [
        e.action
        for e in db.session.execute(
            select(AuditEvent).where(AuditEvent.object_type == "match").order_by(AuditEvent.id)
        ).scalars()
    ]
    assert actions == ["match.proposed", "match.approved", "match.activated", "match.ended"]


def test_a_proposal_can_be_withdrawn_and_other_needs_a_note(municipality, coordinator):
    match, _h, _v = _proposal(municipality, coordinator)
    with pytest.raises(workflow.MatchError, match="Skriv"):
        workflow.end_match(match, EndReason.OTHER, actor=coordinator, note="  ")
    workflow.end_match(match, EndReason.OTHER, actor=coordinator, note="The family moved to Aarhus first.")
    assert match.status == MatchStatus.ENDED and match.started_on is None


def test_approval_writes_match_audit_event_both_messages_and_check_ins(municipality, coordinator):
    match, h, v = _proposal(municipality, coordinator)
    workflow.approve_match(match, actor=coordinator, on=TODAY)
    db.session.commit()
    assert match.status == MatchStatus.APPROVED and match.started_on == TODAY
    [event] = _events("match.approved")
    assert event.details == {
        "household_id": h.id,
        "volunteer_id": v.id,
        "scheme": "friend_buddy",
        "source": "suggestion",
        "language_override": False,
    }
    to_volunteer = db.session.execute(
        select(OutboxMessage).where(OutboxMessage.recipient == v.email)
    ).scalar_one()
    assert (
        to_volunteer.language == "en" and "Senait" in to_volunteer.body and "52 12 34 56" in to_volunteer.body
    )
    to_family = db.session.execute(
        select(OutboxMessage).where(OutboxMessage.recipient == h.email)
    ).scalar_one()
    assert to_family.language == "ti" and to_family.template == "family_contact_link"
    link = db.session.execute(select(FamilyLink)).scalar_one()
    assert (link.object_type, link.object_id, link.language) == ("match", match.id, "ti")
    letter = db.session.execute(select(LetterRecord)).scalar_one()
    assert (letter.object_type, letter.object_id, letter.language) == ("match", match.id, "ti")
    assert letter.snapshot["data"]["volunteer_first_name"] == v.first_name
    assert [(c.kind, c.due_on) for c in match.check_ins] == [
        (CheckInKind.TWO_WEEKS, TODAY + dt.timedelta(days=14)),
        (CheckInKind.ONE_MONTH, add_months(TODAY, 1)),
        (CheckInKind.THREE_MONTHS, add_months(TODAY, 3)),
    ]
    step = step_of(h, ReceptionStepKind.NETWORK_INTRO)
    assert step is not None and step.done_on == TODAY


def test_a_household_without_email_still_gets_its_card_recorded_and_a_link(municipality, coordinator):
    match, h, _v = _proposal(municipality, coordinator, email="")
    workflow.approve_match(match, actor=coordinator, on=TODAY)
    assert _count(FamilyLink) == 1 and _count(LetterRecord) == 1
    assert db.session.execute(select(func.count()).select_from(OutboxMessage)).scalar() == 1  # volunteer only


def test_ending_frees_the_place_and_closes_the_familys_link(municipality, coordinator):
    match, h, v = _proposal(municipality, coordinator)
    workflow.approve_match(match, actor=coordinator, on=TODAY)
    assert [w.household.id for w in list_waiting_households(municipality.id, TODAY)] == []
    workflow.end_match(match, EndReason.COMPLETED, actor=coordinator, on=TODAY)
    link = db.session.execute(select(FamilyLink)).scalar_one()
    assert link.revoked_at is not None and link.snapshot == {}
    assert [w.household.id for w in list_waiting_households(municipality.id, TODAY)] == [h.id]


def test_a_second_volunteer_for_the_same_request_is_refused(municipality, coordinator):
    h = household(municipality)
    first, second = volunteer(municipality), volunteer(municipality)
    one = workflow.propose_match(h, first, "friend_buddy", actor=coordinator, source=MatchSource.SUGGESTION)
    two = workflow.propose_match(h, second, "friend_buddy", actor=coordinator, source=MatchSource.SUGGESTION)
    workflow.approve_match(one, actor=coordinator, on=TODAY)
    with pytest.raises(workflow.MatchChangedError, match="har allerede en godkendt frivillig"):
        workflow.approve_match(two, actor=coordinator, on=TODAY)


def test_approval_checks_the_rules_again(municipality, coordinator):
    match, _h, v = _proposal(municipality, coordinator)
    v.status = "paused"
    db.session.flush()
    with pytest.raises(workflow.MatchRuleError) as error:
        workflow.approve_match(match, actor=coordinator, on=TODAY)
    assert [f.rule for f in error.value.failures] == ["approved_free_capacity"]


def test_only_the_language_rule_may_be_overridden_with_a_reason_and_an_interpreter(municipality, coordinator):
    h = household(municipality, languages=[("ti", "native")])
    danish_only = volunteer(municipality, languages={"da": "native"})
    with pytest.raises(workflow.MatchRuleError) as error:
        workflow.create_manual_match(h, danish_only, "friend_buddy", actor=coordinator, on=TODAY)
    assert [f.rule for f in error.value.failures] == ["shared_language"]
    with pytest.raises(workflow.MatchRuleError):  # ticked, but no written reason
        workflow.create_manual_match(
            h, danish_only, "friend_buddy", actor=coordinator, override_language=True
        )
    assert h.interpreter_needed is False and _count(Match) == 0
    match = workflow.create_manual_match(
        h,
        danish_only,
        "friend_buddy",
        actor=coordinator,
        override_language=True,
        override_reason="The son interprets; they have met at the library.",
        on=TODAY,
    )
    assert match.status == MatchStatus.APPROVED and match.source == MatchSource.MANUAL
    assert match.override_reason.startswith("The son") and h.interpreter_needed is True
    assert _events("match.approved")[0].details["language_override"] is True


def test_the_child_certificate_can_never_be_overridden(municipality, coordinator):
    h = household(municipality, schemes=["child_culture"], children_birth_years=(TODAY.year - 6,))
    no_certificate = volunteer(municipality, languages={"da": "native"})
    with pytest.raises(workflow.MatchRuleError) as error:
        workflow.create_manual_match(
            h,
            no_certificate,
            "child_culture",
            actor=coordinator,
            override_language=True,
            override_reason="We trust her.",
            on=TODAY,
        )
    assert "child_certificate" in [f.rule for f in error.value.failures]
    assert _count(Match) == 0 and h.interpreter_needed is False


def test_a_rejected_pair_closes_its_proposal_and_cannot_be_rejected_twice(municipality, coordinator):
    match, h, v = _proposal(municipality, coordinator)
    workflow.reject_pair(h, v, "friend_buddy", "Too far apart in age", actor=coordinator)
    assert match.status == MatchStatus.ENDED and match.end_reason == EndReason.REJECTED
    with pytest.raises(workflow.MatchChangedError):
        workflow.reject_pair(h, v, "friend_buddy", "Again", actor=coordinator)
    with pytest.raises(workflow.MatchError, match="Skriv"):
        workflow.reject_pair(h, volunteer(municipality), "friend_buddy", " ", actor=coordinator)


def test_meetings_activate_the_match_and_keep_it_off_the_no_contact_list(municipality, coordinator):
    match, _h, v = _proposal(municipality, coordinator)
    start = TODAY - dt.timedelta(days=40)
    workflow.approve_match(match, actor=coordinator, on=start)
    assert [row.match.id for row in queries.matches_without_contact(coordinator, TODAY)] == [match.id]
    with pytest.raises(workflow.MatchError, match="før matchet begyndte"):
        followup.log_meeting(
            match, actor=v.user, on=start - dt.timedelta(days=1), minutes=60, kind=MeetingKind.PHONE
        )
    with pytest.raises(workflow.MatchError, match="fremtiden"):
        followup.log_meeting(
            match, actor=v.user, on=TODAY + dt.timedelta(days=1), minutes=60, kind=MeetingKind.PHONE
        )
    followup.log_meeting(
        match, actor=v.user, on=TODAY - dt.timedelta(days=31), minutes=90, kind=MeetingKind.IN_PERSON
    )
    assert match.status == MatchStatus.ACTIVE
    assert [row.days for row in queries.matches_without_contact(coordinator, TODAY)] == [31]
    followup.log_meeting(
        match, actor=v.user, on=TODAY - dt.timedelta(days=29), minutes=60, kind=MeetingKind.ACTIVITY
    )
    assert queries.matches_without_contact(coordinator, TODAY) == []


def test_check_ins_due_are_listed_until_done(municipality, coordinator):
    match, _h, _v = _proposal(municipality, coordinator)
    workflow.approve_match(match, actor=coordinator, on=TODAY - dt.timedelta(days=20))
    due = queries.check_ins_due(coordinator, TODAY)
    assert [c.kind for c in due] == [CheckInKind.TWO_WEEKS]
    followup.complete_check_in(due[0], actor=coordinator, on=TODAY, note="Going well")
    assert queries.check_ins_due(coordinator, TODAY) == []
    with pytest.raises(workflow.MatchChangedError):
        followup.complete_check_in(due[0], actor=coordinator, on=TODAY)


def test_a_leisure_introduction_records_where_it_led(municipality, coordinator):
    from volunteer_hub.families.models import LeisureKind
    from volunteer_hub.families.services.registers import LeisureOfferData, save_leisure_offer

    offer = save_leisure_offer(
        None,
        LeisureOfferData("Glostrup Svømmeklub", LeisureKind.SWIMMING_POOL),
        municipality_id=municipality.id,
        actor=None,
    )
    h = household(municipality, schemes=["leisure_intro"])
    match = workflow.create_manual_match(
        h, volunteer(municipality), "leisure_intro", actor=coordinator, on=TODAY
    )
    with pytest.raises(workflow.MatchError, match="første besøg"):
        followup.record_leisure_outcome(
            match,
            actor=coordinator,
            leisure_offer_id=offer.id,
            first_visit_on=TODAY + dt.timedelta(days=7),
            membership_on=TODAY,
            still_taking_part=None,
        )
    followup.record_leisure_outcome(
        match,
        actor=coordinator,
        leisure_offer_id=offer.id,
        first_visit_on=TODAY,
        membership_on=TODAY,
        still_taking_part=True,
    )
    assert (match.leisure_offer_id, match.membership_on, match.still_taking_part_at_3_months) == (
        offer.id,
        TODAY,
        True,
    )
    other = workflow.create_manual_match(
        household(municipality), volunteer(municipality), "friend_buddy", actor=coordinator, on=TODAY
    )
    with pytest.raises(workflow.MatchError, match="Kun en fritidsintroduktion"):
        followup.record_leisure_outcome(
            other,
            actor=coordinator,
            leisure_offer_id=None,
            first_visit_on=None,
            membership_on=None,
            still_taking_part=None,
        )


def test_waiting_households_are_those_with_a_scheme_and_no_active_match_in_it(municipality, coordinator):
    both = household(municipality, schemes=["friend_buddy", "leisure_intro"])
    workflow.create_manual_match(both, volunteer(municipality), "friend_buddy", actor=coordinator, on=TODAY)
    [waiting] = list_waiting_households(municipality.id, TODAY)
    assert waiting.household.id == both.id and waiting.schemes == ("leisure_intro",)
