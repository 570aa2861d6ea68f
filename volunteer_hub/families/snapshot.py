"""Every household of a municipality as plain rows, for what the dashboard and the case list
compute over all of them (deadlines, warnings, the housed-before-arrival figure).

The objects have the attributes and properties of the models those computations read
(``case_deadlines``, ``case_warnings``, ``housed_before_arrival_figure``), read with six plain
queries through the connection instead of building ORM objects: at 10,000 households that is
several times faster, and it is what the dashboard pays after every change. A test compares
both paths on the same data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from volunteer_hub.db import plain_rows
from volunteer_hub.extensions import db
from volunteer_hub.families.models import (
    DanishClass,
    Household,
    HouseholdScheme,
    Housing,
    InternshipOffer,
    Member,
    MemberKind,
    ReceptionStep,
    SharedUnit,
)


@dataclass(frozen=True)
class PlainInternship:
    offered_on: dt.date
    status: Any


@dataclass(frozen=True)
class PlainCourse:
    start_on: dt.date | None
    ended_on: dt.date | None


@dataclass
class PlainMember:
    id: int
    kind: MemberKind
    name: str
    birth_year: int | None
    arrival_on: dt.date
    employed: bool
    internship: PlainInternship | None = None
    danish_class: PlainCourse | None = None


@dataclass(frozen=True)
class PlainStep:
    kind: Any
    done_on: dt.date


@dataclass(frozen=True)
class PlainUnit:
    mix_flagged: bool


@dataclass(frozen=True)
class PlainHousing:
    sector: Any
    status: Any
    found_on: dt.date | None
    shared_unit: PlainUnit | None


@dataclass
class PlainHousehold:
    id: int
    name: str
    ref: str
    contact_name: str
    registered_on: dt.date
    members: list[PlainMember] = field(default_factory=list)
    reception_steps: list[PlainStep] = field(default_factory=list)
    housing: PlainHousing | None = None

    @property
    def adults(self) -> list[PlainMember]:
        return [m for m in self.members if m.kind == MemberKind.ADULT]

    @property
    def children(self) -> list[PlainMember]:
        return [m for m in self.members if m.kind == MemberKind.CHILD]

    @property
    def first_arrival_on(self) -> dt.date | None:
        dates = [m.arrival_on for m in self.members]
        return min(dates) if dates else None


def load_plain_households(municipality_id: int) -> list[PlainHousehold]:
    """Every household of the municipality, by reference, with its members (in the order they
    were added), internships, Danish classes, reception steps and housing."""
    ours = Household.municipality_id == municipality_id
    households = {
        row[0]: PlainHousehold(*row)
        for row in plain_rows(
            db.session,
            select(
                Household.id, Household.name, Household.ref, Household.contact_name, Household.registered_on
            )
            .where(ours)
            .order_by(Household.ref),
        )
    }
    internships = {
        member_id: PlainInternship(offered_on, status)
        for member_id, offered_on, status in _member_rows(
            ours, InternshipOffer.member_id, InternshipOffer.offered_on, InternshipOffer.status
        )
    }
    courses = {
        member_id: PlainCourse(start_on, ended_on)
        for member_id, start_on, ended_on in _member_rows(
            ours, DanishClass.member_id, DanishClass.start_on, DanishClass.ended_on
        )
    }
    for household_id, *values in plain_rows(
        db.session,
        select(
            Member.household_id,
            Member.id,
            Member.kind,
            Member.name,
            Member.birth_year,
            Member.arrival_on,
            Member.employed,
        )
        .join(Household, Household.id == Member.household_id)
        .where(ours)
        .order_by(Member.id),
    ):
        member = PlainMember(*values)
        member.internship = internships.get(member.id)
        member.danish_class = courses.get(member.id)
        households[household_id].members.append(member)
    for household_id, kind, done_on in plain_rows(
        db.session,
        select(ReceptionStep.household_id, ReceptionStep.kind, ReceptionStep.done_on)
        .join(Household, Household.id == ReceptionStep.household_id)
        .where(ours)
        .order_by(ReceptionStep.id),
    ):
        households[household_id].reception_steps.append(PlainStep(kind, done_on))
    for household_id, sector, status, found_on, unit_id, mix_flagged in plain_rows(
        db.session,
        select(
            Housing.household_id,
            Housing.sector,
            Housing.status,
            Housing.found_on,
            Housing.shared_unit_id,
            SharedUnit.mix_flagged,
        )
        .join(Household, Household.id == Housing.household_id)
        .outerjoin(SharedUnit, SharedUnit.id == Housing.shared_unit_id)
        .where(ours),
    ):
        unit = PlainUnit(bool(mix_flagged)) if unit_id is not None else None
        households[household_id].housing = PlainHousing(sector, status, found_on, unit)
    return list(households.values())


def _member_rows(ours: Any, member_id: Any, *columns: Any) -> list[Any]:
    """(member id, *columns) of one per-member table, for the members of the households ``ours``
    selects."""
    return plain_rows(
        db.session,
        select(member_id, *columns)
        .join(Member, Member.id == member_id)
        .join(Household, Household.id == Member.household_id)
        .where(ours),
    )


def schemes_by_household(municipality_id: int) -> dict[int, list[str]]:
    """Every household's schemes (codes, in the order they were asked for) in one municipality,
    as plain rows: the dashboard's waiting list and the matcher's pool both run over all of them."""
    schemes: dict[int, list[str]] = {}
    for household_id, scheme in plain_rows(
        db.session,
        select(HouseholdScheme.household_id, HouseholdScheme.scheme)
        .join(Household, Household.id == HouseholdScheme.household_id)
        .where(Household.municipality_id == municipality_id)
        .order_by(HouseholdScheme.id),
    ):
        schemes.setdefault(household_id, []).append(scheme)
    return schemes
