"""Editing one member: an adult's work and Danish classes (P8, P14), a child's school and contacts (P12).

One service per member kind, so one form save is one version check and one audit event.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from volunteer_hub.audit.services import record
from volunteer_hub.extensions import db
from volunteer_hub.families.locking import check_version, touch
from volunteer_hub.families.models import (
    ChildDetails,
    DanishClass,
    Household,
    InternshipOffer,
    InternshipStatus,
    Member,
    MemberKind,
    Workplace,
    WorkSector,
)
from volunteer_hub.families.services.checks import check_danish_class, check_internship, check_member
from volunteer_hub.families.services.households import CaseError, MemberData


@dataclass
class InternshipData:
    workplace_name: str
    sector: WorkSector
    offered_on: dt.date
    status: InternshipStatus = InternshipStatus.OFFERED
    starts_on: dt.date | None = None
    workplace_id: int | None = None


@dataclass
class DanishClassData:
    language_school: str
    programme: int
    module: int
    start_on: dt.date | None = None
    ended_on: dt.date | None = None
    schedule: str = ""


@dataclass
class ChildDetailsData:
    school: str = ""
    school_class: str = ""
    reception_class: bool = False
    daycare: str = ""
    ppr_contact: str = ""
    family_section_contact: str = ""


def _check_member(household: Household, member: Member, kind: MemberKind) -> None:
    if member.household_id != household.id:
        raise CaseError("member", _l("The person is not a member of this household."))
    if member.kind != kind:
        raise CaseError("member", _l("This form is not for this person."))


def _apply_basics(member: Member, data: MemberData) -> None:
    check_member(data)
    member.name = data.name
    member.birth_year = data.birth_year
    member.arrival_on = data.arrival_on
    member.arrival_route = data.arrival_route


def _workplace(household: Household, workplace_id: int | None) -> Workplace | None:
    if workplace_id is None:
        return None
    workplace = db.session.get(Workplace, workplace_id)
    if workplace is None or workplace.municipality_id != household.municipality_id:
        raise CaseError("workplace_id", _l("Choose a workplace from the register."))
    return workplace


def update_adult(
    household: Household,
    member: Member,
    data: MemberData,
    *,
    internship: InternshipData | None,
    danish: DanishClassData | None,
    expected_version: int | None,
    actor: Any,
) -> None:
    """Save an adult's details, job, internship offer and Danish classes in one go.

    ``internship`` or ``danish`` None removes a recorded offer or class.
    """
    check_version(household, expected_version)
    _check_member(household, member, MemberKind.ADULT)
    _apply_basics(member, data)
    member.employed = data.employed
    member.job_centre_contact = data.job_centre_contact
    workplace = _workplace(household, internship.workplace_id if internship else None)
    if internship is not None:
        previous = member.internship.workplace_id if member.internship else None
        check_internship(internship.offered_on, internship.starts_on, workplace, previous)
    if danish is not None:
        check_danish_class(danish.start_on, danish.ended_on)
    if internship is None:
        member.internship = None
    else:
        offer = member.internship or InternshipOffer()
        offer.workplace = workplace
        offer.workplace_name = internship.workplace_name or (workplace.name if workplace else "")
        offer.sector = internship.sector
        offer.offered_on = internship.offered_on
        offer.starts_on = internship.starts_on
        offer.status = internship.status
        member.internship = offer
    if danish is None:
        member.danish_class = None
    else:
        course = member.danish_class or DanishClass()
        course.language_school = danish.language_school
        course.programme = danish.programme
        course.module = danish.module
        course.start_on = danish.start_on
        course.ended_on = danish.ended_on
        course.schedule = danish.schedule
        member.danish_class = course
    touch(household)
    db.session.flush()
    record(
        "family.adult_updated",
        actor=actor,
        municipality_id=household.municipality_id,
        obj=household,
        member_id=member.id,
        employed=member.employed,
        internship_status=member.internship.status.value if member.internship else None,
        workplace_id=member.internship.workplace_id if member.internship else None,
        danish_programme=member.danish_class.programme if member.danish_class else None,
        danish_module=member.danish_class.module if member.danish_class else None,
    )


def update_child(
    household: Household,
    member: Member,
    data: MemberData,
    details: ChildDetailsData,
    *,
    expected_version: int | None,
    actor: Any,
) -> None:
    """Save a child's details, school or reception class, daycare and PPR / family-section contacts."""
    check_version(household, expected_version)
    _check_member(household, member, MemberKind.CHILD)
    _apply_basics(member, data)
    child = member.child_details or ChildDetails()
    child.school = details.school
    child.school_class = details.school_class
    child.reception_class = details.reception_class
    child.daycare = details.daycare
    child.ppr_contact = details.ppr_contact
    child.family_section_contact = details.family_section_contact
    member.child_details = child
    touch(household)
    db.session.flush()
    record(
        "family.child_updated",
        actor=actor,
        municipality_id=household.municipality_id,
        obj=household,
        member_id=member.id,
    )
