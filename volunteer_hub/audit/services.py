"""Writing and reading audit events. Services call ``record``; it flushes, never commits."""

from __future__ import annotations

import functools
import json
from typing import Any

import sqlalchemy as sa
from flask import current_app, has_request_context
from sqlalchemy import Select, select

from volunteer_hub.audit.models import AuditEvent
from volunteer_hub.core import page_cache
from volunteer_hub.db import autocommit_driver_statement
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


# A read event's columns, with its placeholders' types on PostgreSQL: the columns' own, except
# text without a length (a value too long is refused, not cut).
_READ_EVENT_CASTS = {
    "occurred_at": sa.DateTime(timezone=True),
    "actor_user_id": sa.Integer(),
    "municipality_id": sa.Integer(),
    "action": sa.String(),
    "object_type": sa.String(),
    "object_id": sa.Integer(),
    "details": sa.JSON(),
}
READ_EVENT_COLUMNS = tuple(_READ_EVENT_CASTS)


@functools.cache
def _read_events_sql(asynchronous: bool) -> str:
    """PostgreSQL: the text of one INSERT of an event (named, typed placeholders), built once;
    when ``asynchronous``, it also sets its own transaction's commit to asynchronous, in a CTE
    the insert reads from (a CTE nothing reads is not run)."""
    from sqlalchemy.dialects.postgresql import psycopg

    values = sa.select(
        *(sa.cast(sa.bindparam(name), kind).label(name) for name, kind in _READ_EVENT_CASTS.items())
    )
    if asynchronous:
        setting, value = sa.literal_column("'synchronous_commit'"), sa.literal_column("'off'")
        settings = sa.select(sa.func.set_config(setting, value, sa.true()).label("applied"))
        values = values.select_from(settings.cte("commit_settings"))
    statement = sa.insert(AuditEvent.__table__).from_select(list(READ_EVENT_COLUMNS), values)
    return str(statement.compile(dialect=psycopg.dialect()))


def append_read_events(rows: list[dict[str, Any]]) -> bool:
    """Record events of reading (a kept case page shown again: ``family.viewed``) at once, in a
    statement of their own: committed as soon as it has run, whatever the request does next.

    On PostgreSQL the statement runs outside the request's transaction, on the driver's cursor
    (``db.autocommit_driver_statement``: every kept case page runs it, and SQLAlchemy's work
    around it costs more than the insert), and commits asynchronously: the server confirms
    before its write-ahead log reaches the disk, and writes it there within
    3 x ``wal_writer_delay`` (0.6 s by default). A crash of the application loses nothing; a
    crash of the database server itself can lose the read events of that last fraction of a
    second, and nothing else: every change to a case, with its own audit events, still commits
    synchronously. ``AUDIT_READS_ASYNC_COMMIT = False`` makes read events wait for the disk too.
    Elsewhere (SQLite) it is an ordinary insert into the session's transaction, which the view
    commits. Returns True when it wrote into the session's transaction.
    """
    if not rows:
        return False
    if db.session.get_bind().dialect.name != "postgresql":
        db.session.connection().execute(sa.insert(AuditEvent.__table__), rows)
        return True
    asynchronous = bool(current_app.config.get("AUDIT_READS_ASYNC_COMMIT", True))
    utc = AuditEvent.__table__.c.occurred_at.type  # refuses a time without its zone, as record() does
    params = [
        {
            **row,
            "occurred_at": utc.process_bind_param(row["occurred_at"], None),
            "details": json.dumps(row["details"]),
        }
        for row in rows
    ]
    autocommit_driver_statement(db.engine, _read_events_sql(asynchronous), params)
    return False


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
