"""`flask seed-demo` adds about 80 realistic volunteers, once, and a volunteer demo login."""

from __future__ import annotations

import sqlalchemy as sa

from volunteer_hub.audit.models import AuditEvent
from volunteer_hub.auth.services import authenticate
from volunteer_hub.demo import DEMO_PASSWORD
from volunteer_hub.demo.volunteers import DEMO_VOLUNTEER_EMAIL
from volunteer_hub.extensions import db
from volunteer_hub.volunteers import queries
from volunteer_hub.volunteers.models import Volunteer, VolunteerLanguage
from volunteer_hub.volunteers.services import today


def _state():
    volunteers = db.session.execute(sa.select(Volunteer).order_by(Volunteer.ref)).scalars().all()
    return (
        [
            (
                v.ref,
                v.name,
                v.email,
                v.status.value,
                v.organisation_id,
                v.language_levels,
                v.schemes,
                v.child_certificate_state.value,
                v.child_certificate_received_on,
            )
            for v in volunteers
        ],
        db.session.execute(sa.select(sa.func.count(AuditEvent.id))).scalar(),
    )


def test_seed_demo_adds_volunteers_once_and_prints_a_volunteer_login(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert DEMO_VOLUNTEER_EMAIL in first.output and "volunteer" in first.output
    with app.app_context():
        state = _state()
        volunteers = db.session.execute(sa.select(Volunteer)).scalars().all()
        assert 75 <= len(volunteers) <= 85
        statuses = {v.status.value for v in volunteers}
        assert {"approved", "pending", "paused", "withdrawn", "rejected"} <= statuses
        assert len({v.organisation_id for v in volunteers}) == 5  # four partners and independents
        codes = set(db.session.execute(sa.select(VolunteerLanguage.code)).scalars())
        assert {"da", "en", "ar", "fa", "prs", "ti", "uk", "so"} <= codes
        coordinator = authenticate("koordinator@glostrup.demo", DEMO_PASSWORD).user
        assert queries.list_expiring_certificates(coordinator, today())
        user = authenticate(DEMO_VOLUNTEER_EMAIL, DEMO_PASSWORD).user
        assert user is not None and user.role.value == "volunteer"
        own = db.session.execute(sa.select(Volunteer).where(Volunteer.user_id == user.id)).scalar_one()
        assert own.status.value == "approved"
        db.session.rollback()
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0
    with app.app_context():
        assert _state() == state
