"""A volunteer's own data: export everything as JSON, and erase it (anonymise, keep the counts).

Erasure empties every personal field of the volunteer and of their account, drops what could
single them out (languages, skills, interests, availability, dates beyond the registration
day), scrubs every e-mail that names them from the outbox and removes their sign-in traces.
What the reports count stays: the row with its organisation, registration day, capacity,
schemes and status history, a child certificate found without remarks with its date, and (in
the matching domain) the matches with their dates and meetings without their notes. The
``ref`` stays too, so that a partner's spreadsheet imported again is refused for that row
instead of bringing the volunteer back. docs/privacy.md says what a report
counts afterwards.
"""

from __future__ import annotations

import inspect
import re
import secrets
from collections.abc import Callable

from flask import Flask, current_app
from sqlalchemy import delete, or_, select, update

from volunteer_hub.audit.services import record
from volunteer_hub.auth.models import FailedLogin, PasswordResetToken, User
from volunteer_hub.auth.services import hash_password
from volunteer_hub.auth.throttle import email_key
from volunteer_hub.db import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.notifications.models import OutboxMessage, OutboxStatus
from volunteer_hub.volunteers.models import (
    AttributeKind,
    ChildCertificateState,
    Volunteer,
    VolunteerAttribute,
    VolunteerLanguage,
    VolunteerStatus,
)
from volunteer_hub.volunteers.permissions import is_self
from volunteer_hub.volunteers.privacy_export import add_export_section, export_own_data
from volunteer_hub.volunteers.services import NotPermittedError, VolunteerError

__all__ = ["add_erasure_step", "add_export_section", "erase_volunteer", "export_own_data", "personal_values"]

ERASED_DOMAIN = "erased.invalid"


#: Other domains' parts of erasing a volunteer (the matcher's matches, contact cards and private
#: links), each ``step(volunteer_id, actor=...)``, flushing only. Those domains are built on this
#: one, so they add their steps at start-up instead of being imported from here.
ERASURE_STEPS = "vh_volunteer_erasure_steps"


def add_erasure_step(app: Flask, step: Callable[..., None]) -> None:
    """Run ``step(volunteer_id, actor=...)`` whenever a volunteer is erased, in the same
    transaction; a step with a ``personal`` parameter also gets ``personal_values`` as they were
    before the erasure, to scrub texts that name the volunteer (``scrub_text``, ``scrub_json``)."""
    app.extensions.setdefault(ERASURE_STEPS, []).append(step)


ERASED = "[…]"


def personal_values(volunteer: Volunteer) -> list[str]:
    """The texts that name or reach the volunteer (full name, e-mail, phone in its written forms,
    and the first name alone, for texts about their own matches), longest first."""
    from volunteer_hub.phones import display_phone

    values = {
        volunteer.name.strip(),
        f"{volunteer.last_name}, {volunteer.first_name}".strip(", "),
        volunteer.email or "",
        volunteer.user.email if volunteer.user else "",
        volunteer.first_name.strip(),
    }
    if volunteer.phone:
        values |= {volunteer.phone, display_phone(volunteer.phone), volunteer.phone.removeprefix("+45")}
    return sorted((v for v in values if len(v) >= 2), key=len, reverse=True)


def scrub_text(text: str | None, values: list[str]) -> str | None:
    """``text`` with every one of ``values`` (see ``personal_values``), as a whole word in any
    case, replaced by ``[…]``."""
    if not text:
        return text
    for value in values:
        text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", ERASED, text, flags=re.IGNORECASE)
    return text


def scrub_json(value: object, values: list[str]) -> object:
    """A JSON value (a letter's or link's snapshot) with every string scrubbed."""
    if isinstance(value, str):
        return scrub_text(value, values)
    if isinstance(value, dict):
        return {key: scrub_json(item, values) for key, item in value.items()}
    if isinstance(value, list):
        return [scrub_json(item, values) for item in value]
    return value


