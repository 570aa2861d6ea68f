"""Two transactions changing what one maintained value sums up, at the same moment, on PostgreSQL.

Under READ COMMITTED an UPDATE that waits for a row lock recomputes its new value from the
snapshot it started with; ``volunteer_hub.maintained`` locks the row first and recomputes in a
later statement, so the second writer sees the first one's meeting and the value is the latest
of both, whichever order they commit in.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import sqlalchemy as sa

from tests.factories import make_household, make_match, make_municipality, make_volunteer
from volunteer_hub.extensions import db
from volunteer_hub.matching.models import Match, MatchStatus, Meeting, MeetingKind
from volunteer_hub.volunteers.models import VolunteerStatus

pytestmark = pytest.mark.pg_only

TODAY = dt.date(2026, 12, 7)


def test_two_meetings_logged_at_once_keep_the_latest_as_last_contact(pg_app):
    with pg_app.app_context():
        glostrup = make_municipality()
        household = make_household(glostrup)
        volunteer = make_volunteer(glostrup, status=VolunteerStatus.APPROVED)
        match_id = make_match(household, volunteer, started_on=TODAY - dt.timedelta(days=60)).id
        db.session.commit()

    first_flushed, first_may_commit = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def log(on: dt.date, before_commit: threading.Event | None, after_flush: threading.Event | None) -> None:
        try:
            with pg_app.app_context():
                db.session.add(Meeting(match_id=match_id, on=on, minutes=60, kind=MeetingKind.PHONE))
                db.session.flush()  # the meeting is written and the match's row refreshed and locked
                if after_flush is not None:
                    after_flush.set()
                if before_commit is not None:
                    before_commit.wait(10)
                db.session.commit()
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)

    # The later meeting is flushed first and holds the row; the earlier one is logged meanwhile,
    # its transaction having started before the later one commits.
    later = threading.Thread(target=log, args=(TODAY - dt.timedelta(days=2), first_may_commit, first_flushed))
    later.start()
    assert first_flushed.wait(10)
    earlier = threading.Thread(target=log, args=(TODAY - dt.timedelta(days=9), None, None))
    earlier.start()
    earlier.join(0.5)  # it waits for the row
    first_may_commit.set()
    later.join(10)
    earlier.join(10)
    assert not errors, errors

    with pg_app.app_context():
        stored = db.session.execute(sa.select(Match.last_contact_on).where(Match.id == match_id)).scalar_one()
        assert stored == TODAY - dt.timedelta(days=2)
        assert db.session.get(Match, match_id).status == MatchStatus.ACTIVE
