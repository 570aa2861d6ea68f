"""What every volunteer service shares: the errors, e-mail to the volunteer, today, the partner check."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from volunteer_hub.db import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.notifications.services import queue_email
from volunteer_hub.tenancy.models import Organisation
from volunteer_hub.volunteers.models import Volunteer

# The version of the data-processing text a volunteer accepts (templates/volunteers/_consent.html).
DATA_CONSENT_VERSION = "2026-11"
MAX_REASON_LENGTH = 1000


class VolunteerError(Exception):
    """A change that is not allowed; ``str()`` says why, in the interface language."""


class TransitionError(VolunteerError):
    """A status move that is illegal from the current status, or not this actor's to make."""


class NotPermittedError(TransitionError):
    """The actor may not make this change to this volunteer."""


class OrganisationChangeError(VolunteerError):
    """An approved volunteer cannot move themselves to another organisation."""


def public_url(endpoint: str, **values: Any) -> str:
    """An absolute link for an e-mail: PUBLIC_BASE_URL, never the request's Host header."""
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


def notify(volunteer: Volunteer, template: str, **context: Any) -> None:
    """Queue an e-mail to the volunteer in their language (nothing once their data is erased)."""
    if volunteer.email is None:
        return
    queue_email(
        municipality_id=volunteer.municipality_id,
        to=volunteer.email,
        template=template,
        language=volunteer.language,
        context={"first_name": volunteer.first_name, "ref": volunteer.ref, **context},
    )


def today() -> dt.date:
    """Today in Denmark (the date a Danish coordinator would write)."""
    return utcnow().astimezone(ZoneInfo("Europe/Copenhagen")).date()


def check_organisation(municipality_id: int, organisation_id: int | None) -> None:
    """Refuse an organisation that is not one of this municipality's partners."""
    if organisation_id is None:
        return
    organisation = db.session.execute(
        select(Organisation).where(Organisation.id == organisation_id).execution_options(all_tenants=True)
    ).scalar_one_or_none()
    if organisation is None or organisation.municipality_id != municipality_id:
        raise VolunteerError(_("The organisation you chose is not a partner here. Choose again."))
