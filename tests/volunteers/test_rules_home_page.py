"""Issue 20, item 8: a matched volunteer's first page shows their families, the next check-in and
how to log a meeting, without having to know about "Min side"."""

from __future__ import annotations

import datetime as dt

from tests.factories import make_household, make_match, make_volunteer
from tests.support import login_as
from volunteer_hub.auth.models import User
from volunteer_hub.extensions import db
from volunteer_hub.matching.models import CheckIn, CheckInKind, MatchStatus
from volunteer_hub.volunteers.models import VolunteerStatus


def test_a_matched_volunteer_sees_the_family_the_next_check_in_and_how_to_log_a_meeting(
    app, client, glostrup
):
    with app.app_context():
        volunteer = make_volunteer(glostrup.municipality, status=VolunteerStatus.APPROVED, with_account=True)
        household = make_household(glostrup.municipality)
        ended = make_household(glostrup.municipality, contact_name="Omar Said", name="Said family")
        match = make_match(household, volunteer, started_on=dt.date(2026, 11, 2))
        match.check_ins = [
            CheckIn(kind=CheckInKind.TWO_WEEKS, due_on=dt.date(2026, 11, 16), done_on=dt.date(2026, 11, 16)),
            CheckIn(kind=CheckInKind.ONE_MONTH, due_on=dt.date(2026, 12, 2)),
            CheckIn(kind=CheckInKind.THREE_MONTHS, due_on=dt.date(2027, 2, 2)),
        ]
        make_match(
            ended,
            volunteer,
            status=MatchStatus.ENDED,
            started_on=dt.date(2026, 9, 1),
            ended_on=dt.date(2026, 10, 1),
        )
        db.session.commit()
        login_as(client, db.session.get(User, volunteer.user_id))
        match_id = match.id
    page = client.get("/").get_data(as_text=True)
    assert "Dine familier" in page
    assert f'href="/min-side/match/{match_id}"' in page and "Senait" in page
    assert "Omar" not in page  # an ended match is no longer one of their families
    assert "2. december 2026" in page  # the next check-in not yet done, not the one done
    assert "16. november 2026" not in page
    assert f'href="/min-side/match/{match_id}#log-meeting"' in page
    assert "Registrér et møde" in page


def test_a_volunteer_without_a_match_is_told_what_happens_next(app, client, glostrup):
    with app.app_context():
        volunteer = make_volunteer(glostrup.municipality, status=VolunteerStatus.APPROVED, with_account=True)
        db.session.commit()
        login_as(client, db.session.get(User, volunteer.user_id))
    page = client.get("/").get_data(as_text=True)
    assert "Dine familier" not in page
    assert "Når du bliver matchet" in page
