"""Registration on the web and e-mail confirmation: the first two steps of a volunteer's journey.

``submit_registration`` creates a pending volunteer and e-mails a single-use link (a random token,
stored hashed: auth/links.py); ``verify_email`` confirms the address and creates the volunteer's own
account. Both flush, never commit. An address already registered is not told to the visitor: its
owner gets an e-mail instead (issue 18, finding 6).
"""

from __future__ import annotations

import datetime as dt
import uuid

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from volunteer_hub.audit.services import record
from volunteer_hub.auth import links
from volunteer_hub.auth.models import User
from volunteer_hub.auth.passwords import password_problem
from volunteer_hub.auth.services import create_user, find_user_by_email, normalise_email
from volunteer_hub.core.roles import Role
from volunteer_hub.db import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.notifications.models import OutboxMessage
from volunteer_hub.notifications.services import queue_email
from volunteer_hub.tenancy.models import Municipality
from volunteer_hub.volunteers.models import RegistrationSource, Volunteer, VolunteerStatus
from volunteer_hub.volunteers.refs import assign_volunteer_ref
from volunteer_hub.volunteers.services import (
    DATA_CONSENT_VERSION,
    Consents,
    Profile,
    VolunteerError,
    apply_profile,
    check_organisation,
    notify,
    public_url,
    today,
)
from volunteer_hub.volunteers.validation import needs_child_certificate_consent


def find_volunteer_by_email(municipality_id: int, email: str) -> Volunteer | None:
    """The municipality's volunteer with this e-mail (compared case-insensitively), or None."""
    return db.session.execute(
        select(Volunteer)
        .where(Volunteer.municipality_id == municipality_id, Volunteer.email == normalise_email(email))
        .execution_options(all_tenants=True)
    ).scalar_one_or_none()


def is_email_taken(municipality_id: int, email: str) -> bool:
    """True when the address already belongs to a volunteer here or to any account."""
    return (
        find_volunteer_by_email(municipality_id, email) is not None or find_user_by_email(email) is not None
    )


ALREADY_REGISTERED_TEMPLATE = "volunteer_verify_email_already_registered"


def _tell_owner_already_registered(municipality: Municipality, email: str, language: str) -> None:
    """E-mail the address's owner that someone tried to register with it: at most once a day."""
    since = utcnow() - dt.timedelta(days=1)
    earlier = db.session.execute(
        select(OutboxMessage.id)
        .where(
            OutboxMessage.template == ALREADY_REGISTERED_TEMPLATE,
            OutboxMessage.recipient == normalise_email(email),
            OutboxMessage.created_at > since,
        )
        .limit(1)
        .execution_options(all_tenants=True)
    ).first()
    if earlier is not None:
        return
    queue_email(
        municipality_id=municipality.id,
        to=normalise_email(email),
        template=ALREADY_REGISTERED_TEMPLATE,
        language=language,
        context={"sign_in_url": public_url("auth.login"), "reset_url": public_url("auth.reset_request")},
    )


def submit_registration(
    municipality: Municipality, email: str, profile: Profile, consents: Consents
) -> Volunteer | None:
    """Create a pending web registration and e-mail the volunteer a link to confirm the address.

    The application only counts (can be approved) once the e-mail is confirmed. When the address
    is already registered nothing is created and None is returned; the visitor sees the same
    "check your e-mail" as anyone, and the address's owner is told by e-mail.
    """
    if not (consents.data_processing and consents.conduct):
        raise VolunteerError(_("The data-processing consent and the declaration are both needed."))
    if needs_child_certificate_consent(profile.schemes) and not consents.child_certificate:
        raise VolunteerError(_("Working with children needs consent to a child certificate."))
    if is_email_taken(municipality.id, email):
        _tell_owner_already_registered(municipality, email, profile.language)
        return None
    check_organisation(municipality.id, profile.organisation_id)
    now = utcnow()
    volunteer = Volunteer(
        municipality_id=municipality.id,
        ref=f"new-{uuid.uuid4().hex[:16]}",  # replaced by the next V number below (volunteers.refs)
        source=RegistrationSource.WEB,
        status=VolunteerStatus.PENDING,
        status_changed_at=now,
        registered_on=today(),
        email=normalise_email(email),
        data_consent_version=DATA_CONSENT_VERSION,
        data_consent_at=now,
        conduct_declared_at=now,
        child_certificate_consent_at=now if consents.child_certificate else None,
        first_name="",
        last_name="",
    )
    apply_profile(volunteer, profile)
    db.session.add(volunteer)
    db.session.flush()
    assign_volunteer_ref(volunteer)
    record(
        "volunteer.registered",
        actor=None,
        municipality_id=municipality.id,
        obj=volunteer,
        source="web",
        consent_version=DATA_CONSENT_VERSION,
    )
    notify(
        volunteer,
        "volunteer_verify_email",
        url=public_url("volunteers.verify_email", token=email_verification_token(volunteer)),
        days=_verification_days(),
    )
    return volunteer


def _verification_days() -> int:
    return int(current_app.config["VOLUNTEER_VERIFY_SECONDS"]) // 86400


def email_verification_token(volunteer: Volunteer) -> str:
    """A new single-use link token for this volunteer (random, stored hashed; each call issues one)."""
    return links.issue_email_verification(volunteer.id)


def find_volunteer_by_verification_token(token: str) -> Volunteer | None:
    """The unverified volunteer the token was made for, if the token is genuine, unused and fresh."""
    row = links.find_email_verification(token)
    if row is None:
        return None
    volunteer = db.session.execute(
        select(Volunteer).where(Volunteer.id == row.volunteer_id).execution_options(all_tenants=True)
    ).scalar_one_or_none()
    if volunteer is None or volunteer.is_erased or volunteer.is_email_verified:
        return None
    return volunteer


def verify_email(volunteer: Volunteer, password: str, token: str | None = None) -> User:
    """Confirm the address and create the volunteer's own account with the chosen password.

    With the link's ``token`` (the web page passes it), the token is spent by compare-and-set, so
    of two requests racing with one link exactly one creates the account.
    """
    problem = password_problem(password)
    if problem is not None:
        raise VolunteerError(problem)
    if volunteer.is_email_verified:
        raise VolunteerError(_("This e-mail address is already confirmed. Sign in instead."))
    if token is not None:
        row = links.find_email_verification(token)
        if row is None or row.volunteer_id != volunteer.id or not links.spend_email_verification(row):
            raise VolunteerError(_("This e-mail address is already confirmed. Sign in instead."))
    if volunteer.email is None or find_user_by_email(volunteer.email) is not None:
        raise VolunteerError(_("An account with this e-mail address already exists. Sign in with it."))
    user = create_user(
        municipality_id=volunteer.municipality_id,
        email=volunteer.email,
        name=volunteer.name,
        password=password,
        role=Role.VOLUNTEER,
        organisation_id=volunteer.organisation_id,
    )
    volunteer.user_id = user.id
    volunteer.email_verified_at = utcnow()
    record("volunteer.email_verified", actor=user, municipality_id=volunteer.municipality_id, obj=volunteer)
    notify(volunteer, "volunteer_application_received", url=public_url("volunteers.me"))
    return user
