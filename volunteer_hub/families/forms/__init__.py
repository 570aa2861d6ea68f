"""Forms for family cases. Each form turns its input into a service's data class; none writes
to a model directly (no populate_obj). Every case edit form carries the case's version."""

from volunteer_hub.families.forms.case import HealthCheckForm, HousingForm, ReceptionForm
from volunteer_hub.families.forms.household import (
    HouseholdFields,
    LanguageRow,
    MemberRow,
    RegisterHouseholdForm,
)
from volunteer_hub.families.forms.members import (
    AddMemberForm,
    AdultForm,
    ChildForm,
    MemberBasics,
    RemoveMemberForm,
)
from volunteer_hub.families.forms.registers import LeisureOfferForm, SharedUnitForm, WorkplaceForm

__all__ = [
    "AddMemberForm",
    "AdultForm",
    "ChildForm",
    "HealthCheckForm",
    "HouseholdFields",
    "HousingForm",
    "LanguageRow",
    "LeisureOfferForm",
    "MemberBasics",
    "MemberRow",
    "ReceptionForm",
    "RegisterHouseholdForm",
    "RemoveMemberForm",
    "SharedUnitForm",
    "WorkplaceForm",
]
