"""Registering and editing households and their members. Services flush, never commit."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from volunteer_hub.audit.services import record
from volunteer_hub.extensions import db
from volunteer_hub.families.locking import check_version, touch
from volunteer_hub.families.models import (
    ArrivalRoute,
    ChildDetails,
    ConsentScope,
    Household,
    HouseholdLanguage,
    HouseholdScheme,
    Member,
    MemberKind,
)
from volunteer_hub.families.models.household import best_language
from volunteer_hub.families.services.checks import CaseError, check_member


@dataclass
class HouseholdData:
    """Everything about a household that a coordinator (or an import) sets."""

    name: str
    contact_name: str
    postcode: str
    registered_on: dt.date
    languages: list[tuple[str, str]]  # (code, level), in the order given
    ref: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    letter_language: str = ""  # empty: the household's best language
    interpreter_needed: bool = False
    interests: list[str] = field(default_factory=list)
    schemes: list[str] = field(default_factory=list)
    availability: list[str] = field(default_factory=list)
    volunteer_gender: str | None = None
    consent_on: dt.date | None = None
    consent_scope: ConsentScope | None = None
    notes: str = ""


@dataclass
class MemberData:
    kind: MemberKind
    name: str
    arrival_on: dt.date
    arrival_route: ArrivalRoute = ArrivalRoute.ASYLUM
    birth_year: int | None = None
    employed: bool = False
    job_centre_contact: str = ""


REF_PATTERN = re.compile(r"^F(\d+)$")


def find_household_by_ref(municipality_id: int, ref: str) -> Household | None:
    return db.session.execute(
        select(Household)
        .where(Household.municipality_id == municipality_id, Household.ref == ref)
        .execution_options(all_tenants=True)
    ).scalar_one_or_none()


def next_ref(municipality_id: int) -> str:
    """The next free reference of the form F0001, after the highest one in use."""
    refs = db.session.execute(
        select(Household.ref)
        .where(Household.municipality_id == municipality_id)
        .execution_options(all_tenants=True)
    ).scalars()
    numbers = [int(m.group(1)) for ref in refs if (m := REF_PATTERN.match(ref))]
    return f"F{(max(numbers, default=0) + 1):04d}"


def apply_household_data(household: Household, data: HouseholdData) -> list[str]:
    """Copy ``data`` onto ``household``; return the names of the fields that changed."""
    changed = []
    letter_language = data.letter_language or best_language(dict(data.languages)) or "da"
    simple: dict[str, Any] = {
        "name": data.name,
        "contact_name": data.contact_name,
        "phone": data.phone,
        "email": data.email,
        "postcode": data.postcode,
        "address": data.address,
        "letter_language": letter_language,
        "interpreter_needed": data.interpreter_needed,
        "interests": list(data.interests),
        "availability": list(data.availability),
        "volunteer_gender": data.volunteer_gender or None,
        "consent_on": data.consent_on,
        "consent_scope": data.consent_scope,
        "registered_on": data.registered_on,
        "notes": data.notes,
    }
    for name, value in simple.items():
        if getattr(household, name) != value:
            setattr(household, name, value)
            changed.append(name)
    if _sync_languages(household, data.languages):
        changed.append("languages")
    if _sync_schemes(household, data.schemes):
        changed.append("schemes")
    return changed


def _sync_languages(household: Household, languages: list[tuple[str, str]]) -> bool:
    # Update rows in place: deleting and re-inserting a language would trip the unique key.
    existing = {row.language: row for row in household.languages}
    wanted = {code: (level, position) for position, (code, level) in enumerate(languages)}
    changed = False
    for code, row in existing.items():
        if code not in wanted:
            household.languages.remove(row)
            changed = True
    for code, (level, position) in wanted.items():
        row = existing.get(code)
        if row is None:
            household.languages.append(HouseholdLanguage(language=code, level=level, position=position))
            changed = True
        elif (row.level, row.position) != (level, position):
            row.level, row.position = level, position
            changed = True
    household.languages.sort(key=lambda row: row.position)
    return changed


def _sync_schemes(household: Household, schemes: list[str]) -> bool:
    existing = {row.scheme: row for row in household.schemes}
    changed = False
    for code, row in existing.items():
        if code not in schemes:
            household.schemes.remove(row)
            changed = True
    for code in schemes:
        if code not in existing:
            household.schemes.append(HouseholdScheme(scheme=code))
            changed = True
    return changed


def new_member(data: MemberData) -> Member:
    member = Member(
        kind=data.kind,
        name=data.name,
        birth_year=data.birth_year,
        arrival_on=data.arrival_on,
        arrival_route=data.arrival_route,
        employed=data.employed if data.kind == MemberKind.ADULT else False,
        job_centre_contact=data.job_centre_contact if data.kind == MemberKind.ADULT else "",
    )
    if data.kind == MemberKind.CHILD:
        member.child_details = ChildDetails()
    return member


def create_household(
    municipality_id: int, data: HouseholdData, members: list[MemberData], *, actor: Any
) -> Household:
    """Register a household with its members (at least one adult)."""
    if not any(m.kind == MemberKind.ADULT for m in members):
        raise CaseError("members", _l("A household needs at least one adult."))
    for member in members:
        check_member(member, field="members")
    ref = data.ref or next_ref(municipality_id)
    if find_household_by_ref(municipality_id, ref) is not None:
        raise CaseError("ref", _l("Another household already has this reference."))
    household = Household(municipality_id=municipality_id, ref=ref)
    apply_household_data(household, data)
    household.members = [new_member(m) for m in members]
    db.session.add(household)
    db.session.flush()
    record(
        "family.created",
        actor=actor,
        municipality_id=municipality_id,
        obj=household,
        adults=len(household.adults),
        children=len(household.children),
    )
    return household


def update_household(
    household: Household, data: HouseholdData, *, expected_version: int | None, actor: Any
) -> list[str]:
    """Change a household's details; refuses a stale form. Returns the changed fields."""
    check_version(household, expected_version)
    if data.ref and data.ref != household.ref:
        other = find_household_by_ref(household.municipality_id, data.ref)
        if other is not None:
            raise CaseError("ref", _l("Another household already has this reference."))
    # One UPDATE of the household (one version step), not one per lazy load of a collection.
    with db.session.no_autoflush:
        if data.ref:
            household.ref = data.ref
        changed = apply_household_data(household, data)
        touch(household)
    db.session.flush()
    record(
        "family.updated",
        actor=actor,
        municipality_id=household.municipality_id,
        obj=household,
        fields=sorted(changed),
    )
    return changed


