"""seed-scale writes consistent synthetic data the report and the matcher can read."""

from __future__ import annotations

import sqlalchemy as sa

from volunteer_hub.demo.scale import seed_scale
from volunteer_hub.extensions import db
from volunteer_hub.matching.models import Match
from volunteer_hub.reports.periods import Quarter
from volunteer_hub.reports.services import build_report
from volunteer_hub.tenancy.services import get_municipality_by_code
from volunteer_hub.volunteers.models import Volunteer


def test_seed_scale_writes_the_asked_numbers_of_consistent_rows(ctx):
    counts = seed_scale("9999", volunteers=60, households=30, matches=120, seed=3)
    db.session.commit()
    assert (counts["volunteers"], counts["households"], counts["matches"]) == (60, 30, 120)
    municipality = get_municipality_by_code("9999")
    assert db.session.execute(sa.select(sa.func.count(Volunteer.id))).scalar() == 60
    # No match starts before either side registered.
    early = db.session.execute(
        sa.select(sa.func.count(Match.id))
        .join(Volunteer, Volunteer.id == Match.volunteer_id)
        .where(Match.started_on < Volunteer.registered_on)
    ).scalar()
    assert early == 0
    report = build_report(municipality.id, Quarter(2026, 3), None)
    assert report["period"]["quarter"] == 3
    # Each volunteer's status is in the audit trail as an import, so the report counts them.
    from volunteer_hub.volunteers.models import VolunteerStatus

    approved = db.session.execute(
        sa.select(sa.func.count(Volunteer.id)).where(
            Volunteer.status.in_([VolunteerStatus.APPROVED, VolunteerStatus.PAUSED]),  # FORMATS.md
            Volunteer.registered_on <= Quarter(2026, 3).end,
        )
    ).scalar()
    assert approved > 0 and report["volunteers"]["approved_at_end"] == approved
