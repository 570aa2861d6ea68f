"""Two coordinators deciding on the same application at once: the row lock makes the second see the first."""

from __future__ import annotations

import threading

import pytest

from tests.factories import make_municipality, make_user, make_volunteer
from volunteer_hub.auth.models import User
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db
from volunteer_hub.volunteers import services
from volunteer_hub.volunteers.models import Volunteer, VolunteerStatus
from volunteer_hub.volunteers.permissions import get_volunteer_or_404

pytestmark = pytest.mark.pg_only


def test_second_coordinator_cannot_reject_an_application_the_first_is_approving(pg_app):
    with pg_app.app_context():
        municipality = make_municipality()
        first_id = make_user(municipality, Role.MUNICIPAL_COORDINATOR).id
        second_id = make_user(municipality, Role.MUNICIPAL_COORDINATOR).id
        volunteer_id = make_volunteer(municipality).id
        db.session.commit()

    locked = threading.Event()
    outcome: dict[str, object] = {}

    def first() -> None:
        with pg_app.app_context():
            actor = db.session.get(User, first_id)
            volunteer = get_volunteer_or_404(volunteer_id, for_user=actor, lock=True)
            locked.set()
            services.approve(volunteer, actor)
            threading.Event().wait(0.5)  # still holding the lock while the second one asks
            db.session.commit()

    def second() -> None:
        locked.wait(5)
        with pg_app.app_context():
            actor = db.session.get(User, second_id)
            volunteer = get_volunteer_or_404(volunteer_id, for_user=actor, lock=True)  # waits for the first
            try:
                services.reject(volunteer, actor, "For sent")
            except services.TransitionError as exc:
                outcome["refused"] = str(exc)
                db.session.rollback()
            else:
                db.session.commit()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert "refused" in outcome
    with pg_app.app_context():
        assert db.session.get(Volunteer, volunteer_id).status == VolunteerStatus.APPROVED
