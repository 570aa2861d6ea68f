"""The audit trail is written by services and cannot be changed afterwards."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from tests.support import make_municipality, make_user
from volunteer_hub.audit.models import AuditEvent, AuditTrailAppendOnlyError
from volunteer_hub.auth.models import Role, User
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


def _event(user, municipality) -> dict:
    from volunteer_hub.db import utcnow

    return {
        "occurred_at": utcnow(),
        "actor_user_id": user.id,
        "municipality_id": municipality.id,
        "action": "family.viewed",
        "object_type": "household",
        "object_id": 7,
        "details": {"endpoint": "families.case"},
    }


def test_read_events_are_recorded_with_every_column(ctx):
    from volunteer_hub.audit.services import append_read_events

    municipality = make_municipality()
    user = make_user(municipality, Role.MUNICIPAL_COORDINATOR)
    db.session.commit()
    append_read_events([_event(user, municipality), _event(user, municipality)])
    db.session.commit()  # on SQLite they are part of the session's transaction
    events = (
        db.session.execute(sa.select(AuditEvent).where(AuditEvent.action == "family.viewed")).scalars().all()
    )
    assert [(e.actor_user_id, e.municipality_id, e.object_type, e.object_id, e.details) for e in events] == [
        (user.id, municipality.id, "household", 7, {"endpoint": "families.case"})
    ] * 2
    assert all(e.occurred_at.tzinfo is not None for e in events)


@pytest.mark.pg_only
def test_on_postgresql_read_events_commit_on_their_own_and_without_waiting_for_the_disk(pg_app):
    """A repeated view's event is committed by its own statement (a rollback of the request's
    transaction keeps it), with asynchronous commit for that statement's transaction only."""
    from volunteer_hub.audit.services import _read_events_sql, append_read_events

    with pg_app.app_context():
        municipality = make_municipality()
        user = make_user(municipality, Role.MUNICIPAL_COORDINATOR)
        db.session.commit()
        make_user(municipality, Role.MUNICIPAL_COORDINATOR, email="second@glostrup.dk")
        append_read_events([_event(user, municipality)])
        db.session.rollback()  # the request's own work is undone; the read event is not
        assert db.session.execute(sa.select(User).where(User.email == "second@glostrup.dk")).first() is None
        viewed = (
            sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == "family.viewed")
        )
        with db.engine.connect() as other:
            assert other.execute(viewed).scalar_one() == 1
            other.commit()
            with other.begin():
                event = _event(user, municipality)
                event["details"] = json.dumps(event["details"])
                other.exec_driver_sql(_read_events_sql(True), event)
                assert other.exec_driver_sql("SHOW synchronous_commit").scalar_one() == "off"
            assert other.exec_driver_sql("SHOW synchronous_commit").scalar_one() == "on"  # only there
            assert other.execute(viewed).scalar_one() == 2
        assert db.session.execute(sa.text("SHOW synchronous_commit")).scalar_one() == "on"
