"""The audit trail is written by services and cannot be changed afterwards."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.factories import make_municipality, make_user
from volunteer_hub.audit.models import AuditEvent, AuditTrailAppendOnlyError
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db


def test_creating_a_user_writes_an_audit_event(ctx):
    user = make_user(make_municipality(), Role.ADMIN)
    db.session.commit()
    event = db.session.execute(sa.select(AuditEvent).where(AuditEvent.action == "user.created")).scalar_one()
    assert (event.object_type, event.object_id) == ("user_account", user.id)
    assert event.details == {"role": "admin"}


def test_audit_events_cannot_be_changed_or_deleted_through_the_orm(ctx):
    make_user(make_municipality(), Role.ADMIN)
    db.session.commit()
    event = db.session.execute(sa.select(AuditEvent)).scalars().first()
    event.action = "tampered"
    with pytest.raises(AuditTrailAppendOnlyError):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.execute(sa.select(AuditEvent)).scalars().first())
    with pytest.raises(AuditTrailAppendOnlyError):
        db.session.flush()
    db.session.rollback()


@pytest.mark.pg_only
def test_postgresql_refuses_to_update_or_delete_audit_rows(pg_app):
    with pg_app.app_context():
        make_user(make_municipality(), Role.ADMIN)
        db.session.commit()
        for statement in ("UPDATE audit_event SET action = 'x'", "DELETE FROM audit_event"):
            with pytest.raises(sa.exc.DBAPIError, match="append-only"):
                db.session.execute(sa.text(statement))
            db.session.rollback()
