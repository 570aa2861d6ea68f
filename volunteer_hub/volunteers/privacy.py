"""A volunteer's own data: export everything as JSON, and erase it (anonymise, keep the counts).

Erasure empties every personal field of the volunteer and of their account, scrubs the e-mails
sent to them from the outbox and removes their sign-in traces, while the row itself, its
organisation, registration date, languages and schemes stay so that reports count the same.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app
from sqlalchemy import delete, select, update

from volunteer_hub.audit.services import list_events_for, record
from volunteer_hub.auth.models import FailedLogin, PasswordResetToken, User
from volunteer_hub.auth.services import hash_password
from volunteer_hub.db import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.notifications.models import OutboxMessage, OutboxStatus
from volunteer_hub.volunteers.models import ChildCertificateState, Volunteer, VolunteerStatus
from volunteer_hub.volunteers.permissions import is_self
from volunteer_hub.volunteers.services import NotPermittedError, VolunteerError

ERASED_DOMAIN = "erased.invalid"


#: Other domains' parts of erasing a volunteer (the matcher's matches, contact cards and private
#: links), each ``step(volunteer_id, actor=...)``, flushing only. Those domains are built on this
#: one, so they add their steps at start-up instead of being imported from here.
ERASURE_STEPS = "vh_volunteer_erasure_steps"


def add_erasure_step(app: Flask, step: Callable[..., None]) -> None:
    """Run ``step`` whenever a volunteer is erased, in the same transaction."""
    app.extensions.setdefault(ERASURE_STEPS, []).append(step)


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_own_data(volunteer: Volunteer) -> dict[str, Any]:
    """Everything Volunteer Hub holds about the volunteer, in one JSON-ready dictionary."""
    months = current_app.config["CHILD_CERTIFICATE_VALID_MONTHS"]
    user: User | None = volunteer.user
    emails = []
    if volunteer.email:
        emails = [
            {
                "queued_at": _iso(m.created_at),
                "subject": m.subject,
                "status": m.status.value,
                "sent_at": _iso(m.sent_at),
            }
            for m in db.session.execute(
                select(OutboxMessage)
                .where(
                    OutboxMessage.municipality_id == volunteer.municipality_id,
                    OutboxMessage.recipient == volunteer.email,
                )
                .order_by(OutboxMessage.id)
            ).scalars()
        ]
    return {
        "exported_at": _iso(utcnow()),
        "municipality": _municipality_name(volunteer),
        "volunteer": {
            "ref": volunteer.ref,
            "status": volunteer.status.value,
            "status_reason": volunteer.status_reason,
            "registered_on": _iso(volunteer.registered_on),
            "first_name": volunteer.first_name,
            "last_name": volunteer.last_name,
            "email": volunteer.email,
            "email_confirmed_at": _iso(volunteer.email_verified_at),
            "phone": volunteer.phone,
            "postcode": volunteer.postcode,
            "birth_year": volunteer.birth_year,
            "gender": volunteer.gender.value if volunteer.gender else None,
            "organisation": volunteer.organisation.name if volunteer.organisation else None,
            "language": volunteer.language,
            "languages": [{"code": row.code, "level": row.level.value} for row in volunteer.languages],
            "skills": volunteer.skills,
            "interests": volunteer.interests,
            "schemes": volunteer.schemes,
            "availability": volunteer.availability,
            "capacity": volunteer.capacity,
            "about": volunteer.about,
            "consents": {
                "data_processing_version": volunteer.data_consent_version,
                "data_processing_at": _iso(volunteer.data_consent_at),
                "code_of_conduct_at": _iso(volunteer.conduct_declared_at),
                "child_certificate_at": _iso(volunteer.child_certificate_consent_at),
            },
            "child_certificate": {
                "state": volunteer.child_certificate_state.value,
                "received_on": _iso(volunteer.child_certificate_received_on),
                "valid_until": _iso(volunteer.child_certificate_expires_on(months)),
                "obtained_by": (
                    volunteer.child_certificate_organisation.name
                    if volunteer.child_certificate_organisation
                    else None
                ),
            },
        },
        "account": None
        if user is None
        else {
            "email": user.email,
            "name": user.name,
            "role": user.role.value,
            "created_at": _iso(user.created_at),
            "last_sign_in_at": _iso(user.last_login_at),
        },
        "history": [
            {"at": _iso(e.occurred_at), "action": e.action, "details": e.details}
            for e in reversed(list_events_for("volunteer", volunteer.id))
        ],
        "emails": emails,
    }


def _municipality_name(volunteer: Volunteer) -> str:
    from volunteer_hub.tenancy.models import Municipality

    municipality = db.session.get(Municipality, volunteer.municipality_id)
    return municipality.name if municipality else ""


def erase_volunteer(volunteer: Volunteer, actor: User) -> Volunteer:
    """Anonymise the volunteer at their own request; they are withdrawn and their account closed."""
    if not is_self(actor, volunteer):
        raise NotPermittedError("only the volunteer can delete their own account")
    if volunteer.is_erased:
        raise VolunteerError("already erased")
    old_email = volunteer.email
    previous_status = volunteer.status

    volunteer.status = VolunteerStatus.WITHDRAWN
    volunteer.status_changed_at = utcnow()
    volunteer.status_reason = None
    volunteer.first_name = ""
    volunteer.last_name = ""
    volunteer.email = None
    volunteer.phone = None
    volunteer.postcode = None
    volunteer.birth_year = None
    volunteer.gender = None
    volunteer.about = ""
    # A certificate's remarks would hint at a conviction: nothing of it stays.
    volunteer.child_certificate_state = ChildCertificateState.NOT_REQUESTED
    volunteer.child_certificate_received_on = None
    volunteer.child_certificate_assessed_by_id = None
    volunteer.child_certificate_organisation_id = None
    volunteer.erased_at = utcnow()

    user = volunteer.user
    if user is not None:
        user.email = f"erased-{user.id}@{ERASED_DOMAIN}"
        user.name = "-"
        user.password_hash = hash_password(secrets.token_urlsafe(32))
        user.is_active_account = False
        user.session_version += 1
        db.session.execute(delete(PasswordResetToken).where(PasswordResetToken.user_id == user.id))

    if old_email:
        key = hashlib.sha256(old_email.strip().lower().encode()).hexdigest()
        db.session.execute(delete(FailedLogin).where(FailedLogin.email_key == key))
        # E-mails already sent or waiting carry the address, the name and the reasons: scrub them.
        db.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.municipality_id == volunteer.municipality_id,
                OutboxMessage.recipient == old_email,
            )
            .values(recipient=f"erased@{ERASED_DOMAIN}", subject="-", body="")
            .execution_options(synchronize_session=False)
        )
        db.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.municipality_id == volunteer.municipality_id,
                OutboxMessage.recipient == f"erased@{ERASED_DOMAIN}",
                OutboxMessage.status == OutboxStatus.PENDING,
            )
            .values(status=OutboxStatus.FAILED, last_error="recipient erased")
            .execution_options(synchronize_session=False)
        )
    # Matches, family links and contact-card letters live in domains built on this one.
    for step in current_app.extensions.get(ERASURE_STEPS, ()):
        step(volunteer.id, actor=actor)
    db.session.flush()
    record(
        "volunteer.erased",
        actor=actor,
        municipality_id=volunteer.municipality_id,
        obj=volunteer,
        from_status=previous_status.value,
        to_status=VolunteerStatus.WITHDRAWN.value,
    )
    return volunteer