def erase_volunteer(volunteer: Volunteer, actor: User) -> Volunteer:
    """Anonymise the volunteer at their own request; they are withdrawn and their account closed."""
    if not is_self(actor, volunteer):
        raise NotPermittedError("only the volunteer can delete their own account")
    if volunteer.is_erased:
        raise VolunteerError("already erased")
    personal = personal_values(volunteer)
    addresses = {a for a in (volunteer.email, volunteer.user.email if volunteer.user else None) if a}
    previous_status = volunteer.status

    _anonymise_row(volunteer)
    user = volunteer.user
    if user is not None:
        user.email = f"erased-{user.id}@{ERASED_DOMAIN}"
        user.name = "-"
        user.password_hash = hash_password(secrets.token_urlsafe(32))
        user.is_active_account = False
        user.session_version += 1
        user.last_login_at = None
        db.session.execute(delete(PasswordResetToken).where(PasswordResetToken.user_id == user.id))
    for address in addresses:
        db.session.execute(delete(FailedLogin).where(FailedLogin.email_key == email_key(address)))
    _scrub_outbox(volunteer.municipality_id, addresses, personal)
    # Matches, meetings, notes, family links and contact-card letters live in domains built on this one.
    for step in current_app.extensions.get(ERASURE_STEPS, ()):
        if "personal" in inspect.signature(step).parameters:
            step(volunteer.id, actor=actor, personal=personal)
        else:  # a step that needs only the id
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


def _anonymise_row(volunteer: Volunteer) -> None:
    """Empty the personal fields; keep only what the reports count (module docstring)."""
    now = utcnow()
    volunteer.status = VolunteerStatus.WITHDRAWN
    volunteer.status_changed_at = now
    volunteer.status_reason = None
    volunteer.first_name = ""
    volunteer.last_name = ""
    volunteer.email = None
    volunteer.phone = None
    volunteer.postcode = None
    volunteer.birth_year = None
    volunteer.gender = None
    volunteer.about = ""
    volunteer.email_verified_at = None
    volunteer.data_consent_at = None
    volunteer.conduct_declared_at = None
    volunteer.child_certificate_consent_at = None
    # A certificate's remarks would hint at a conviction: only "found without remarks" and its
    # date stay, which the reports' certificate figures count (the same as before the erasure).
    if volunteer.child_certificate_state != ChildCertificateState.RECEIVED_OK:
        volunteer.child_certificate_state = ChildCertificateState.NOT_REQUESTED
        volunteer.child_certificate_received_on = None
    volunteer.child_certificate_assessed_by_id = None
    volunteer.child_certificate_organisation_id = None
    volunteer.erased_at = now
    # Languages, skills, interests and availability together can point at one person; the
    # schemes stay (the reports count who works with children by them).
    db.session.execute(delete(VolunteerLanguage).where(VolunteerLanguage.volunteer_id == volunteer.id))
    db.session.execute(
        delete(VolunteerAttribute).where(
            VolunteerAttribute.volunteer_id == volunteer.id, VolunteerAttribute.kind != AttributeKind.SCHEME
        )
    )
    db.session.expire(volunteer, ["languages", "attributes"])


def _scrub_outbox(municipality_id: int, addresses: set[str], personal: list[str]) -> None:
    """E-mails to the volunteer lose everything; others that name them (a family's contact card,
    a coordinator's notice) lose the name, address and phone."""
    erased = f"erased@{ERASED_DOMAIN}"
    if addresses:
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.municipality_id == municipality_id, OutboxMessage.recipient.in_(addresses))
            .values(recipient=erased, subject="-", body="")
            .execution_options(synchronize_session=False)
        )
        db.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.municipality_id == municipality_id,
                OutboxMessage.recipient == erased,
                OutboxMessage.status == OutboxStatus.PENDING,
            )
            .values(status=OutboxStatus.FAILED, last_error="recipient erased")
            .execution_options(synchronize_session=False)
        )
    # The first name alone is too common to search every message for; the matching domain's
    # step scrubs it from the messages about the volunteer's own matches.
    searched = [
        value for value in personal if " " in value or "@" in value or any(c.isdigit() for c in value)
    ]
    if not searched:
        return
    naming = db.session.execute(
        select(OutboxMessage).where(
            OutboxMessage.municipality_id == municipality_id,
            or_(
                *(OutboxMessage.body.contains(v, autoescape=True) for v in searched),
                *(OutboxMessage.subject.contains(v, autoescape=True) for v in searched),
            ),
        )
    ).scalars()
    for message in naming:
        message.subject = scrub_text(message.subject, personal) or "-"
        message.body = scrub_text(message.body, personal) or ""
