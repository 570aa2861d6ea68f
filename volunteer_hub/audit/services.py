"""Writing and reading audit events. Services call ``record``; it flushes, never commits."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, insert, select

from volunteer_hub.audit.models import AuditEvent
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


def record_reads(
    action: str,
    *,
    actor: Any | None,
    municipality_id: int | None,
    object_type: str,
    object_ids: Iterable[int],
    **details: Any,
) -> None:
    """Append one ``action`` event per record in ``object_ids`` (each once): a page that shows
    several records' personal data shows each of them, and each record's own history
    (``list_events_for``) must say who saw it. The view that shows the records calls this once;
    it writes into the session's transaction, never commits. ``details`` as for ``record``."""
    rows = [
        {
            "action": action,
            "actor_user_id": getattr(actor, "id", None),
            "municipality_id": municipality_id,
            "object_type": object_type,
            "object_id": object_id,
            "details": details,
        }
        for object_id in dict.fromkeys(object_ids)
    ]
    if rows:  # one statement for the whole page, however many records it shows
        db.session.execute(insert(AuditEvent), rows)


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
