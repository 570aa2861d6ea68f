"""A volunteer's export (GDPR art. 15 and 20): everything kept about them, readable and portable.

Every coded value appears as ``{"code", "label"}``, the label in the volunteer's own language;
``portable`` repeats what the volunteer gave, codes only, for another system to read (art. 20).
Other domains (matches, meetings, contact cards, private links) add their sections through
``add_export_section``, as they add erasure steps: they are built on this domain.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app
from flask_babel import force_locale
from sqlalchemy import and_, or_, select

from volunteer_hub import vocab
from volunteer_hub.audit.models import AuditEvent
from volunteer_hub.db import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.notifications.models import OutboxMessage
from volunteer_hub.volunteers.labels import certificate_label, event_label, status_label
from volunteer_hub.volunteers.models import Volunteer

EXPORT_FORMAT = "volunteer-hub/volunteer-export/2"
EXPORT_SECTIONS = "vh_volunteer_export_sections"


def add_export_section(app: Flask, name: str, section: Callable[[Volunteer], Any]) -> None:
    """Add ``name`` to every volunteer's export: ``section(volunteer)``, called in their language."""
    app.extensions.setdefault(EXPORT_SECTIONS, {})[name] = section


def iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def coded(vocabulary: str, code: str | None) -> dict[str, str] | None:
    """A code with its label in the current language (the export runs in the volunteer's)."""
    if code is None:
        return None
    return {"code": code, "label": vocab.label(vocabulary, code)}


def export_own_data(volunteer: Volunteer) -> dict[str, Any]:
    """Everything Volunteer Hub holds about the volunteer, in one JSON-ready dictionary."""
    with force_locale(volunteer.language or "da"):
        data: dict[str, Any] = {
            "format": EXPORT_FORMAT,
            "exported_at": iso(utcnow()),
            "language": volunteer.language,
            "municipality": _municipality_name(volunteer),
            "volunteer": _profile(volunteer),
            "account": _account(volunteer),
            "history": [_event(e) for e in _events(AuditEvent.object_type == "volunteer", volunteer.id)],
            "own_actions": _own_actions(volunteer),
            "emails": _emails(volunteer),
        }
        for name, section in current_app.extensions.get(EXPORT_SECTIONS, {}).items():
            data[name] = section(volunteer)
        data["portable"] = _portable(volunteer)
    return data


def _profile(volunteer: Volunteer) -> dict[str, Any]:
    months = current_app.config["CHILD_CERTIFICATE_VALID_MONTHS"]
    return {
        "ref": volunteer.ref,
        "status": {"code": volunteer.status.value, "label": status_label(volunteer.status)},
        "status_reason": volunteer.status_reason,
        "registered_on": iso(volunteer.registered_on),
        "first_name": volunteer.first_name,
        "last_name": volunteer.last_name,
        "email": volunteer.email,
        "email_confirmed_at": iso(volunteer.email_verified_at),
        "phone": volunteer.phone,
        "postcode": volunteer.postcode,
        "birth_year": volunteer.birth_year,
        "gender": coded("gender", volunteer.gender.value if volunteer.gender else None),
        "organisation": volunteer.organisation.name if volunteer.organisation else None,
        "language": coded("language", volunteer.language),
        "languages": [
            {**(coded("language", row.code) or {}), "level": coded("level", row.level.value)}
            for row in volunteer.languages
        ],
        "skills": [coded("skill", code) for code in volunteer.skills],
        "interests": [coded("interest", code) for code in volunteer.interests],
        "schemes": [coded("scheme", code) for code in volunteer.schemes],
        "availability": [coded("availability", code) for code in volunteer.availability],
        "capacity": volunteer.capacity,
        "about": volunteer.about,
        "consents": {
            "data_processing_version": volunteer.data_consent_version,
            "data_processing_at": iso(volunteer.data_consent_at),
            "code_of_conduct_at": iso(volunteer.conduct_declared_at),
            "child_certificate_at": iso(volunteer.child_certificate_consent_at),
        },
        "child_certificate": {
            "state": {
                "code": volunteer.child_certificate_state.value,
                "label": certificate_label(volunteer.child_certificate_state),
            },
            "received_on": iso(volunteer.child_certificate_received_on),
            "valid_until": iso(volunteer.child_certificate_expires_on(months)),
            "obtained_by": (
                volunteer.child_certificate_organisation.name
                if volunteer.child_certificate_organisation
                else None
            ),
        },
    }


