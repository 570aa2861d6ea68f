"""Names of the family-case codes in the interface language."""

from __future__ import annotations

import enum
from typing import Any

from flask_babel import lazy_gettext as _l

from volunteer_hub.families.deadlines import DeadlineKind, DeadlineState
from volunteer_hub.families.models import (
    ArrivalRoute,
    ConsentScope,
    HealthCheckStatus,
    HousingSector,
    HousingStatus,
    InternshipStatus,
    LeisureKind,
    MemberKind,
    ReceptionStepKind,
    WorkSector,
)
from volunteer_hub.families.warnings import WarningKind

_LABELS: list[tuple[enum.Enum, Any]] = [
    (ArrivalRoute.ASYLUM, _l("Asylum")),
    (ArrivalRoute.FAMILY_REUNIFICATION, _l("Family reunification")),
    (ArrivalRoute.TEMPORARY_PROTECTION, _l("Temporary protection (Ukraine special act)")),
    (MemberKind.ADULT, _l("Adult")),
    (MemberKind.CHILD, _l("Child")),
    (ConsentScope.CONTACT_CARD, _l("First name, phone, area, languages and interests")),
    (ConsentScope.CONTACT_CARD_AND_ADDRESS, _l("First name, phone, address, languages and interests")),
    (ReceptionStepKind.WELCOME_LETTER, _l("Welcome letter from the mayor")),
    (ReceptionStepKind.NETWORK_INTRO, _l("Introduction to networks and volunteers")),
    (ReceptionStepKind.GUIDED_TOUR, _l("Guided tour of the municipality")),
    (HealthCheckStatus.NOT_OFFERED, _l("Not offered yet")),
    (HealthCheckStatus.OFFERED, _l("Offered")),
    (HealthCheckStatus.ACCEPTED, _l("Accepted")),
    (HealthCheckStatus.DONE, _l("Done")),
    (HealthCheckStatus.DECLINED, _l("Declined")),
    (HousingSector.PUBLIC_ACUTE_LIST, _l("Public housing (acute list)")),
    (HousingSector.PRIVATE_FLAT_OR_HOUSE, _l("Private flat or house")),
    (HousingSector.PRIVATE_ROOM, _l("Private room rental")),
    (HousingSector.HOTEL, _l("Hotel")),
    (HousingSector.HOSTEL, _l("Hostel")),
    (HousingSector.CONVERTED_MUNICIPAL_BUILDING, _l("Converted municipal building")),
    (HousingSector.SHARED_HOUSING, _l("Shared housing")),
    (HousingStatus.SEARCHING, _l("Searching")),
    (HousingStatus.OFFERED, _l("Offered")),
    (HousingStatus.TEMPORARY, _l("Temporary")),
    (HousingStatus.PERMANENT, _l("Permanent")),
    (InternshipStatus.OFFERED, _l("Offered")),
    (InternshipStatus.ACCEPTED, _l("Accepted")),
    (InternshipStatus.STARTED, _l("Started")),
    (InternshipStatus.DECLINED, _l("Declined")),
    (InternshipStatus.ENDED, _l("Ended")),
    (WorkSector.CARE, _l("Care and nursing")),
    (WorkSector.CLEANING, _l("Cleaning")),
    (WorkSector.CONSTRUCTION, _l("Construction")),
    (WorkSector.TRANSPORT_LOGISTICS, _l("Transport and logistics")),
    (WorkSector.HOSPITALITY, _l("Hotels and restaurants")),
    (WorkSector.RETAIL, _l("Retail")),
    (WorkSector.MANUFACTURING, _l("Manufacturing")),
    (WorkSector.GARDENING_AGRICULTURE, _l("Gardening and agriculture")),
    (WorkSector.CHILDCARE_EDUCATION, _l("Childcare and education")),
    (WorkSector.OFFICE_IT, _l("Office and IT")),
    (WorkSector.OTHER, _l("Other")),
    (LeisureKind.SPORTS_CLUB, _l("Sports club")),
    (LeisureKind.SPORTS_CENTRE, _l("Sports centre")),
    (LeisureKind.SWIMMING_POOL, _l("Swimming pool")),
    (LeisureKind.MUSIC_SCHOOL, _l("Music school")),
    (LeisureKind.CINEMA, _l("Cinema")),
    (LeisureKind.LIBRARY, _l("Library")),
    (LeisureKind.CULTURE_HOUSE, _l("Culture house")),
    (LeisureKind.OTHER, _l("Other")),
    (DeadlineKind.WELCOME_LETTER, _l("Welcome letter")),
    (DeadlineKind.INTERNSHIP, _l("Internship offer")),
    (DeadlineState.DONE, _l("Done")),
    (DeadlineState.OVERDUE, _l("Overdue")),
    (DeadlineState.DUE_SOON, _l("Due soon")),
    (DeadlineState.UPCOMING, _l("Upcoming")),
    (WarningKind.CHILDREN_IN_TEMPORARY_HOUSING, _l("Family with children in temporary housing")),
    (WarningKind.SHARED_UNIT_FLAGGED, _l("The shared unit's mix of occupants is flagged")),
    (WarningKind.DANISH_WITHOUT_WORK, _l("Danish classes without work or internship alongside")),
]

# Keyed by (enum class, value): members of different enums share values ("offered").
LABELS: dict[tuple[type, str], Any] = {(type(member), member.value): text for member, text in _LABELS}


def label_of(value: enum.Enum | None) -> str:
    """The interface name of an enum member ("" for None)."""
    if value is None:
        return ""
    return str(LABELS.get((type(value), value.value), value.value))


def enum_choices(enum_class: type[enum.Enum], *, blank: Any = None) -> list[tuple[str, str]]:
    """(value, label) pairs for a select, optionally led by a blank choice."""
    pairs = [(member.value, label_of(member)) for member in enum_class]
    return ([("", str(blank))] if blank is not None else []) + pairs
