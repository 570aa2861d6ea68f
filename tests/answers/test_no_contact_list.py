"""The overview's "without contact for 30 days" counts the family's own "we have met" as contact,
as it counts a meeting the volunteer logged (issue 22: the family's answer beside the log)."""

from __future__ import annotations

import datetime as dt

from tests.answers.helpers import approved_match
from volunteer_hub.answers.models import AnswerKind, FamilyAnswer
from volunteer_hub.core.clock import local_today
from volunteer_hub.extensions import db
from volunteer_hub.matching import queries
from volunteer_hub.matching.models import Match


def _answer(match: Match, kind: AnswerKind, days: int, at: dt.time = dt.time(11)) -> None:
    """An answer given ``days`` Danish days ago at ``at`` UTC (noon in Denmark by default)."""
    db.session.add(
        FamilyAnswer(
            municipality_id=match.municipality_id,
            match_id=match.id,
            household_id=match.household_id,
            kind=kind,
            answered_at=dt.datetime.combine(local_today() - dt.timedelta(days), at, tzinfo=dt.UTC),
        )
    )
    db.session.flush()


def test_a_family_that_says_it_met_its_volunteer_is_not_listed_as_without_contact(app, glostrup):
    with app.app_context():
        approved = approved_match(glostrup)
        match = db.session.get_one(Match, approved.match_id)
        match.started_on = local_today() - dt.timedelta(days=40)
        coordinator = glostrup.coordinator
        today = local_today()

        def listed() -> list[int]:
            return [row.match.id for row in queries.matches_without_contact(coordinator, today)]

        assert listed() == [match.id]
        _answer(match, AnswerKind.NO_CONTACT, days=3)  # no contact is no contact
        assert listed() == [match.id]
        _answer(match, AnswerKind.MET, days=35)  # met, but long ago: still listed, since then
        assert [row.days for row in queries.matches_without_contact(coordinator, today)] == [35]
        _answer(match, AnswerKind.MET, days=5)
        assert listed() == []


def test_we_have_met_late_in_the_evening_counts_on_the_danish_day(app, glostrup):
    """An answer at 23:30 UTC is given at 00:30 or 01:30 the next day in Denmark: the family met
    its volunteer that day, as the volunteer's log would say, not the day before."""
    with app.app_context():
        approved = approved_match(glostrup)
        match = db.session.get_one(Match, approved.match_id)
        match.started_on = local_today() - dt.timedelta(days=60)
        _answer(match, AnswerKind.MET, days=32, at=dt.time(23, 30))  # Denmark: 31 days ago
        db.session.refresh(match)
        assert match.last_contact_on == local_today() - dt.timedelta(days=31)
        rows = queries.matches_without_contact(glostrup.coordinator, local_today())
        assert [(row.match.id, row.days) for row in rows] == [(match.id, 31)]
