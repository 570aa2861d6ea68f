"""Writing and reading audit events. Services call ``record``; it flushes, never commits."""

from __future__ import annotations

import functools
from typing import Any

import sqlalchemy as sa
from flask import current_app, has_request_context
from sqlalchemy import Select, select

from volunteer_hub.audit.models import AuditEvent
from volunteer_hub.core import page_cache
from volunteer_hub.extensions import db


def record(
    action: str,
    *,
    actor: Any | None,
    municipality_id: int | None,
    obj: Any | None = None,
    object_type: str | None = None,
    object_id: int | None = None,
    **details: Any,
) -> AuditEvent:
    """Append an audit event for ``action`` by ``actor`` on ``obj`` (or type and id).

    ``details`` must hold identifiers, codes and counts only: the trail outlives
    erasure of a person, so it must never carry a name, address or free text.
    """
    if obj is not None:
        object_type = object_type or obj.__tablename__
        object_id = object_id if object_id is not None else obj.id
    if has_request_context():  # a page kept for reuse records these again when reused
        page_cache.capture(
            {
                "action": action,
                "municipality_id": municipality_id,
                "object_type": object_type,
                "object_id": object_id,
                "details": dict(details),
            }
        )
    event = AuditEvent(
        action=action,
        actor_user_id=getattr(actor, "id", None),
        municipality_id=municipality_id,
        object_type=object_type,
        object_id=object_id,
        details=details,
    )
    db.session.add(event)
    db.session.flush()
    return event


READ_EVENT_COLUMNS = (
    "occurred_at",
    "actor_user_id",
    "municipality_id",
    "action",
    "object_type",
    "object_id",
    "details",
)


@functools.cache
def _async_insert_of_read_events() -> sa.Insert:
    """PostgreSQL: one INSERT that also sets its own transaction's commit to asynchronous
    (built once: building it costs more than running it)."""
    table = AuditEvent.__table__
    settings = sa.select(sa.func.set_config("synchronous_commit", "off", True).label("applied")).cte(
        "commit_settings"
    )
    values = sa.select(
        *(sa.bindparam(name, type_=table.c[name].type) for name in READ_EVENT_COLUMNS)
    ).select_from(settings)
    return sa.insert(table).from_select(list(READ_EVENT_COLUMNS), values)


def append_read_events(rows: list[dict[str, Any]]) -> None:
    """Record events of reading (a kept case page shown again: ``family.viewed``) at once, in a
    statement of their own: committed as soon as it has run, whatever the request does next.

    On PostgreSQL the statement runs outside the request's transaction and commits
    asynchronously: the server confirms before its write-ahead log reaches the disk, and
    writes it there within 3 x ``wal_writer_delay`` (0.6 s by default). A crash of the
    application loses nothing; a crash of the database server itself can lose the read events
    of that last fraction of a second, and nothing else: every change to a case, with its own
    audit events, still commits synchronously. ``AUDIT_READS_ASYNC_COMMIT = False`` makes read
    events wait for the disk too. Elsewhere (SQLite) it is an ordinary insert into the session's
    transaction, which the view commits.
    """
    if not rows:
        return
    if db.session.get_bind().dialect.name != "postgresql":
        db.session.connection().execute(sa.insert(AuditEvent.__table__), rows)
        return
    if current_app.config.get("AUDIT_READS_ASYNC_COMMIT", True):
        statement = _async_insert_of_read_events()
    else:
        statement = sa.insert(AuditEvent.__table__)
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(statement, rows)


def list_events_for(object_type: str, object_id: int, limit: int = 200) -> list[AuditEvent]:
    """The history of one record, newest first."""
    return list(
        db.session.execute(
            select(AuditEvent)
            .where(AuditEvent.object_type == object_type, AuditEvent.object_id == object_id)
            .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
            .limit(limit)
        ).scalars()
    )


def municipality_events_query(municipality_id: int, object_type: str, object_id: int) -> Select[Any]:
    """One record's history within ``municipality_id``, newest first. The audit table is not
    tenant-scoped by the ORM (events outlive their records), so the municipality is explicit."""
    return (
        select(AuditEvent)
        .where(
            AuditEvent.municipality_id == municipality_id,
            AuditEvent.object_type == object_type,
            AuditEvent.object_id == object_id,
        )
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    )