def add_member(household: Household, data: MemberData, *, expected_version: int | None, actor: Any) -> Member:
    """Add a member, e.g. a family member arriving later through family reunification."""
    check_version(household, expected_version)
    check_member(data)
    member = new_member(data)
    household.members.append(member)
    touch(household)
    db.session.flush()
    record(
        "family.member_added",
        actor=actor,
        municipality_id=household.municipality_id,
        obj=household,
        member_id=member.id,
        kind=member.kind.value,
        arrival_route=member.arrival_route.value,
    )
    return member


def remove_member(household: Household, member: Member, *, expected_version: int | None, actor: Any) -> None:
    """Remove a member registered by mistake (with their work, classes and school details).

    The last adult cannot be removed: a household needs one.
    """
    check_version(household, expected_version)
    if member.household_id != household.id:
        raise CaseError("member", _l("The person is not a member of this household."))
    if member.kind == MemberKind.ADULT and len(household.adults) == 1:
        raise CaseError(
            "member", _l("The last adult cannot be removed: a household needs at least one adult.")
        )
    household.members.remove(member)
    touch(household)
    db.session.flush()
    record(
        "family.member_removed",
        actor=actor,
        municipality_id=household.municipality_id,
        obj=household,
        member_id=member.id,
        kind=member.kind.value,
    )
