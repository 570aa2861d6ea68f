"""A volunteer's profile: what they tell about themselves, copied onto the volunteer, and their own edits."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from volunteer_hub.audit.services import record
from volunteer_hub.auth.models import User
from volunteer_hub.db import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.volunteers.models import (
    AttributeKind,
    Gender,
    LanguageLevel,
    Volunteer,
    VolunteerAttribute,
    VolunteerLanguage,
    VolunteerStatus,
)
from volunteer_hub.volunteers.permissions import is_self
from volunteer_hub.volunteers.services.common import (
    NotPermittedError,
    OrganisationChangeError,
    VolunteerError,
    check_organisation,
)
from volunteer_hub.volunteers.services.transitions import resubmit


@dataclass
class Profile:
    """What a volunteer tells about themselves; the web form, the importer and the edit page fill it."""

    first_name: str
    last_name: str
    phone: str | None
    postcode: str | None
    birth_year: int | None
    gender: str | None
    organisation_id: int | None
    languages: dict[str, str]
    skills: list[str] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)
    schemes: list[str] = field(default_factory=list)
    availability: list[str] = field(default_factory=list)
    capacity: int = 1
    about: str = ""
    language: str = "da"


@dataclass
class Consents:
    data_processing: bool
    conduct: bool
    child_certificate: bool


def apply_profile(volunteer: Volunteer, profile: Profile) -> None:
    """Copy ``profile`` onto ``volunteer``, changing only the list rows that differ."""
    volunteer.first_name = profile.first_name
    volunteer.last_name = profile.last_name
    volunteer.phone = profile.phone or None
    volunteer.postcode = profile.postcode
    volunteer.birth_year = profile.birth_year
    volunteer.gender = Gender(profile.gender) if profile.gender else None
    volunteer.organisation_id = profile.organisation_id
    volunteer.capacity = profile.capacity
    volunteer.about = profile.about or ""
    volunteer.language = profile.language

    # Rows are updated in place, not deleted and re-added: the unit of work inserts before it
    # deletes, so re-adding an unchanged code would collide with its own old row.
    wanted_languages = dict(profile.languages)
    for row in list(volunteer.languages):
        if row.code not in wanted_languages:
            volunteer.languages.remove(row)
        else:
            row.level = LanguageLevel(wanted_languages.pop(row.code))
    for code, level in wanted_languages.items():
        volunteer.languages.append(VolunteerLanguage(code=code, level=LanguageLevel(level)))

    wanted = {
        AttributeKind.SKILL: profile.skills,
        AttributeKind.INTEREST: profile.interests,
        AttributeKind.SCHEME: profile.schemes,
        AttributeKind.AVAILABILITY: profile.availability,
    }
    wanted_pairs = [(kind, code) for kind, codes in wanted.items() for code in dict.fromkeys(codes)]
    existing = {(row.kind, row.code): row for row in volunteer.attributes}
    for pair, row in existing.items():
        if pair not in wanted_pairs:
            volunteer.attributes.remove(row)
    for kind, code in wanted_pairs:
        if (kind, code) not in existing:
            volunteer.attributes.append(VolunteerAttribute(kind=kind, code=code))


def update_profile(
    volunteer: Volunteer, actor: User, profile: Profile, *, certificate_consent: bool = False
) -> Volunteer:
    """The volunteer edits their own profile; an application awaiting information goes back to review.

    ``certificate_consent``: the volunteer ticked the child-certificate consent now (recorded once).
    """
    if not is_self(actor, volunteer):
        raise NotPermittedError(_("You may not do this for this volunteer."))
    if volunteer.is_erased:
        raise VolunteerError(_("This volunteer has deleted their data; nothing can be changed."))
    check_organisation(volunteer.municipality_id, profile.organisation_id)
    if profile.organisation_id != volunteer.organisation_id and volunteer.status not in (
        VolunteerStatus.PENDING,
        VolunteerStatus.NEEDS_INFORMATION,
    ):
        # The new organisation's coordinators never approved this person.
        raise OrganisationChangeError(
            _("Your organisation can only be changed before you are approved. Ask your coordinator.")
        )
    apply_profile(volunteer, profile)
    consented_now = certificate_consent and volunteer.child_certificate_consent_at is None
    if consented_now:
        volunteer.child_certificate_consent_at = utcnow()
    if volunteer.user is not None:
        volunteer.user.name = volunteer.name
    db.session.flush()
    record(
        "volunteer.profile_updated",
        actor=actor,
        municipality_id=volunteer.municipality_id,
        obj=volunteer,
        **({"child_certificate_consent": True} if consented_now else {}),
    )
    if volunteer.status == VolunteerStatus.NEEDS_INFORMATION:
        resubmit(volunteer, actor)
    return volunteer
