"""The child certificate (børneattest) as a coordinator records it; the document itself is never stored."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _

from volunteer_hub.audit.services import record
from volunteer_hub.auth.models import User
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db
from volunteer_hub.volunteers.models import ChildCertificateState, RegistrationSource, Volunteer
from volunteer_hub.volunteers.permissions import can_manage
from volunteer_hub.volunteers.services.common import NotPermittedError, VolunteerError, today


def has_certificate_consent(volunteer: Volunteer) -> bool:
    """Whether the volunteer agreed to a child certificate: recorded at sign-up, or vouched for by
    the organisation that imported them (as an import vouches for the e-mail address)."""
    return volunteer.child_certificate_consent_at is not None or volunteer.source == RegistrationSource.IMPORT


def record_child_certificate(
    volunteer: Volunteer,
    actor: User,
    state: ChildCertificateState,
    received_on: dt.date | None,
    organisation_id: int | None,
) -> Volunteer:
    """Record the børneattest's state; a received one needs its date, and the assessor is the actor."""
    if not can_manage(actor, volunteer):
        raise NotPermittedError(_("You may not do this for this volunteer."))
    if volunteer.is_erased:
        raise VolunteerError(_("This volunteer has deleted their data; nothing can be changed."))
    if state != ChildCertificateState.NOT_REQUESTED and not has_certificate_consent(volunteer):
        raise VolunteerError(
            _(
                "The volunteer has not given consent to a child certificate, so none can be requested "
                "or recorded. Ask them to give consent on their page first."
            )
        )
    received = state in (ChildCertificateState.RECEIVED_OK, ChildCertificateState.RECEIVED_WITH_REMARKS)
    if received and received_on is None:
        raise VolunteerError(_("Enter the date the child certificate was received."))
    if received_on is not None and received_on > today():
        raise VolunteerError(_("The date received cannot be in the future."))
    if actor.role == Role.PARTNER_COORDINATOR and organisation_id not in (None, actor.organisation_id):
        raise NotPermittedError(_("You can only record certificates your own organisation obtained."))
    volunteer.child_certificate_state = state
    volunteer.child_certificate_received_on = received_on if received else None
    volunteer.child_certificate_assessed_by_id = actor.id if received else None
    volunteer.child_certificate_organisation_id = (
        organisation_id if state != ChildCertificateState.NOT_REQUESTED else None
    )
    db.session.flush()
    record(
        "volunteer.child_certificate",
        actor=actor,
        municipality_id=volunteer.municipality_id,
        obj=volunteer,
        state=state.value,
        received_on=received_on.isoformat() if received and received_on else None,
        organisation_id=volunteer.child_certificate_organisation_id,
    )
    return volunteer
