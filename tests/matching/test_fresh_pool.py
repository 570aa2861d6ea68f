"""Suggestions and the report always see the data as committed: nothing is kept between requests."""

from __future__ import annotations

from tests.factories import make_municipality
from tests.matching.factories import TODAY, household, volunteer
from volunteer_hub.extensions import db
from volunteer_hub.matching import services
from volunteer_hub.volunteers.models import VolunteerStatus


def test_suggestions_see_a_volunteer_approved_after_an_earlier_look(ctx):
    glostrup = make_municipality()
    h = household(glostrup)
    senait = volunteer(glostrup, first_name="Senait", status=VolunteerStatus.PENDING)
    db.session.commit()
    assert services.suggestions_for(h, "friend_buddy", TODAY) == []
    senait.status = VolunteerStatus.APPROVED
    db.session.commit()
    rows = services.suggestions_for(h, "friend_buddy", TODAY)
    assert [row.volunteer.first_name for row in rows] == ["Senait"]


def test_a_report_draft_counts_a_volunteer_registered_after_an_earlier_draft(ctx):
    from volunteer_hub.reports.periods import Quarter
    from volunteer_hub.reports.provider import today_in_denmark
    from volunteer_hub.reports.services import build_report

    glostrup = make_municipality()
    volunteer(glostrup, first_name="Senait")
    db.session.commit()
    quarter = Quarter.of(today_in_denmark())  # the volunteers registered today count in it
    first = build_report(glostrup.id, quarter, None)
    volunteer(glostrup, first_name="Anna")
    db.session.commit()
    assert build_report(glostrup.id, quarter, None) != first
