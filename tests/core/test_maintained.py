"""Values kept in a row (``volunteer_hub.maintained``) follow every change of the rows they sum up,
so the overview's lists, which filter on them, show what the cases say."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from tests.factories import adult, make_household, make_match, make_municipality, make_volunteer
from tests.support import stored
from volunteer_hub.answers.models import AnswerKind, FamilyAnswer
from volunteer_hub.core.roles import Role
from volunteer_hub.demo.scale import seed_scale
from volunteer_hub.extensions import db
from volunteer_hub.families.models import (
    Household,
    HouseholdScheme,
    InternshipOffer,
    Member,
    ReceptionStepKind,
    WorkSector,
)
from volunteer_hub.families.queries.cases import list_cases
from volunteer_hub.families.queries.dashboard import build_dashboard
from volunteer_hub.families.services.households import add_member, remove_member
from volunteer_hub.families.services.members import InternshipData, update_adult
from volunteer_hub.families.services.reception import StepData, update_reception_checklist
from volunteer_hub.matching.models import EndReason, Match, MatchStatus, Meeting, MeetingKind
from volunteer_hub.matching.queries import stale_matches
from volunteer_hub.matching.waiting import list_waiting_households
from volunteer_hub.matching.workflow import end_match
from volunteer_hub.volunteers.models import VolunteerStatus

TODAY = dt.date(2026, 12, 7)


class _Coordinator:
    def __init__(self, municipality_id: int) -> None:
        self.municipality_id = municipality_id
        self.role = Role.MUNICIPAL_COORDINATOR
        self.organisation_id = None


def test_a_households_first_arrival_follows_members_added_changed_and_removed(ctx):
    glostrup = make_municipality()
    household = make_household(glostrup, arrival=dt.date(2026, 11, 20))
    db.session.commit()
    assert stored(Household, "earliest_arrival_on", household.id) == dt.date(2026, 11, 20)

    # A partner who came first, registered later: the welcome letter is due from his arrival.
    earlier = add_member(
        household,
        adult("Amanuel Haile", dt.date(2026, 10, 1)),
        expected_version=household.version_id,
        actor=None,
    )
    db.session.commit()
    assert stored(Household, "earliest_arrival_on", household.id) == dt.date(2026, 10, 1)
    assert stored(Member, "municipality_id", earlier.id) == glostrup.id  # for the overview's index
    letters = build_dashboard(glostrup.id, TODAY).letters
    assert [(row.household.id, row.deadline.due_on) for row in letters] == [
        (household.id, dt.date(2026, 10, 15))
    ]

    earlier.arrival_on = dt.date(2026, 11, 25)  # the date was typed wrong
    db.session.commit()
    assert stored(Household, "earliest_arrival_on", household.id) == dt.date(2026, 11, 20)

    remove_member(
        household, db.session.get(Member, earlier.id), expected_version=household.version_id, actor=None
    )
    db.session.commit()
    assert stored(Household, "earliest_arrival_on", household.id) == dt.date(2026, 11, 20)
    # The object in the session reads the stored value again, not what it held before.
    assert household.earliest_arrival_on == dt.date(2026, 11, 20)


def test_who_is_owed_an_internship_follows_offers_jobs_and_members(ctx):
    glostrup = make_municipality()
    household = make_household(glostrup, arrival=dt.date(2026, 11, 1), adults=2)
    db.session.commit()
    first, second = household.adults
    assert stored(Household, "first_owed_on", household.id) == dt.date(2026, 11, 1)

    def save_adult(
        member: Member, *, arrival: dt.date, employed: bool = False, offered: bool = False
    ) -> None:
        offer = (
            InternshipData("Glostrup Plejecenter", WorkSector.CARE, dt.date(2026, 11, 10))
            if offered
            else None
        )
        update_adult(
            household,
            member,
            adult(member.name, arrival, employed=employed),
            internship=offer,
            danish=None,
            expected_version=household.version_id,
            actor=None,
        )
        db.session.commit()

    save_adult(second, arrival=dt.date(2026, 11, 20))  # the second adult came later
    save_adult(first, arrival=dt.date(2026, 11, 1), offered=True)
    assert stored(Household, "first_owed_on", household.id) == dt.date(2026, 11, 20)
    save_adult(second, arrival=dt.date(2026, 11, 20), employed=True)
    assert stored(Household, "first_owed_on", household.id) is None
    save_adult(first, arrival=dt.date(2026, 11, 1))  # the offer was recorded by mistake
    assert stored(Household, "first_owed_on", household.id) == dt.date(2026, 11, 1)
    # An offer written on its own, not through its member (as an import or the demo could).
    offer = InternshipOffer(
        member_id=first.id, workplace_name="Rengøring A/S", sector=WorkSector.CLEANING, offered_on=TODAY
    )
    db.session.add(offer)
    db.session.commit()
    assert stored(Household, "first_owed_on", household.id) is None
    db.session.delete(offer)
    db.session.commit()
    assert stored(Household, "first_owed_on", household.id) == dt.date(2026, 11, 1)

    # The case list's deadline order and its "needs attention" filter read it: once the letter is
    # sent, the household's next deadline is the internship of the adult still owed one.
    other = make_household(glostrup, arrival=dt.date(2026, 11, 10), name="Ahmadi family")
    for case in (household, other):
        update_reception_checklist(
            case,
            {ReceptionStepKind.WELCOME_LETTER: StepData(dt.date(2026, 11, 12))},
            expected_version=case.version_id,
            actor=None,
        )
    db.session.commit()
    listed = list_cases(glostrup.id, TODAY, show="attention", sort="deadline")
    assert [row.household.id for row in listed.items] == [household.id, other.id]
    save_adult(first, arrival=dt.date(2026, 11, 1), offered=True)
    listed = list_cases(glostrup.id, TODAY, show="attention", sort="deadline")
    assert [row.household.id for row in listed.items] == [other.id]


def test_a_matchs_last_contact_follows_meetings_answers_and_its_start(ctx):
    glostrup = make_municipality()
    household = make_household(glostrup)
    volunteer = make_volunteer(glostrup, status=VolunteerStatus.APPROVED)
    match = make_match(
        household, volunteer, status=MatchStatus.ACTIVE, started_on=TODAY - dt.timedelta(days=60)
    )
    db.session.commit()
    coordinator = _Coordinator(glostrup.id)

    def without_contact() -> list[int]:
        return [row.match.id for row in stale_matches(coordinator, TODAY)[0]]

    assert stored(Match, "last_contact_on", match.id) == TODAY - dt.timedelta(days=60)
    assert without_contact() == [match.id]

    assert match.last_contact_on == TODAY - dt.timedelta(days=60)  # loaded into the session
    meeting = Meeting(match_id=match.id, on=TODAY - dt.timedelta(days=5), minutes=60, kind=MeetingKind.PHONE)
    db.session.add(meeting)
    db.session.flush()
    # Within the same transaction, the match in the session reads the refreshed value.
    assert match.last_contact_on == TODAY - dt.timedelta(days=5)
    db.session.commit()
    assert stored(Match, "last_contact_on", match.id) == TODAY - dt.timedelta(days=5)
    assert without_contact() == []

    db.session.delete(meeting)  # logged on the wrong match
    db.session.commit()
    assert without_contact() == [match.id]

    # The family's own "we have met" on its private link counts as contact too.
    answer = FamilyAnswer(
        municipality_id=glostrup.id,
        match_id=match.id,
        household_id=household.id,
        kind=AnswerKind.MET,
        answered_at=dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC),
    )
    db.session.add(answer)
    db.session.commit()
    assert stored(Match, "last_contact_on", match.id) == dt.date(2026, 12, 1)
    assert without_contact() == []

    db.session.delete(answer)
    match.started_on = TODAY - dt.timedelta(days=10)  # the start was corrected
    db.session.commit()
    assert stored(Match, "last_contact_on", match.id) == TODAY - dt.timedelta(days=10)
    assert match.last_contact_on == TODAY - dt.timedelta(days=10)
    assert without_contact() == []


def test_seed_scale_writes_the_values_its_bulk_inserts_bypass(ctx):
    seed_scale("9999", volunteers=40, households=30, matches=80, seed=5, today=TODAY)
    db.session.commit()
    first_arrival = (
        sa.select(sa.func.min(Member.arrival_on)).where(Member.household_id == Household.id).scalar_subquery()
    )
    wrong = db.session.execute(
        sa.select(sa.func.count()).where(Household.earliest_arrival_on.is_distinct_from(first_arrival))
    ).scalar_one()
    assert wrong == 0
    wrong = db.session.execute(
        sa.select(sa.func.count())
        .select_from(Member)
        .join(Household, Household.id == Member.household_id)
        .where(Member.municipality_id.is_distinct_from(Household.municipality_id))
    ).scalar_one()
    assert wrong == 0
    last_meeting = sa.select(sa.func.max(Meeting.on)).where(Meeting.match_id == Match.id).scalar_subquery()
    wrong = db.session.execute(
        sa.select(sa.func.count()).where(
            Match.last_contact_on.is_distinct_from(sa.func.coalesce(last_meeting, Match.started_on))
        )
    ).scalar_one()
    assert wrong == 0
    open_start = (
        sa.select(sa.func.min(Match.started_on))
        .where(
            Match.household_id == HouseholdScheme.household_id,
            Match.scheme == HouseholdScheme.scheme,
            Match.status != MatchStatus.PROPOSED,
            Match.ended_on.is_(None),
        )
        .scalar_subquery()
    )
    served = sa.select(sa.func.count()).where(HouseholdScheme.served_from.is_not(None))
    assert db.session.execute(served).scalar_one() > 0  # not trivially right
    wrong = db.session.execute(
        sa.select(sa.func.count()).where(HouseholdScheme.served_from.is_distinct_from(open_start))
    ).scalar_one()
    assert wrong == 0


def test_who_waits_follows_matches_approved_ended_moved_and_deleted(ctx):
    """A request's ``served_from`` (the first start of its matches without an end date) follows
    every change of its matches, so the overview's waiting list says what the matches say."""
    glostrup = make_municipality()
    household = make_household(glostrup, schemes=["family_buddy", "friend_buddy"])
    volunteer = make_volunteer(glostrup, status=VolunteerStatus.APPROVED)
    db.session.commit()
    requests = {request.scheme: request.id for request in household.schemes}

    def served_from(scheme: str) -> dt.date | None:
        return stored(HouseholdScheme, "served_from", requests[scheme])

    def waiting(today: dt.date = TODAY) -> list[str]:
        [row] = list_waiting_households(glostrup.id, today) or [None]
        return list(row.schemes) if row else []

    assert waiting() == ["family_buddy", "friend_buddy"]
    match = make_match(household, volunteer, status=MatchStatus.PROPOSED)
    db.session.commit()
    assert served_from("family_buddy") is None  # a proposal serves nobody yet
    match.status, match.started_on = MatchStatus.APPROVED, TODAY + dt.timedelta(days=3)
    db.session.commit()
    assert served_from("family_buddy") == TODAY + dt.timedelta(days=3)
    assert waiting() == ["family_buddy", "friend_buddy"]  # announced: served from its arrival
    assert waiting(TODAY + dt.timedelta(days=3)) == ["friend_buddy"]

    match.scheme = "friend_buddy"  # registered under the wrong scheme: both requests change
    db.session.commit()
    assert (served_from("family_buddy"), served_from("friend_buddy")) == (None, TODAY + dt.timedelta(days=3))

    match.started_on = TODAY - dt.timedelta(days=20)
    db.session.commit()
    end_match(match, EndReason.OTHER, actor=None, note="Moving away", on=TODAY + dt.timedelta(days=5))
    db.session.commit()
    assert served_from("friend_buddy") is None  # it ends: served by the end date, not the value
    assert waiting() == ["family_buddy"]
    assert waiting(TODAY + dt.timedelta(days=5)) == ["family_buddy", "friend_buddy"]

    second = make_match(household, volunteer, scheme="family_buddy", started_on=TODAY - dt.timedelta(days=2))
    db.session.commit()
    assert served_from("family_buddy") == TODAY - dt.timedelta(days=2)
    assert waiting() == []
    db.session.delete(second)  # entered by mistake
    db.session.commit()
    assert served_from("family_buddy") is None
    assert waiting() == ["family_buddy"]


def test_a_meeting_moved_to_another_match_refreshes_both(ctx):
    """Set on an object expired by the commit, the old match id was never loaded: the kept value
    must still follow it to the match the meeting left."""
    glostrup = make_municipality()
    volunteer = make_volunteer(glostrup, status=VolunteerStatus.APPROVED)
    started = TODAY - dt.timedelta(days=60)
    first, second = (
        make_match(make_household(glostrup, name=name), volunteer, started_on=started) for name in ("A", "B")
    )
    meeting = Meeting(match_id=first.id, on=TODAY - dt.timedelta(days=5), minutes=60, kind=MeetingKind.PHONE)
    db.session.add(meeting)
    db.session.commit()
    assert stored(Match, "last_contact_on", first.id) == TODAY - dt.timedelta(days=5)

    meeting.match_id = second.id  # logged on the wrong match
    db.session.commit()
    assert stored(Match, "last_contact_on", first.id) == started
    assert stored(Match, "last_contact_on", second.id) == TODAY - dt.timedelta(days=5)
