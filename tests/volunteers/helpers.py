"""Factories for volunteer tests: volunteers in any status, with or without an account."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from tests.support import PASSWORD
from volunteer_hub.auth.models import Role
from volunteer_hub.auth.services import create_user
from volunteer_hub.db import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.tenancy.models import Municipality, Organisation
from volunteer_hub.volunteers.models import RegistrationSource, Volunteer, VolunteerStatus
from volunteer_hub.volunteers.services import Profile, apply_profile

_numbers = itertools.count(1)


def make_volunteer(
    municipality: Municipality,
    *,
    organisation: Organisation | None = None,
    status: VolunteerStatus = VolunteerStatus.PENDING,
    first_name: str = "Anna",
    last_name: str = "Jensen",
    email: str | None = None,
    source: RegistrationSource = RegistrationSource.WEB,
    verified: bool = True,
    with_account: bool = False,
    languages: dict[str, str] | None = None,
    schemes: list[str] | None = None,
    skills: list[str] | None = None,
    availability: list[str] | None = None,
    language: str = "da",
    **fields: Any,
) -> Volunteer:
    """A volunteer straight into the database (no e-mail, no audit), for setting up a test."""
    n = next(_numbers)
    now = utcnow()
    volunteer = Volunteer(
        municipality_id=municipality.id,
        ref=f"T{n:04d}",
        source=source,
        status=status,
        status_changed_at=now,
        registered_on=fields.pop("registered_on", dt.date(2026, 9, 1)),
        email=email or f"volunteer{n}@example.dk",
        email_verified_at=now if verified else None,
        first_name="",
        last_name="",
        **fields,
    )
    apply_profile(
        volunteer,
        Profile(
            first_name=first_name,
            last_name=last_name,
            phone="+4520304050",
            postcode="2600",
            birth_year=1980,
            gender="f",
            organisation_id=organisation.id if organisation else None,
            languages=languages or {"da": "native", "en": "fluent"},
            skills=skills or ["homework_help"],
            interests=["football"],
            schemes=schemes or ["family_buddy"],
            availability=availability or ["weekend"],
            capacity=1,
            about="Jeg kan lide at cykle.",
            language=language,
        ),
    )
    db.session.add(volunteer)
    db.session.flush()
    if with_account:
        user = create_user(
            municipality_id=municipality.id,
            email=volunteer.email,
            name=volunteer.name,
            password=PASSWORD,
            role=Role.VOLUNTEER,
            organisation_id=organisation.id if organisation else None,
        )
        volunteer.user_id = user.id
        db.session.flush()
    return volunteer
