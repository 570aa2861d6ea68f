"""Interest rarity is counted once per state of the pool (``matching.rarity``): what a household's
suggestions weigh interests by is always what a count over the pool gives now, after any change
to it, while changes elsewhere in the municipality keep the counts already made."""

from __future__ import annotations

import datetime as dt

from tests.factories import make_household, make_match, make_municipality, make_volunteer
from volunteer_hub.extensions import db
from volunteer_hub.families.models import HouseholdScheme
from volunteer_hub.matching.models import Meeting, MeetingKind
from volunteer_hub.matching.rarity import kept_frequencies, pool_token
from volunteer_hub.matching.services.pool import interest_frequencies
from volunteer_hub.volunteers.models import AttributeKind, VolunteerAttribute, VolunteerStatus

TODAY = dt.date(2026, 12, 7)


def test_the_counts_kept_follow_every_change_to_the_pool_and_only_those(ctx):
    glostrup = make_municipality()
    household = make_household(glostrup)  # asks for a family buddy; football and swimming
    anna = make_volunteer(glostrup, status=VolunteerStatus.APPROVED, interests=["football"])
    db.session.commit()
    calls: list[int] = []

    def counted(municipality_id: int):
        calls.append(municipality_id)
        return interest_frequencies(municipality_id)

    def kept():
        return kept_frequencies(glostrup.id, counted)

    first = kept()
    assert first == interest_frequencies(glostrup.id)
    assert first.counts["football"] == 2 and first.documents == 2

    # What the municipality does all day leaves the pool, and the counts, as they were.
    token = pool_token(glostrup.id)
    match = make_match(household, anna, started_on=TODAY - dt.timedelta(days=3))
    db.session.add(Meeting(match=match, on=TODAY, minutes=60, kind=MeetingKind.IN_PERSON))
    household.notes = "Ringer efter kl. 16"
    anna.phone = "+4552000000"
    db.session.commit()
    assert pool_token(glostrup.id) == token
    assert kept() == first and len(calls) == 1

    def changed_then_counted_again(change) -> None:
        before = pool_token(glostrup.id)
        change()
        db.session.commit()
        assert pool_token(glostrup.id) != before
        assert kept() == interest_frequencies(glostrup.id)

    # A volunteer approved, an interest added, a household's interests or schemes edited.
    changed_then_counted_again(
        lambda: make_volunteer(
            glostrup, status=VolunteerStatus.APPROVED, interests=["chess"], first_name="Bo"
        )
    )
    assert kept().counts["chess"] == 1 and kept().documents == 3
    changed_then_counted_again(
        lambda: db.session.add(
            VolunteerAttribute(volunteer_id=anna.id, kind=AttributeKind.INTEREST, code="chess")
        )
    )
    assert kept().counts["chess"] == 2
    changed_then_counted_again(lambda: setattr(household, "interests", ["chess"]))
    assert kept().counts["chess"] == 3 and kept().counts.get("swimming", 0) == 0
    changed_then_counted_again(lambda: setattr(anna, "status", VolunteerStatus.PAUSED))
    assert kept().counts["chess"] == 2 and kept().documents == 2
    scheme = db.session.query(HouseholdScheme).filter_by(household_id=household.id).one()
    changed_then_counted_again(lambda: db.session.delete(scheme))  # no longer asking
    assert kept().counts["chess"] == 1 and kept().documents == 1
    assert len(calls) == 6


def test_each_municipality_has_its_own_counts(ctx):
    glostrup, albertslund = make_municipality(), make_municipality("0165", "Albertslund Kommune")
    make_volunteer(glostrup, status=VolunteerStatus.APPROVED, interests=["football"])
    db.session.commit()
    before = pool_token(albertslund.id)
    assert kept_frequencies(albertslund.id, interest_frequencies).counts == {}
    make_volunteer(glostrup, status=VolunteerStatus.APPROVED, interests=["chess"], first_name="Bo")
    db.session.commit()
    assert pool_token(albertslund.id) == before
    assert kept_frequencies(glostrup.id, interest_frequencies).counts == {"football": 1, "chess": 1}


def test_an_interest_turned_into_a_skill_after_a_commit_changes_the_counts(ctx):
    """The attribute was expired by the commit, so its old kind was never loaded: the pool still
    has to see that an interest left it."""
    glostrup = make_municipality()
    make_household(glostrup)
    bo = make_volunteer(glostrup, status=VolunteerStatus.APPROVED, interests=["chess"])
    db.session.commit()
    assert kept_frequencies(glostrup.id, interest_frequencies).counts["chess"] == 1
    attribute = db.session.query(VolunteerAttribute).filter_by(volunteer_id=bo.id, code="chess").one()
    db.session.commit()  # expires it
    before = pool_token(glostrup.id)
    attribute.kind = AttributeKind.SKILL
    db.session.commit()
    assert pool_token(glostrup.id) != before
    assert kept_frequencies(glostrup.id, interest_frequencies).counts.get("chess", 0) == 0
