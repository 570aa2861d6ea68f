"""Every audit event that records a volunteer's new status is one the quarterly report reads: the
report picks status histories by action (``STATUS_EVENT_ACTIONS``), so a status recorded under
any other action would silently drop out of its counts."""

from __future__ import annotations

import sqlalchemy as sa

from tests.factories import make_municipality, make_user, make_volunteer
from volunteer_hub.audit.models import AuditEvent
from volunteer_hub.demo import seed_demo
from volunteer_hub.extensions import db
from volunteer_hub.volunteers.import_ import import_volunteers
from volunteer_hub.volunteers.privacy import erase_volunteer
from volunteer_hub.volunteers.services.transitions import STATUS_EVENT_ACTIONS, TRANSITIONS, move

HEADER = "ref,first_name,last_name,email,postcode,languages,schemes,availability,status\n"


def test_every_status_the_app_records_is_read_by_the_report(ctx, tmp_path):
    glostrup = make_municipality()
    coordinator = make_user(glostrup)
    for n, transition in enumerate(TRANSITIONS.values()):
        volunteer = make_volunteer(
            glostrup, status=next(iter(transition.sources)), email=f"move{n}@example.dk", with_account=True
        )
        actor = coordinator if transition.by_coordinator else volunteer.user
        reason = "Aftalt i telefonen" if transition.needs_reason else None
        move(volunteer, transition.name, actor, reason=reason)
    leaving = make_volunteer(glostrup, email="erase@example.dk", with_account=True)
    erase_volunteer(leaving, leaving.user)  # at their own request
    path = tmp_path / "volunteers.csv"
    for status in ("pending", "approved"):  # created, then updated with a new status
        path.write_text(HEADER + f"V1,Ida,Holm,ida@example.dk,2600,da:native,friend_buddy,weekend,{status}\n")
        assert not import_volunteers(glostrup, path).problems
    seed_demo()
    db.session.flush()

    recorded = {
        event.action
        for event in db.session.execute(sa.select(AuditEvent)).scalars()
        if event.object_type == "volunteer" and "to_status" in event.details
    }
    assert recorded == STATUS_EVENT_ACTIONS