def _account(volunteer: Volunteer) -> dict[str, Any] | None:
    user = volunteer.user
    if user is None:
        return None
    return {
        "email": user.email,
        "name": user.name,
        "role": user.role.value,
        "created_at": iso(user.created_at),
        "last_sign_in_at": iso(user.last_login_at),
    }


def _events(condition: Any, object_id: int | None = None) -> list[AuditEvent]:
    statement = select(AuditEvent).where(condition)
    if object_id is not None:
        statement = statement.where(AuditEvent.object_id == object_id)
    return list(db.session.execute(statement.order_by(AuditEvent.occurred_at, AuditEvent.id)).scalars())


def _event(event: AuditEvent) -> dict[str, Any]:
    return {
        "at": iso(event.occurred_at),
        "action": {"code": event.action, "label": event_label(event)},
        "object": f"{event.object_type}:{event.object_id}" if event.object_type else None,
        "details": event.details,
    }


def _own_actions(volunteer: Volunteer) -> list[dict[str, Any]]:
    """What the volunteer did themselves (signing in, logging meetings, ...) and what happened to
    their account (a failed sign-in, a password reset asked for), from the audit trail."""
    if volunteer.user_id is None:
        return []
    events = _events(
        or_(
            AuditEvent.actor_user_id == volunteer.user_id,
            and_(AuditEvent.object_type == "user_account", AuditEvent.object_id == volunteer.user_id),
        )
    )
    return [_event(e) for e in events if not (e.object_type == "volunteer" and e.object_id == volunteer.id)]


def _emails(volunteer: Volunteer) -> list[dict[str, Any]]:
    addresses = [a for a in (volunteer.email, volunteer.user.email if volunteer.user else None) if a]
    if not addresses:
        return []
    messages = db.session.execute(
        select(OutboxMessage)
        .where(
            OutboxMessage.municipality_id == volunteer.municipality_id,
            or_(*(OutboxMessage.recipient == address for address in set(addresses))),
        )
        .order_by(OutboxMessage.id)
    ).scalars()
    return [
        {
            "queued_at": iso(m.created_at),
            "subject": m.subject,
            "body": m.body,
            "status": m.status.value,
            "sent_at": iso(m.sent_at),
        }
        for m in messages
    ]


def _portable(volunteer: Volunteer) -> dict[str, Any]:
    """What the volunteer gave, as codes and ISO dates only: the part another system reads."""
    return {
        "first_name": volunteer.first_name,
        "last_name": volunteer.last_name,
        "email": volunteer.email,
        "phone": volunteer.phone,
        "postcode": volunteer.postcode,
        "birth_year": volunteer.birth_year,
        "gender": volunteer.gender.value if volunteer.gender else None,
        "language": volunteer.language,
        "languages": dict(volunteer.language_levels),
        "skills": list(volunteer.skills),
        "interests": list(volunteer.interests),
        "schemes": list(volunteer.schemes),
        "availability": list(volunteer.availability),
        "capacity": volunteer.capacity,
        "about": volunteer.about,
        "registered_on": iso(volunteer.registered_on),
    }


def _municipality_name(volunteer: Volunteer) -> str:
    from volunteer_hub.tenancy.models import Municipality

    municipality = db.session.get(Municipality, volunteer.municipality_id)
    return municipality.name if municipality else ""
