"""Every family-case model, importable from one place."""

from volunteer_hub.families.models.children import ChildDetails
from volunteer_hub.families.models.household import (
    ArrivalRoute,
    ConsentScope,
    Household,
    HouseholdLanguage,
    HouseholdScheme,
    Member,
    MemberKind,
)
from volunteer_hub.families.models.housing import Housing, HousingSector, HousingStatus, SharedUnit
from volunteer_hub.families.models.language import DanishClass
from volunteer_hub.families.models.leisure import LeisureKind, LeisureOffer
from volunteer_hub.families.models.reception import (
    HealthCheck,
    HealthCheckStatus,
    ReceptionStep,
    ReceptionStepKind,
)
from volunteer_hub.families.models.work import InternshipOffer, InternshipStatus, Workplace, WorkSector

__all__ = [
    "ArrivalRoute",
    "ChildDetails",
    "ConsentScope",
    "DanishClass",
    "HealthCheck",
    "HealthCheckStatus",
    "Household",
    "HouseholdLanguage",
    "HouseholdScheme",
    "Housing",
    "HousingSector",
    "HousingStatus",
    "InternshipOffer",
    "InternshipStatus",
    "LeisureKind",
    "LeisureOffer",
    "Member",
    "MemberKind",
    "ReceptionStep",
    "ReceptionStepKind",
    "SharedUnit",
    "WorkSector",
    "Workplace",
]
