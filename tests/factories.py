"""Test factories: real rows for a test's setup, each with sensible defaults and keyword overrides.

Municipalities, organisations and accounts go through the real services (``ensure_*``,
``create_user``); volunteers, households and matches are written straight into the database
where the services would send e-mail or demand a workflow a test is not about. Factories only
flush: the test commits when it needs to.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from typing import Any

from volunteer_hub.auth.models import User
from volunteer_hub.auth.services import create_user
from volunteer_hub.core.roles import Role
from volunteer_hub.db import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.families.models import ArrivalRoute, ConsentScope, Household, MemberKind
from volunteer_hub.families.services.households import HouseholdData, MemberData, create_household
from volunteer_hub.matching.models import EndReason, Match, MatchSource, MatchStatus
from volunteer_hub.tenancy.models import Municipality, Organisation
from volunteer_hub.tenancy.services import ensure_municipality, ensure_organisation
from volunteer_hub.volunteers.models import RegistrationSource, Volunteer, VolunteerStatus
from volunteer_hub.volunteers.services import Profile, apply_profile

PASSWORD = "correct horse battery"

_volunteer_numbers = itertools.count(1)


# --- Municipalities, organisations, accounts ---------------------------------------------


def make_municipality(code: str = "0161", name: str = "Glostrup Kommune") -> Municipality:
    """The municipality with ``code``, made if it does not exist yet (so calling twice is one row)."""
    return ensure_municipality(code, name)


def make_organisation(municipality: Municipality, name: str = "Røde Kors Glostrup") -> Organisation:
    """The organisation called ``name`` in ``municipality``, made if it does not exist yet."""
    return ensure_organisation(municipality, name)


def make_user(
    municipality: Municipality,
    role: Role = Role.MUNICIPAL_COORDINATOR,
    *,
    email: str | None = None,
    organisation: Organisation | None = None,
    name: str = "Test Person",
) -> User:
    """An account with ``role`` and the password ``PASSWORD`` (a partner coordinator gets the
    default organisation unless given one)."""
    if role == Role.PARTNER_COORDINATOR and organisation is None:
        organisation = make_organisation(municipality)
    return create_user(
        municipality_id=municipality.id,
        email=email or f"{role.value}-{uuid.uuid4().hex[:8]}@example.dk",
        name=name,
        password=PASSWORD,
        role=role,
        organisation_id=organisation.id if organisation else None,
    )


# --- Volunteers --------------------------------------------------------------------------


def make_volunteer(
    municipality: Municipality,
    *,
    organisation: Organisation | None = None,
    status: VolunteerStatus = VolunteerStatus.PENDING,
    first_name: str = "Anna",
    last_name: str = "Jensen",
    email: str | None = None,
    ref: str | None = None,
    source: RegistrationSource = RegistrationSource.WEB,
    verified: bool = True,
    with_account: bool = False,
    languages: dict[str, str] | None = None,
    schemes: list[str] | None = None,
    skills: list[str] | None = None,
    interests: list[str] | None = None,
    availability: list[str] | None = None,
    capacity: int = 1,
    language: str = "da",
    **fields: Any,
) -> Volunteer:
    """A volunteer straight into the database (no e-mail, no audit), for setting up a test.

    By default a pending volunteer speaking Danish and English, offering family buddy at weekends;
    ``fields`` are set on the row as given (certificate, registration date, ...).
    """
    n = next(_volunteer_numbers)
    now = utcnow()
    volunteer = Volunteer(
        municipality_id=municipality.id,
        ref=ref or f"T{n:04d}",
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
            interests=["football"] if interests is None else interests,
            schemes=schemes or ["family_buddy"],
            availability=availability or ["weekend"],
            capacity=capacity,
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


# --- Households --------------------------------------------------------------------------


def household_data(**overrides: Any) -> HouseholdData:
    """The Haile family's case form: Tigrinya and Arabic, asking for a family buddy, consenting."""
    values: dict[str, Any] = dict(
        name="Haile family",
        contact_name="Senait Haile",
        postcode="2600",
        registered_on=dt.date(2026, 11, 1),
        languages=[("ti", "native"), ("ar", "conversational")],
        phone="+4552123456",
        email="senait@example.dk",
        address="Hovedvejen 12",
        schemes=["family_buddy"],
        interests=["football", "swimming"],
        availability=["weekend"],
        consent_on=dt.date(2026, 11, 1),
    )
    values.update(overrides)
    values.setdefault("consent_scope", ConsentScope.CONTACT_CARD if values["consent_on"] else None)
    return HouseholdData(**values)


def adult(name: str, arrival: dt.date, **overrides: Any) -> MemberData:
    return MemberData(
        MemberKind.ADULT,
        name,
        arrival,
        overrides.pop("route", ArrivalRoute.ASYLUM),
        overrides.pop("birth_year", 1988),
        **overrides,
    )


def child(name: str, arrival: dt.date, birth_year: int | None) -> MemberData:
    return MemberData(MemberKind.CHILD, name, arrival, ArrivalRoute.ASYLUM, birth_year)


def make_household(
    municipality: Municipality,
    *,
    arrival: dt.date = dt.date(2026, 11, 1),
    adults: int = 1,
    children_birth_years: tuple[int, ...] = (),
    actor: User | None = None,
    **overrides: Any,
) -> Household:
    """A household registered through the real service: ``adults`` adults (the first is Senait
    Haile) and a child per birth year, all arrived on ``arrival``; ``overrides`` go to the form."""
    members = [adult(f"Adult {n}" if n > 1 else "Senait Haile", arrival) for n in range(1, adults + 1)]
    members += [child(f"Child {n}", arrival, year) for n, year in enumerate(children_birth_years, start=1)]
    return create_household(municipality.id, household_data(**overrides), members, actor=actor)


# --- Matches -----------------------------------------------------------------------------


def make_match(
    household: Household,
    volunteer: Volunteer,
    *,
    scheme: str = "family_buddy",
    status: MatchStatus = MatchStatus.ACTIVE,
    source: MatchSource = MatchSource.MANUAL,
    started_on: dt.date | None = None,
    ended_on: dt.date | None = None,
    end_reason: EndReason | None = None,
    **fields: Any,
) -> Match:
    """A match row as it stands in ``status``, straight into the database (no rules checked, no
    check-ins or messages): for tests about what is shown or counted, not about the workflow.

    The organisation is the volunteer's unless ``organisation_id`` is given; an ended match ends
    for ``EndReason.OTHER`` unless told otherwise.
    """
    fields.setdefault("organisation_id", volunteer.organisation_id)
    if status == MatchStatus.ENDED and end_reason is None:
        end_reason = EndReason.OTHER
    match = Match(
        municipality_id=household.municipality_id,
        household_id=household.id,
        volunteer_id=volunteer.id,
        scheme=scheme,
        status=status,
        source=source,
        started_on=started_on,
        ended_on=ended_on,
        end_reason=end_reason,
        **fields,
    )
    db.session.add(match)
    db.session.flush()
    return match
